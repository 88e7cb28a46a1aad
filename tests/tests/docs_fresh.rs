//! Documents that must not drift: the README carries the derive's reference
//! (`cookie-contract-macros/REFERENCE.md`, which is the `CookieContract` rustdoc) verbatim, and
//! the rules table there lists every rule that `docs/RULES.md` explains.

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_readme_carries_the_derive_reference_verbatim() {
    let readme = read("cookie-contract/README.md");
    let reference = read("cookie-contract-macros/REFERENCE.md");
    let start = readme
        .find("## What the derive generates")
        .expect("README has the reference");
    let end = readme
        .find("<!-- end of REFERENCE.md -->")
        .expect("README marks its end");
    assert_eq!(
        &readme[start..end],
        reference,
        "edit cookie-contract-macros/REFERENCE.md and copy it into the README"
    );
}

#[test]
fn every_rule_has_its_source_in_the_rulebook() {
    let reference = read("cookie-contract-macros/REFERENCE.md");
    let rules = read("docs/RULES.md");
    let numbers = |text: &str| -> Vec<u32> {
        let mut n: Vec<u32> = text
            .lines()
            .filter_map(|l| l.strip_prefix("| "))
            .filter_map(|l| l.split(' ').next()?.parse().ok())
            .collect();
        n.sort_unstable();
        n
    };
    let expected: Vec<u32> = (1..=20).collect();
    assert_eq!(numbers(&reference), expected, "rules table of REFERENCE.md");
    assert_eq!(numbers(&rules), expected, "docs/RULES.md");
}
