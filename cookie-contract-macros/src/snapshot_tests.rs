//! Expansion snapshots: the generated code for a representative inventory, pretty-printed.
//! Update with `INSTA_UPDATE=always cargo test -p cookie-contract-macros`, then review the diff.

fn expand(input: syn::DeriveInput) -> String {
    let tokens = crate::contract(&input);
    let file: syn::File = syn::parse2(tokens).expect("the expansion is valid Rust");
    prettyplease::unparse(&file)
}

#[test]
fn representative_inventory() {
    insta::assert_snapshot!(expand(syn::parse_quote! {
        /// Cookies set by example.com.
        #[derive(CookieContract)]
        pub struct AppCookies {
            /// Points at the server-side session record; the record is the truth.
            #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
                     same_site = "lax", path = "/", max_age = "8h", signed)]
            session: SessionToken,

            /// The visitor's cookie choices.
            #[cookie(name = "__Host-consent", purpose = "consent", secure, http_only,
                     same_site = "lax", max_age = "180d", signed)]
            consent: ConsentRecord,

            /// Light or dark theme.
            #[cookie(name = "theme", purpose = "preferences", secure, http_only = false,
                     same_site = "lax", max_age = "365d")]
            theme: Theme,

            /// Embedded widget.
            #[cookie(name = "__Secure-w", purpose = "essential", secure, same_site = "none",
                     domain = "example.com", path = "/embed", partitioned, priority = "high",
                     max_age = "session")]
            widget: u32,
        }
    }));
}

#[test]
fn unsigned_inventory_gets_a_keyless_constructor() {
    let out = expand(syn::parse_quote! {
        #[cookies(jar = "Prefs", crate = "::my_reexport")]
        struct P {
            #[cookie(purpose = "essential", secure, same_site = "lax", max_age = 60)]
            id: u8,
        }
    });
    assert!(
        out.contains(
            "fn from_request_headers(headers: &::my_reexport::__private::HeaderMap) -> Self"
        ),
        "{out}"
    );
    assert!(out.contains("::my_reexport::__private::axum_impls!(Prefs, unkeyed)"));
    assert!(out.contains("struct Prefs"));
}

#[test]
fn every_error_is_reported_at_once_with_a_stub() {
    insta::assert_snapshot!(expand(syn::parse_quote! {
        struct Bad {
            #[cookie(name = "__Host-x", purpose = "authentication", secure = false,
                     same_site = "none", domain = "co.uk", max_age = "500d")]
            a: String,
            #[cookie(name = "__Host-x", purpose = "essential", same_site = "lax")]
            b: String,
        }
    }));
}
