//! Code generation from the checked model. Infallible: every decision was made in `check.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{CookieDef, Model};
use crate::docs;

pub fn expand(m: &Model<'_>) -> TokenStream {
    let krate = &m.krate;
    let p = quote!(#krate::__private);
    let ident = m.ident;
    let vis = m.vis;
    let jar = &m.jar;
    let n = m.cookies.len();
    let ident_str = ident.to_string();
    let struct_doc = &m.doc;
    let revision = docs::revision(m);
    let jar_doc = docs::jar_doc(m);

    let specs = m.cookies.iter().map(|c| spec(&p, c));
    let fields = m.cookies.iter().map(|c| c.field);
    let assertions = m.cookies.iter().map(|c| {
        let ty = c.ty;
        quote_spanned! {ty.span()=>
            const _: () = #p::assert_cookie_value::<#ty>();
        }
    });
    let accessors = m
        .cookies
        .iter()
        .enumerate()
        .map(|(i, c)| accessors(&p, vis, i, c));
    let signed = m.cookies.iter().any(|c| c.signed);
    // The jar reads `Sec-GPC` only when it can build a consent state itself.
    let gpc = !consent_helpers(&p, m).is_empty();
    let unkeyed = (!signed).then(|| {
        quote! {
            /// Reads the declared cookies of a request. This inventory has no signed cookies, so
            /// no keys are needed.
            #vis fn from_request_headers(headers: &#p::HeaderMap) -> Self {
                #jar { core: #p::JarCore::from_headers(<#ident as #p::Inventory>::COOKIES, Self::__finders(), headers, #p::Option::None, #gpc) }
            }
        }
    });
    let axum_mode = if signed {
        quote!(keyed)
    } else {
        quote!(unkeyed)
    };
    let consent = consent_helpers(&p, m);

    quote! {
        #[automatically_derived]
        impl #p::Inventory for #ident {
            const COOKIES: &'static [#p::CookieSpec] = &[#(#specs),*];
            const REVISION: &'static str = #revision;
            const NAME: &'static str = #ident_str;
            const DESCRIPTION: &'static str = #struct_doc;

            fn __declarations(&self) {
                #(let _ = &self.#fields;)*
            }
        }

        #(#assertions)*

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

        impl #jar {
            /// The name searchers of this inventory, built on first use.
            fn __finders() -> &'static #p::Finders {
                static FINDERS: #p::Finders = #p::Finders::new();
                &FINDERS
            }

            /// Reads the declared cookies of a request (every `Cookie` header), with `keys` to
            /// verify and sign the signed ones.
            #vis fn from_headers(headers: &#p::HeaderMap, keys: &#p::KeyRing) -> Self {
                #jar { core: #p::JarCore::from_headers(<#ident as #p::Inventory>::COOKIES, Self::__finders(), headers, #p::Option::Some(keys), #gpc) }
            }

            #unkeyed

            /// Clears every consent-gated cookie the request carried whose category `consent`
            /// does not grant, each with its declared scope. Necessary cookies are never touched.
            #vis fn enforce_consent(&mut self, consent: &#p::ConsentState) {
                self.core.enforce_consent(consent)
            }

            /// Appends every pending `Set-Cookie` to `headers`, in declaration order (plus
            /// re-signed cookies that were verified with a previous key).
            #vis fn write_to(&self, headers: &mut #p::HeaderMap) {
                self.core.write_to(headers)
            }

            /// The `Set-Cookie` values queued by setters and clearers, in declaration order,
            /// without allocating (re-signed cookies are added only by `write_to`).
            #vis fn queued(&self) -> impl ::core::iter::Iterator<Item = &#p::HeaderValue> + '_ {
                self.core.queued()
            }

            /// The pending `Set-Cookie` values, as `write_to` would append them.
            #vis fn set_cookie_headers(&self) -> #p::Vec<#p::HeaderValue> {
                self.core.set_cookie_headers()
            }

            #consent

            #(#accessors)*
        }

        #p::axum_impls!(#jar, #axum_mode);
    }
}

