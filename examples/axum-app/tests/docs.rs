//! The committed cookie documentation matches the code. Refresh with
//! `COOKIE_CONTRACT_BLESS=1 cargo test -p axum-app --test docs`.

use axum_app::AppCookies;
use cookie_contract::inventory;

#[test]
fn cookies_md_is_fresh() {
    inventory::assert_document_fresh(
        concat!(env!("CARGO_MANIFEST_DIR"), "/COOKIES.md"),
        &inventory::markdown::<AppCookies>(),
    );
}
