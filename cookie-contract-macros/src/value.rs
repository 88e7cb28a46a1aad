//! `#[derive(CookieValue)]` for field-less enums.

use proc_macro2::TokenStream;
use quote::quote;

/// The impl, or every error at once plus a stub impl (as the `CookieContract` derive does), so
/// fields of this type add no "not a `CookieValue`" errors to the real one.
pub fn derive(input: &syn::DeriveInput) -> TokenStream {
    match variants(input) {
        Ok(v) => expand(input, &v),
        Err(e) => {
            let errors = e.write_errors();
            let stub = stub(input);
            quote!(#errors #stub)
        }
    }
}

fn variants(input: &syn::DeriveInput) -> darling::Result<Vec<(syn::Ident, String)>> {
    let mut errors = darling::Error::accumulator();
    let mut push = |e: syn::Error| errors.push(darling::Error::from(e));
    if !input.generics.params.is_empty() {
        push(syn::Error::new_spanned(
            &input.generics,
            "`#[derive(CookieValue)]` does not support generics",
        ));
    }
    let syn::Data::Enum(data) = &input.data else {
        push(syn::Error::new_spanned(
            &input.ident,
            "`#[derive(CookieValue)]` supports field-less enums; implement `CookieValue` by hand for other types",
        ));
        return Err(errors.finish().expect_err("an error was pushed"));
    };
    let mut out: Vec<(syn::Ident, String)> = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, syn::Fields::Unit) {
            push(syn::Error::new_spanned(
                &v.fields,
                "`#[derive(CookieValue)]` variants must not have fields",
            ));
            continue;
        }
        let (value, span) = match wire_value(v) {
            Ok(w) => w,
            Err(e) => {
                push(e);
                (v.ident.to_string().to_lowercase(), v.ident.span())
            }
        };
        let ok = !value.is_empty()
            && value
                .bytes()
                .all(|b| (0x21..=0x7e).contains(&b) && !b"\",;\\".contains(&b));
        if !ok {
            push(syn::Error::new(
                span,
                format!(
                    "{value:?} is not a cookie value; use ASCII letters, digits and punctuation other than `\"`, `,`, `;` and `\\`"
                ),
            ));
        } else if let Some((other, _)) = out.iter().find(|(_, w)| *w == value) {
            push(syn::Error::new(
                span,
                format!("value {value:?} is already used by variant `{other}`"),
            ));
        } else {
            out.push((v.ident.clone(), value));
        }
    }
    errors.finish_with(out)
}

/// A variant's value on the wire: its lower-case name, or `#[cookie_value(rename = "...")]`.
fn wire_value(v: &syn::Variant) -> syn::Result<(String, proc_macro2::Span)> {
    let mut wire = (v.ident.to_string().to_lowercase(), v.ident.span());
    for attr in v.attrs.iter().filter(|a| a.path().is_ident("cookie_value")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let s: syn::LitStr = meta.value()?.parse()?;
                wire = (s.value(), s.span());
                Ok(())
            } else {
                Err(meta.error(
                    "unknown key in `#[cookie_value(...)]`; the only key is `rename = \"...\"`",
                ))
            }
        })?;
    }
    Ok(wire)
}

/// An impl whose methods never run, for a type whose derive failed.
fn stub(input: &syn::DeriveInput) -> TokenStream {
    if !input.generics.params.is_empty() {
        return quote!();
    }
    let ident = &input.ident;
    let p = quote!(::cookie_contract::__private);
    let never = quote!(::core::unreachable!(
        "cookie-contract: this CookieValue derive did not compile"
    ));
    quote! {
        #[automatically_derived]
        impl #p::CookieValue for #ident {
            fn encode(&self, _: &mut #p::String) {
                #never
            }
            fn encoded_len(&self) -> usize {
                #never
            }
            fn decode(_: &str) -> #p::Result<Self, #p::DecodeError> {
                #never
            }
        }
    }
}

fn expand(input: &syn::DeriveInput, variants: &[(syn::Ident, String)]) -> TokenStream {
    let ident = &input.ident;
    let p = quote!(::cookie_contract::__private);
    let idents: Vec<_> = variants.iter().map(|(i, _)| i).collect();
    let values: Vec<_> = variants.iter().map(|(_, v)| v).collect();
    let lens = values.iter().map(|v| v.len());
    let expected = format!(
        "expected one of: {}",
        values
            .iter()
            .map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    quote! {
        #[automatically_derived]
        impl #p::CookieValue for #ident {
            fn encode(&self, out: &mut #p::String) {
                out.push_str(match self { #(#ident::#idents => #values,)* })
            }

            fn encoded_len(&self) -> usize {
                match self { #(#ident::#idents => #lens,)* }
            }

            fn decode(raw: &str) -> #p::Result<Self, #p::DecodeError> {
                match raw {
                    #(#values => #p::Result::Ok(#ident::#idents),)*
                    _ => #p::Result::Err(#p::DecodeError::new(#expected)),
                }
            }
        }
    }
}
