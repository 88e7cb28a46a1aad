//! Snapshots of every rendering of a representative inventory, and escaping.
//! Update with `INSTA_UPDATE=always cargo test -p cookie-contract-tests --test inventory`.

use cookie_contract::{CookieContract, inventory};
use cookie_contract_tests::Shop;

#[test]
fn markdown() {
    insta::assert_snapshot!(inventory::markdown::<Shop>());
}

#[test]
fn json() {
    let out = inventory::json::<Shop>();
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed["cookies"].as_array().unwrap().len(), 8);
    insta::assert_snapshot!(out);
}

#[test]
fn html() {
    insta::assert_snapshot!(inventory::html::<Shop>());
}

#[test]
fn cookieconsent() {
    insta::assert_snapshot!(inventory::cookieconsent_categories::<Shop>());
}

#[test]
fn tcf() {
    insta::assert_snapshot!(inventory::tcf_disclosures::<Shop>("shop.example.com"));
}

/// Says <script>alert("x")</script> & more | pipes.
#[derive(CookieContract)]
pub struct Hostile {
    /// <script>alert("x")</script> & 'quotes' | pipe
    #[cookie(
        name = "h",
        purpose = "essential",
        secure,
        same_site = "lax",
        max_age = "1h"
    )]
    pub h: String,
}

#[test]
fn doc_comments_are_escaped_in_html_and_markdown() {
    let html = inventory::html::<Hostile>();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains(
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39; | pipe"
    ));
    let md = inventory::markdown::<Hostile>();
    assert!(
        md.contains(r"& 'quotes' \| pipe |"),
        "a pipe cannot break the table: {md}"
    );
    let json: serde_json::Value = serde_json::from_str(&inventory::json::<Hostile>()).unwrap();
    assert_eq!(
        json["cookies"][0]["description"],
        "<script>alert(\"x\")</script> & 'quotes' | pipe"
    );
}
