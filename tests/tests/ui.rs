//! Compile-time rules: one mistake per file under `tests/ui/<rule>/`, each with its blessed
//! `.stderr` (`TRYBUILD=overwrite cargo test -p cookie-contract-tests --test ui`, then review).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    for dir in [
        "prefix",
        "same-site",
        "partitioned",
        "max-age",
        "name",
        "path",
        "domain",
        "duplicate",
        "authentication",
        "consent-security",
        "missing",
        "keys",
        "container",
        "value",
        "consent-gate",
    ] {
        t.compile_fail(format!("ui/{dir}/*.rs"));
    }
    t.pass("ui/pass/*.rs");
}
