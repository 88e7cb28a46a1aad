//! On error, as thiserror does: the diagnostics plus the items the derive would have generated,
//! with the same names and signatures and bodies that never run. Code that uses the jar then
//! compiles against the stub, so one mistake in a declaration is one error, not one more at
//! every call site.
//!
//! The stub is built from whatever can be read of the input without the checks: field names
//! and types, each field's `purpose` (it decides whether the accessors take a consent proof),
//! and the container's `jar` and `crate` keys.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::{CookieDef, Model, doc_text};
use crate::attr::{Purpose, SameSite};

/// The errors and, when the input is a plain named struct, the stub.
pub fn with_errors(input: &syn::DeriveInput, errors: darling::Error) -> TokenStream {
    let errors = errors.write_errors();
    match best_effort(input) {
        Some(model) => {
            let stub = crate::expand::stub(&model);
            quote!(#errors #stub)
        }
        None => errors,
    }
}

/// The model of `input` as far as it can be read; `None` for shapes no jar can stand in for
/// (generics, enums, tuple structs).
fn best_effort(input: &syn::DeriveInput) -> Option<Model<'_>> {
    if !input.generics.params.is_empty() {
        return None;
    }
    let syn::Data::Struct(data) = &input.data else {
        return None;
    };
    let syn::Fields::Named(fields) = &data.fields else {
        return None;
    };
    let (krate, jar) = container(input);
    let cookies = fields
        .named
        .iter()
        .map(|f| {
            let field = f.ident.as_ref().expect("named fields have names");
            CookieDef {
                field,
                ty: &f.ty,
                name: field.to_string(),
                purpose: purpose(f).unwrap_or(Purpose::Essential),
                same_site: SameSite::Lax,
                max_age: None,
                secure: false,
                http_only: false,
                path: "/".to_owned(),
                domain: None,
                partitioned: false,
                priority: None,
                signed: false,
                encrypted: false,
                legacy: Vec::new(),
                doc: doc_text(&f.attrs),
            }
        })
        .collect();
    Some(Model {
        ident: &input.ident,
        vis: &input.vis,
        jar: jar.unwrap_or_else(|| quote::format_ident!("{}Jar", input.ident)),
        krate: krate.unwrap_or_else(|| syn::parse_quote!(::cookie_contract)),
        doc: doc_text(&input.attrs),
        cookies,
    })
}

/// `crate = "..."` and `jar = "..."` of `#[cookies(...)]`, each when it reads cleanly.
fn container(input: &syn::DeriveInput) -> (Option<syn::Path>, Option<syn::Ident>) {
    let (mut krate, mut jar) = (None, None);
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("cookies")) {
        let _ = attr.parse_nested_meta(|meta| {
            let value = string_value(&meta);
            if meta.path.is_ident("crate") {
                krate = value.and_then(|s| syn::parse_str(&s).ok());
            } else if meta.path.is_ident("jar") {
                jar = value.and_then(|s| syn::parse_str(&s).ok());
            }
            Ok(())
        });
    }
    (krate, jar)
}

/// The field's `purpose`, when written and known.
fn purpose(f: &syn::Field) -> Option<Purpose> {
    let mut found = None;
    for attr in f.attrs.iter().filter(|a| a.path().is_ident("cookie")) {
        let _ = attr.parse_nested_meta(|meta| {
            let value = string_value(&meta);
            if meta.path.is_ident("purpose") {
                found = value.and_then(|v| {
                    use darling::FromMeta as _;
                    Purpose::from_string(&v).ok()
                });
            }
            Ok(())
        });
    }
    found
}

/// The string after `key =`, consuming any other value so parsing can go on to the next key.
fn string_value(meta: &syn::meta::ParseNestedMeta<'_>) -> Option<String> {
    if !meta.input.peek(syn::Token![=]) {
        return None;
    }
    let expr: syn::Expr = meta.value().ok()?.parse().ok()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}