fn spec(p: &TokenStream, c: &CookieDef<'_>) -> TokenStream {
    let name = &c.name;
    let field = c.field.to_string();
    let purpose = format_ident!("{}", c.purpose.variant());
    let same_site = format_ident!("{}", format!("{:?}", c.same_site));
    let lifetime = match c.max_age {
        Some(s) => quote!(#p::Lifetime::Seconds(#s)),
        None => quote!(#p::Lifetime::Session),
    };
    let secure = c.secure;
    let http_only = c.http_only;
    let path = &c.path;
    let domain = match &c.domain {
        Some(d) => quote!(#p::Option::Some(#d)),
        None => quote!(#p::Option::None),
    };
    let partitioned = c.partitioned;
    let priority = match c.priority {
        Some(pr) => {
            let v = format_ident!("{}", pr.as_str());
            quote!(#p::Option::Some(#p::Priority::#v))
        }
        None => quote!(#p::Option::None),
    };
    let signed = c.signed;
    let description = &c.doc;
    let suffix = docs::suffix(c);
    let removal = docs::removal(c);
    quote! {
        #p::CookieSpec::__from_parts(#p::SpecParts {
            name: #name,
            field: #field,
            purpose: #p::Purpose::#purpose,
            same_site: #p::SameSite::#same_site,
            lifetime: #lifetime,
            secure: #secure,
            http_only: #http_only,
            path: #path,
            domain: #domain,
            partitioned: #partitioned,
            priority: #priority,
            signed: #signed,
            description: #description,
            suffix: #suffix,
            removal: #removal,
        })
    }
}

fn accessors(p: &TokenStream, vis: &syn::Visibility, i: usize, c: &CookieDef<'_>) -> TokenStream {
    let f = c.field;
    let ty = c.ty;
    let try_f = format_ident!("try_{}", f);
    let set_f = format_ident!("set_{}", f);
    let clear_f = format_ident!("clear_{}", f);
    let summary = docs::summary(c);
    let doc = docs::field_doc(c);
    let get_doc = format!(
        "Reads {summary}{doc}\n\n`None` when the request did not carry it or it is invalid; [`Self::{try_f}`] tells the two apart."
    );
    let try_doc = format!(
        "Reads {summary}\n\n`Ok(None)` when absent.\n\n# Errors\n`CookieError::Duplicate` when the request carried it more than once, `CookieError::Invalid` when it does not decode{}.",
        if c.signed {
            ", `CookieError::BadSignature` when its signature does not verify"
        } else {
            ""
        }
    );
    let set_doc = format!(
        "Queues a `Set-Cookie` for {summary}\n\nReplaces anything queued for this cookie.\n\n# Errors\n`CookieError::TooLarge` when name and encoded value exceed 4096 bytes; `CookieError::BadEncoding` when the value's encoder wrote bytes outside cookie-octets. Nothing is queued on error."
    );
    let clear_doc = format!(
        "Queues the removal of {summary}\n\nSent as `{}`: the same Path, Domain, Secure, HttpOnly, SameSite and Partitioned as the setter.",
        docs::removal(c)
    );
    let (gate_param, gate_arg) = match c.purpose.gate() {
        Some(cat) => {
            let cat = format_ident!("{}", cat);
            (
                quote!(, _consent: &#p::Granted<#p::#cat>),
                quote!(, _consent),
            )
        }
        None => (quote!(), quote!()),
    };
    let _ = gate_arg;
    quote! {
        #[doc = #get_doc]
        #vis fn #f(&self #gate_param) -> #p::Option<#ty> {
            self.core.get::<#ty>(#i).ok().flatten()
        }

        #[doc = #try_doc]
        #vis fn #try_f(&self #gate_param) -> #p::Result<#p::Option<#ty>, #p::CookieError> {
            self.core.get::<#ty>(#i)
        }

        #[doc = #set_doc]
        #vis fn #set_f(&mut self, value: &#ty #gate_param) -> #p::Result<(), #p::CookieError> {
            self.core.set::<#ty>(#i, value)
        }

        #[doc = #clear_doc]
        #vis fn #clear_f(&mut self) {
            self.core.clear(#i)
        }
    }
}

/// `consent_state` and `record_consent`, when the inventory has a consent cookie of type
/// `ConsentRecord` (rule 17 allows at most one).
fn consent_helpers(p: &TokenStream, m: &Model<'_>) -> TokenStream {
    let Some(c) = m.cookies.iter().find(|c| {
        c.purpose == crate::attr::Purpose::Consent
            && matches!(c.ty, syn::Type::Path(t) if t.path.segments.last().is_some_and(|s| s.ident == "ConsentRecord"))
    }) else {
        return quote!();
    };
    let ident = m.ident;
    let vis = m.vis;
    let f = c.field;
    let set_f = format_ident!("set_{}", f);
    quote! {
        /// The visitor's consent for this request: the consent cookie, if it verifies and was
        /// given for the current inventory revision, and the `Sec-GPC` header.
        #vis fn consent_state(&self) -> #p::ConsentState {
            #p::ConsentState::new(self.#f(), <#ident as #p::Inventory>::REVISION, self.core.gpc())
        }

        /// Records a new choice: sets the consent cookie and, in the same response, clears with
        /// its declared scope every cookie the request carried whose category the choice does
        /// not grant. Returns the new state.
        ///
        /// # Errors
        /// Those of the consent cookie's setter.
        #vis fn record_consent(&mut self, choice: #p::ConsentChoice) -> #p::Result<#p::ConsentState, #p::CookieError> {
            let record = #p::ConsentRecord::choose(choice, <#ident as #p::Inventory>::REVISION, self.core.gpc());
            self.#set_f(&record)?;
            let state = #p::ConsentState::new(#p::Option::Some(record), <#ident as #p::Inventory>::REVISION, self.core.gpc());
            self.core.enforce_consent(&state);
            #p::Result::Ok(state)
        }
    }
}
