//! Compile-time rules: one mistake per file under `tests/ui/<rule>/`, each with its blessed
//! `.stderr` (`TRYBUILD=overwrite cargo test -p cookie-contract-tests --test ui`, then review);
//! programs that must compile under `tests/ui/pass/`.
//!
//! The folders are discovered, not listed, so a new rule's folder cannot be skipped by mistake.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    let mut dirs: Vec<String> = std::fs::read_dir("ui")
        .expect("tests/ui exists")
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 15, "only {dirs:?} under tests/ui");
    for dir in &dirs {
        let cases = std::fs::read_dir(format!("ui/{dir}"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "rs"))
            })
            .count();
        assert!(cases > 0, "ui/{dir} holds no case");
        if dir == "pass" {
            t.pass("ui/pass/*.rs");
        } else {
            t.compile_fail(format!("ui/{dir}/*.rs"));
        }
    }
}
