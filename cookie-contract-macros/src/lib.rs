//! Derive macros for `cookie-contract`. Depend on `cookie-contract`, which re-exports them.
//!
//! Pipeline (in the style of serde_derive and thiserror): `attr.rs` reads what the user wrote,
//! `ast.rs` pairs it with the source it came from, `check/` applies the browser and policy
//! rules (`docs/RULES.md` in the repository gives their sources), `expand.rs` generates code
//! from the checked model. This file only parses and dispatches; the real functions work on
//! `proc_macro2` so tests can call them directly.

mod ast;
mod attr;
mod check;
mod docs;
mod domain;
mod duration;
mod expand;
mod stub;
mod value;
mod wire;

use proc_macro::TokenStream;

/// Turns a cookie-inventory struct into checked, typed cookie code: one field per cookie, each
/// with `#[cookie(...)]`. Use it through the `cookie-contract` crate, which re-exports it.
///
#[doc = include_str!("../REFERENCE.md")]
#[proc_macro_derive(CookieContract, attributes(cookie, cookies))]
pub fn derive_cookie_contract(input: TokenStream) -> TokenStream {
    match syn::parse(input) {
        Ok(input) => contract(&input).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// Implements `CookieValue` for a field-less enum: each variant is its lower-case name, or
/// `#[cookie_value(rename = "...")]`.
#[proc_macro_derive(CookieValue, attributes(cookie_value))]
pub fn derive_cookie_value(input: TokenStream) -> TokenStream {
    match syn::parse(input) {
        Ok(input) => value::derive(&input).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// The `CookieContract` derive on a parsed input: the generated code, or the errors plus a
/// stub so one mistake gives one error.
pub(crate) fn contract(input: &syn::DeriveInput) -> proc_macro2::TokenStream {
    let parsed = match ast::Inventory::from_input(input) {
        Ok(parsed) => parsed,
        Err(errors) => return stub::with_errors(input, errors),
    };
    match check::check(&parsed) {
        Ok(model) => expand::expand(&model),
        Err(errors) => stub::with_errors(input, errors),
    }
}

#[cfg(test)]
mod snapshot_tests;
