//! Code generation from the checked model. Infallible: every decision was made in `check.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{CookieDef, Model};
use crate::{docs, wire};

/// The generated code for a checked inventory.
pub fn expand(m: &Model<'_>) -> TokenStream {
    let p = private(m);
    let inventory = inventory_impl(&p, m, Bodies::Real);
    let jar = jar(&p, m, Bodies::Real);
    quote!(#inventory #jar)
}

/// What stands in for the generated code when the derive reported errors: the same items with
/// the same signatures (so use sites add no errors of their own), bodies that are never run,
/// and an empty inventory. `m` is built from whatever could be read of the input.
pub fn stub(m: &Model<'_>) -> TokenStream {
    let p = private(m);
    let inventory = inventory_impl(&p, m, Bodies::Stub);
    let jar = jar(&p, m, Bodies::Stub);
    quote!(#inventory #jar)
}

/// Whether accessor bodies do the work or stand in for an inventory that did not compile.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bodies {
    Real,
    Stub,
}

impl Bodies {
    /// `real`, or an `unreachable!()` that needs nothing of the field types.
    fn or_stub(self, real: TokenStream) -> TokenStream {
        match self {
            Bodies::Real => real,
            Bodies::Stub => quote!(::core::unreachable!(
                "cookie-contract: this inventory did not compile"
            )),
        }
    }
}

/// `<crate>::__private`, the only path generated code reaches the runtime through.
fn private(m: &Model<'_>) -> TokenStream {
    let krate = &m.krate;
    quote!(#krate::__private)
}

/// `impl Inventory`: the specs and the revision, or nothing declared for a stub.
fn inventory_impl(p: &TokenStream, m: &Model<'_>, bodies: Bodies) -> TokenStream {
    let ident = m.ident;
    let ident_str = ident.to_string();
    let struct_doc = &m.doc;
    let fields = m.cookies.iter().map(|c| c.field);
    let (specs, revision) = match bodies {
        Bodies::Real => {
            let specs = m.cookies.iter().map(|c| wire::spec_parts(p, c));
            (quote!(#(#specs),*), wire::revision(m))
        }
        Bodies::Stub => (quote!(), String::new()),
    };
    quote! {
        #[automatically_derived]
        impl #p::Inventory for #ident {
            const COOKIES: &'static [#p::CookieSpec] = &[#specs];
            const REVISION: &'static str = #revision;
            const NAME: &'static str = #ident_str;
            const DESCRIPTION: &'static str = #struct_doc;

            fn __declarations(&self) {
                #(let _ = &self.#fields;)*
            }
        }
    }
}

/// The jar type, its constructors and output methods, the accessors, and the axum impls.
fn jar(p: &TokenStream, m: &Model<'_>, bodies: Bodies) -> TokenStream {
    let (vis, jar, n) = (m.vis, &m.jar, m.cookies.len());
    let (jar_doc, allow) = match bodies {
        Bodies::Real => (docs::jar_doc(m), quote!()),
        Bodies::Stub => (
            format!(
                "Stand-in for the jar of [`{}`], whose declaration did not compile.",
                m.ident
            ),
            quote!(#[allow(unused_variables)]),
        ),
    };
    let accessors = m
        .cookies
        .iter()
        .enumerate()
        .map(|(i, c)| accessors(p, vis, i, c, bodies));
    let consent = consent_helpers(p, m, bodies);
    let constructors = constructors(p, m, bodies);
    let output = output_methods(p, vis, bodies);
    // A stub is read without keys, so it fits any router state.
    let signed = bodies == Bodies::Real && m.cookies.iter().any(|c| c.signed || c.encrypted);
    let axum_mode = if signed {
        quote!(keyed)
    } else {
        quote!(unkeyed)
    };
    let assertions = value_assertions(p, m, bodies);
    quote! {
        #[doc = #jar_doc]
        #vis struct #jar {
            core: #p::JarCore<#n>,
        }

        #[automatically_derived]
        impl ::core::fmt::Debug for #jar {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                // Values are credentials; show only which cookies are present.
                f.debug_struct(::core::stringify!(#jar)).finish_non_exhaustive()
            }
        }

        #assertions

        #allow
        impl #jar {
            #constructors
            #output
            #consent
            #(#accessors)*
        }

        #p::axum_impls!(#jar, #axum_mode);
    }
}

/// One obligation per field type, spanned on the type: a type that is not a `CookieValue` is
/// one error there. The accessors reach the type's functions through `Probe`, which compiles
/// either way, so they add none. (None for a stub, whose bodies use no value.)
fn value_assertions(p: &TokenStream, m: &Model<'_>, bodies: Bodies) -> TokenStream {
    if bodies == Bodies::Stub {
        return quote!();
    }
    let assertions = m.cookies.iter().map(|c| {
        let ty = c.ty;
        quote_spanned! {ty.span()=>
            const _: () = #p::assert_cookie_value::<#ty>();
        }
    });
    quote!(#(#assertions)*)
}

/// `from_headers`, and `from_request_headers` when no key is needed (always, for a stub).
fn constructors(p: &TokenStream, m: &Model<'_>, bodies: Bodies) -> TokenStream {
    let (ident, vis, jar) = (m.ident, m.vis, &m.jar);
    // The jar reads `Sec-GPC` only when it can build a consent state itself.
    let gpc = consent_cookie(m).is_some();
    let new = |keys: TokenStream| {
        bodies.or_stub(quote! {
            #jar { core: #p::JarCore::from_headers(<#ident as #p::Inventory>::COOKIES, Self::__finders(), headers, #keys, #gpc) }
        })
    };
    let keyed = new(quote!(#p::Option::Some(keys)));
    let keyless = !m.cookies.iter().any(|c| c.signed || c.encrypted);
    let unkeyed = (bodies == Bodies::Stub || keyless).then(|| {
        let body = new(quote!(#p::Option::None));
        quote! {
            /// Reads the declared cookies of a request. This inventory has no signed or encrypted
            /// cookies, so no keys are needed.
            #vis fn from_request_headers(headers: &#p::HeaderMap) -> Self {
                #body
            }
        }
    });
    quote! {
        /// The name searchers of this inventory, built on first use.
        fn __finders() -> &'static #p::Finders {
            static FINDERS: #p::Finders = #p::Finders::new();
            &FINDERS
        }

        /// Reads the declared cookies of a request (every `Cookie` header), with `keys` to
        /// verify and sign the signed ones and open and seal the encrypted ones.
        #vis fn from_headers(headers: &#p::HeaderMap, keys: &#p::KeyRing) -> Self {
            #keyed
        }

        #unkeyed
    }
}

/// `enforce_consent`, `write_to`, `queued` and `set_cookie_headers`.
fn output_methods(p: &TokenStream, vis: &syn::Visibility, bodies: Bodies) -> TokenStream {
    let enforce = bodies.or_stub(quote!(self.core.enforce_consent(consent)));
    let write_to = bodies.or_stub(quote!(self.core.write_to(headers)));
    let clear_legacy = bodies.or_stub(quote!(self.core.clear_legacy()));
    // `impl Iterator` needs a concrete type even in a stub.
    let queued = match bodies {
        Bodies::Real => quote!(self.core.queued()),
        Bodies::Stub => quote!(::core::iter::empty()),
    };
    let all = bodies.or_stub(quote!(self.core.set_cookie_headers()));
    quote! {
        /// Clears every consent-gated cookie the request carried whose category `consent`
        /// does not grant, each with its declared scope. Necessary cookies are never touched.
        #vis fn enforce_consent(&mut self, consent: &#p::ConsentState) {
            #enforce
        }

        /// Queues the removal of every legacy copy of every cookie: each declared
        /// `legacy(...)` scope gets a removal line (written by `write_to` and
        /// `set_cookie_headers`, after the cookie's own line). The current cookies stay.
        #vis fn clear_legacy(&mut self) {
            #clear_legacy
        }

        /// Appends every pending `Set-Cookie` to `headers`, in declaration order (plus
        /// re-signed cookies that were verified with a previous key, and removals at legacy
        /// scopes).
        #vis fn write_to(&self, headers: &mut #p::HeaderMap) {
            #write_to
        }

        /// The `Set-Cookie` values queued by setters and clearers, in declaration order,
        /// without allocating (re-signed cookies are added only by `write_to`).
        #vis fn queued(&self) -> impl ::core::iter::Iterator<Item = &#p::HeaderValue> + '_ {
            #queued
        }

        /// The pending `Set-Cookie` values, as `write_to` would append them.
        #vis fn set_cookie_headers(&self) -> #p::Vec<#p::HeaderValue> {
            #all
        }
    }
}

