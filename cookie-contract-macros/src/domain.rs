//! Rule 11's test of a `domain` value: an ASCII host name a browser accepts as a cookie's
//! Domain (RFC 6265bis §4.1.1 and §5.7 steps 7-9; Chromium's `GetCookieDomainWithString`),
//! that is not a public suffix (the Public Suffix List, private section included, via `psl`).

/// What is wrong with `d` as a `domain`, in words that say what to write instead; `None` when
/// it is fine.
///
/// Longer than most functions on purpose: one early return per browser check, in the order
/// the checks build on each other (a later one assumes the earlier passed), so the list reads
/// as the rule does.
pub fn domain_problem(d: &str) -> Option<String> {
    let fix = "write a registrable domain such as \"example.com\" or a subdomain of one";
    if d.is_empty() {
        return Some("`domain` must not be empty; remove it for a host-only cookie".into());
    }
    if d.len() > 1024 {
        return Some(format!(
            "`domain` is {} bytes; browsers ignore attribute values over 1024",
            d.len()
        ));
    }
    if d.contains("://") {
        return Some(format!("`domain` must not contain a scheme; {fix}"));
    }
    if d.starts_with('.') {
        return Some(format!(
            "`domain` must not start with a dot (browsers ignore it; the cookie covers subdomains anyway); write \"{}\"",
            d.trim_start_matches('.')
        ));
    }
    if d.ends_with('.') {
        return Some(format!(
            "`domain` must not end with a dot; browsers drop the cookie; write \"{}\"",
            d.trim_end_matches('.')
        ));
    }
    if !d.is_ascii() {
        return Some(
            "`domain` must be ASCII; write an internationalised name in its `xn--` form".into(),
        );
    }
    if d.contains(':') || d.contains('[') {
        return Some(format!(
            "`domain` must not contain a port or an IPv6 address; {fix}"
        ));
    }
    if let Some(bad) = d
        .chars()
        .find(|&ch| !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '.'))
    {
        return Some(format!(
            "`domain` contains {bad:?}; a host name has only letters, digits, hyphens and dots"
        ));
    }
    let labels: Vec<&str> = d.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return Some(format!("`domain` has an empty label (`..`); {fix}"));
    }
    if let Some(l) = labels.iter().find(|l| l.len() > 63) {
        return Some(format!(
            "`domain` label `{l}` is longer than the 63 bytes DNS allows"
        ));
    }
    if labels.iter().all(|l| l.bytes().all(|b| b.is_ascii_digit())) {
        return Some(format!(
            "`domain` must not be an IP address; omit `domain` for a host-only cookie, or {fix}"
        ));
    }
    if labels.len() == 1 {
        return Some(format!(
            "`domain = \"{d}\"` is a single label, which browsers refuse; omit `domain` for a host-only cookie"
        ));
    }
    let lower = d.to_ascii_lowercase();
    if psl::suffix_str(&lower) == Some(lower.as_str()) {
        return Some(format!(
            "`domain = \"{d}\"` is a public suffix; browsers refuse cookies for it: use a registrable domain such as \"example.{d}\""
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        for ok in [
            "example.com",
            "Example.COM",
            "a.b.example.co.uk",
            "xn--bcher-kva.example",
            "my-site.org",
        ] {
            assert_eq!(domain_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            ".example.com",
            "example.com.",
            "example..com",
            "example.com:443",
            "https://example.com",
            "\"example.com\"",
            "exa%6dple.com",
            "127.0.0.1",
            "localhost",
            "com",
            "co.uk",
            "github.io",
            "bücher.example",
            "[::1]",
            "exa mple.com",
        ] {
            assert!(domain_problem(bad).is_some(), "{bad}");
        }
    }
}
