//! On error: the diagnostics plus a stub `Inventory` impl, so code that uses the inventory does
//! not add a cascade of unrelated errors to the real one.

use proc_macro2::TokenStream;
use quote::quote;

pub fn with_errors(input: &syn::DeriveInput, errors: darling::Error) -> TokenStream {
    let ident = &input.ident;
    let errors = errors.write_errors();
    if !input.generics.params.is_empty() {
        return errors;
    }
    quote! {
        #errors
        #[automatically_derived]
        impl ::cookie_contract::__private::Inventory for #ident {
            const COOKIES: &'static [::cookie_contract::__private::CookieSpec] = &[];
            const REVISION: &'static str = "";
            const NAME: &'static str = ::core::stringify!(#ident);
            const DESCRIPTION: &'static str = "";
        }
    }
}