fn accessors(
    p: &TokenStream,
    vis: &syn::Visibility,
    i: usize,
    c: &CookieDef<'_>,
    bodies: Bodies,
) -> TokenStream {
    let f = c.field;
    let ty = c.ty;
    let try_f = format_ident!("try_{}", f);
    let set_f = format_ident!("set_{}", f);
    let clear_f = format_ident!("clear_{}", f);
    let [
        get_doc,
        try_doc,
        every_doc,
        set_doc,
        set_with_doc,
        clear_doc,
    ] = docs::accessor_docs(c);
    // Gated purposes take a proof of consent.
    let gate_param = c.purpose.gate().map(|cat| {
        let cat = format_ident!("{}", cat);
        quote!(, _consent: &#p::Granted<#p::#cat>)
    });
    // `Probe` finds the type's `CookieValue` functions, or (when it has none, which the
    // assertion reports once) stand-ins, so these bodies add no error of their own.
    let codec = quote! {{
        #[allow(unused_imports)]
        use #p::{MissingCodec as _, ValueCodec as _};
        (&#p::Probe::<#ty>::NEW).codec()
    }};
    let get = bodies.or_stub(quote!(self.core.get_with::<#ty>(#i, #codec).ok().flatten()));
    let every = bodies.or_stub(quote!(self.core.get_every_with::<#ty>(#i, #codec)));
    let every_f = format_ident!("every_{}", f);
    let try_get = bodies.or_stub(quote!(self.core.get_with::<#ty>(#i, #codec)));
    let set = bodies.or_stub(quote!(self.core.set_with::<#ty>(#i, value, #codec)));
    let set_with =
        bodies.or_stub(quote!(self.core.set_for_with::<#ty>(#i, value, lifetime, #codec)));
    let set_with_f = format_ident!("set_{}_with", f);
    let clear = bodies.or_stub(quote!(self.core.clear(#i)));
    quote! {
        #[doc = #get_doc]
        #vis fn #f(&self #gate_param) -> #p::Option<#ty> {
            #get
        }

        #[doc = #try_doc]
        #vis fn #try_f(&self #gate_param) -> #p::Result<#p::Option<#ty>, #p::CookieError> {
            #try_get
        }

        #[doc = #every_doc]
        #vis fn #every_f(&self #gate_param) -> #p::Vec<#ty> {
            #every
        }

        #[doc = #set_doc]
        #vis fn #set_f(&mut self, value: &#ty #gate_param) -> #p::Result<(), #p::CookieError> {
            #set
        }

        #[doc = #set_with_doc]
        #vis fn #set_with_f(&mut self, value: &#ty, lifetime: #p::Lifetime #gate_param) -> #p::Result<(), #p::CookieError> {
            #set_with
        }

        #[doc = #clear_doc]
        #vis fn #clear_f(&mut self) {
            #clear
        }
    }
}

/// The consent cookie of type `ConsentRecord`, if the inventory has one (rule 17 allows at most
/// one).
fn consent_cookie<'m, 'a>(m: &'m Model<'a>) -> Option<&'m CookieDef<'a>> {
    m.cookies.iter().find(|c| {
        c.purpose == crate::attr::Purpose::Consent
            && matches!(c.ty, syn::Type::Path(t) if t.path.segments.last().is_some_and(|s| s.ident == "ConsentRecord"))
    })
}

/// `consent_state` and `record_consent`, when the inventory has a consent cookie of type
/// `ConsentRecord`.
fn consent_helpers(p: &TokenStream, m: &Model<'_>, bodies: Bodies) -> TokenStream {
    let Some(c) = consent_cookie(m) else {
        return quote!();
    };
    let ident = m.ident;
    let vis = m.vis;
    let i = m
        .cookies
        .iter()
        .position(|d| core::ptr::eq(d, c))
        .expect("the consent cookie is one of the cookies");
    let revision = quote!(<#ident as #p::Inventory>::REVISION);
    let state = bodies.or_stub(quote!(self.core.consent_state(#i, #revision)));
    let record = bodies.or_stub(quote!(self.core.record_consent(#i, choice, #revision)));
    quote! {
        /// The visitor's consent for this request: the consent cookie, if it verifies and was
        /// given for the current inventory revision, and the `Sec-GPC` header.
        #vis fn consent_state(&self) -> #p::ConsentState {
            #state
        }

        /// Records a new choice: sets the consent cookie and, in the same response, clears with
        /// its declared scope every cookie the request carried whose category the choice does
        /// not grant. Returns the new state.
        ///
        /// # Errors
        /// Those of the consent cookie's setter.
        #vis fn record_consent(&mut self, choice: #p::ConsentChoice) -> #p::Result<#p::ConsentState, #p::CookieError> {
            #record
        }
    }
}
