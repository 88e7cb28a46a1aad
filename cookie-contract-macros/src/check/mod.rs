//! The compile-time rules (`docs/RULES.md`), one function per rule, each citing its source.
//!
//! All rules run and every error is collected, so a user sees every mistake at once. Each rule
//! cites its public source: RFC 6265bis (draft 22) by section, the layered-cookies draft 02,
//! CHIPS, or the browser behaviour (Chromium and Firefox source, web-platform-tests) it guards
//! against.

use darling::util::SpannedValue;
use proc_macro2::Span;

mod browser;
mod policy;

use crate::ast::{Cookie, CookieDef, Inventory, Model, doc_text};
use crate::duration::MaxAge;

/// Browsers cap lifetimes at 400 days (6265bis §5.5; Chromium 104+, Firefox).
pub const MAX_AGE_LIMIT: i128 = 400 * 86_400;

pub(crate) type Errors = darling::error::Accumulator;

/// A spanned error with a rustc-style message.
pub(crate) fn at(span: Span, msg: impl core::fmt::Display) -> darling::Error {
    darling::Error::custom(msg).with_span(&proc_macro2::Ident::new("span", span))
}

pub(crate) fn flag(v: &Option<SpannedValue<bool>>) -> bool {
    v.as_ref().is_some_and(|v| **v)
}

/// The span of a key's value when written, else of the `cookie` attribute.
pub(crate) fn span_of<T>(v: &Option<SpannedValue<T>>, fallback: Span) -> Span {
    v.as_ref().map_or(fallback, SpannedValue::span)
}

/// The cookie name (declared, or the field name) and where to point at it.
pub(crate) fn name_of(c: &Cookie<'_>) -> (String, Span) {
    match &c.attrs.name {
        Some(n) => ((**n).clone(), n.span()),
        None => {
            let ident = c.original.ident.as_ref().expect("named field");
            (ident.to_string(), ident.span())
        }
    }
}

/// Runs every rule, in the order of their numbers (each cookie through the browser rules 1-11,
/// then the inventory-wide and policy rules 12-19, then the legacy scopes, rule 20), collecting
/// every error.
pub fn check<'a>(inv: &Inventory<'a>) -> darling::Result<Model<'a>> {
    let mut errors = darling::Error::accumulator();
    for c in &inv.cookies {
        check_has_attribute(c, &mut errors);
        browser::check_prefix_requirements(c, &mut errors); // 1-4
        browser::check_prefix_case(c, &mut errors); // 5
        browser::check_same_site_none(c, &mut errors); // 6
        browser::check_partitioned(c, &mut errors); // 7
        browser::check_max_age(c, &mut errors); // 8
        browser::check_name(c, &mut errors); // 9
        browser::check_path(c, &mut errors); // 10
        browser::check_domain(c, &mut errors); // 11
    }
    policy::check_duplicate_names(inv, &mut errors); // 12
    for c in &inv.cookies {
        policy::check_authentication(c, &mut errors); // 13
        policy::check_consent_and_security(c, &mut errors); // 14
        policy::check_required_keys(c, &mut errors); // 15
    }
    // 16 (unknown and duplicate keys, wrong value types) is reported while parsing.
    policy::check_single_consent_cookie(inv, &mut errors); // 17
    for c in &inv.cookies {
        policy::check_consent_signed(c, &mut errors); // 18
        policy::check_signed_or_encrypted(c, &mut errors); // 19
        browser::check_legacy_scopes(c, &mut errors); // 20
    }
    let jar = jar_ident(inv, &mut errors);
    errors.finish()?;

    let cookies = inv.cookies.iter().map(resolve).collect();
    Ok(Model {
        ident: &inv.input.ident,
        vis: &inv.input.vis,
        jar: jar.expect("no errors, so the jar name parsed"),
        krate: inv
            .container
            .krate
            .clone()
            .unwrap_or_else(|| syn::parse_quote!(::cookie_contract)),
        doc: doc_text(&inv.input.attrs),
        cookies,
    })
}

/// The declared path, `/` when not written.
pub(crate) fn current_path(a: &crate::attr::Field) -> String {
    a.path
        .as_ref()
        .map_or_else(|| "/".to_owned(), |p| (**p).clone())
}

/// Builds the checked cookie; only called once every rule passed.
fn resolve<'a>(c: &Cookie<'a>) -> CookieDef<'a> {
    let a = &c.attrs;
    let max_age = match **a.max_age.as_ref().expect("rule 15") {
        MaxAge::Session => None,
        // Rule 8 bounded it to 1..=34_560_000.
        MaxAge::Seconds(s) => Some(s as u32),
    };
    CookieDef {
        field: c.original.ident.as_ref().expect("named field"),
        ty: &c.original.ty,
        name: name_of(c).0,
        purpose: **a.purpose.as_ref().expect("rule 15"),
        same_site: **a.same_site.as_ref().expect("rule 15"),
        max_age,
        secure: flag(&a.secure),
        http_only: flag(&a.http_only),
        path: a
            .path
            .as_ref()
            .map_or_else(|| "/".to_owned(), |p| (**p).clone()),
        domain: a.domain.as_ref().map(|d| (**d).clone()),
        partitioned: flag(&a.partitioned),
        priority: a.priority.as_ref().map(|p| **p),
        signed: flag(&a.signed),
        encrypted: flag(&a.encrypted),
        legacy: a
            .legacy
            .iter()
            .map(|l| {
                let path = l
                    .path
                    .as_ref()
                    .map_or_else(|| current_path(a), |p| (**p).clone());
                let domain = match &l.domain {
                    Some(d) => Some((**d).clone()),
                    None => a.domain.as_ref().map(|d| (**d).clone()),
                };
                (path, domain)
            })
            .collect(),
        doc: doc_text(&c.original.attrs),
    }
}

fn jar_ident(inv: &Inventory<'_>, errors: &mut Errors) -> Option<syn::Ident> {
    match &inv.container.jar {
        None => Some(quote::format_ident!("{}Jar", inv.input.ident)),
        Some(name) => match syn::parse_str::<syn::Ident>(name) {
            Ok(mut ident) => {
                ident.set_span(name.span());
                Some(ident)
            }
            Err(_) => {
                errors.push(at(
                    name.span(),
                    format!("`jar = {:?}` is not a type name; write an identifier such as \"AppCookiesJar\"", &**name),
                ));
                None
            }
        },
    }
}

/// Every field of an inventory declares a cookie, so every field needs `#[cookie(...)]`.
fn check_has_attribute(c: &Cookie<'_>, errors: &mut Errors) {
    if !c.original.attrs.iter().any(|a| a.path().is_ident("cookie")) {
        let ident = c.original.ident.as_ref().expect("named field");
        errors.push(at(
            ident.span(),
            format!(
                "field `{ident}` has no `#[cookie(...)]` attribute; every field of a cookie inventory declares one cookie"
            ),
        ));
    }
}
