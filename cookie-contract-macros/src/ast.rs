//! The parsed inventory, paired with the source it came from so any rule can point at real
//! tokens.

use darling::FromDeriveInput;
use proc_macro2::Span;
use syn::spanned::Spanned;

use crate::attr::{self, Priority, Purpose, SameSite};

/// The struct being derived.
pub struct Inventory<'a> {
    pub input: &'a syn::DeriveInput,
    pub container: attr::Container,
    pub cookies: Vec<Cookie<'a>>,
}

/// One field: what its `#[cookie(...)]` says, and where.
pub struct Cookie<'a> {
    pub original: &'a syn::Field,
    pub attrs: attr::Field,
    /// The `cookie` path of the field's `#[cookie(...)]`, or the field name when it has none.
    pub attr_span: Span,
}

impl<'a> Inventory<'a> {
    pub fn from_input(input: &'a syn::DeriveInput) -> darling::Result<Self> {
        let mut errors = darling::Error::accumulator();
        if !input.generics.params.is_empty() {
            errors.push(
                darling::Error::custom(
                    "a cookie inventory cannot be generic; declare one concrete struct",
                )
                .with_span(&input.generics),
            );
        }
        let container = errors.handle(attr::Container::from_derive_input(input));
        errors.finish()?;
        let container = container.expect("no errors, so the container parsed");
        let syn::Data::Struct(data) = &input.data else {
            unreachable!("darling's `supports(struct_named)` rejected other shapes");
        };
        let fields = container
            .data
            .as_ref()
            .take_struct()
            .expect("struct_named")
            .fields;
        let cookies = data
            .fields
            .iter()
            .zip(fields)
            .map(|(original, attrs)| Cookie {
                original,
                attrs: attrs.clone(),
                attr_span: original
                    .attrs
                    .iter()
                    .find(|a| a.path().is_ident("cookie"))
                    .map_or_else(|| original.ident.span(), |a| a.path().span()),
            })
            .collect();
        Ok(Inventory {
            input,
            container,
            cookies,
        })
    }
}

/// The doc comment of `attrs`, normalised: one leading space stripped per line, blank lines at
/// both ends trimmed.
pub fn doc_text(attrs: &[syn::Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .flat_map(|s| s.lines().map(str::to_owned).collect::<Vec<_>>())
        .map(|l| l.strip_prefix(' ').map_or(l.clone(), str::to_owned))
        .collect();
    lines.join("\n").trim_matches('\n').trim_end().to_owned()
}

/// The checked model `expand.rs` generates code from: every value resolved, every rule passed.
pub struct Model<'a> {
    pub ident: &'a syn::Ident,
    pub vis: &'a syn::Visibility,
    pub jar: syn::Ident,
    pub krate: syn::Path,
    pub doc: String,
    pub cookies: Vec<CookieDef<'a>>,
}

/// One checked cookie.
pub struct CookieDef<'a> {
    pub field: &'a syn::Ident,
    pub ty: &'a syn::Type,
    pub name: String,
    pub purpose: Purpose,
    pub same_site: SameSite,
    /// `None` for a browser-session cookie.
    pub max_age: Option<u32>,
    pub secure: bool,
    pub http_only: bool,
    pub path: String,
    pub domain: Option<String>,
    pub partitioned: bool,
    pub priority: Option<Priority>,
    pub signed: bool,
    pub encrypted: bool,
    /// Earlier scopes, `(path, domain)`, each different from the current one (rule 20).
    pub legacy: Vec<(String, Option<String>)>,
    pub doc: String,
}
