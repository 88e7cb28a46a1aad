//! Where a form may send the visitor afterwards: the one validator for redirect targets.
//!
//! Only a plain absolute path of this site passes: it starts with one `/`, and holds nothing but
//! letters, digits and `/-._~?=&`. That refuses, among others, `//evil.example` and `/\evil`
//! (browsers read both as another host), a scheme (`https:`), whitespace and control characters
//! (browsers strip TAB, CR and LF from URLs, so `/<TAB>/evil.example` becomes `//evil.example`;
//! CR and LF would also break the `Location` header), `%` (no encoded variant can smuggle any of
//! these through), and anything non-ASCII.

/// The longest target accepted; the app's own are a few bytes.
const MAX_LEN: usize = 512;

/// A redirect target that passed [`RedirectTarget::parse`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectTarget(String);

impl RedirectTarget {
    /// The home page.
    pub fn home() -> Self {
        RedirectTarget("/".to_owned())
    }

    /// `Some` for a plain absolute path of this site, `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let plain = |b: u8| b.is_ascii_alphanumeric() || b"/-._~?=&".contains(&b);
        let ok = s.len() <= MAX_LEN
            && s.starts_with('/')
            && !s.starts_with("//")
            && s.bytes().all(plain);
        ok.then(|| RedirectTarget(s.to_owned()))
    }

    /// The target, for `Redirect::to`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_local_paths_pass() {
        for ok in [
            "/",
            "/account",
            "/cookies",
            "/a/b-c_d.e~f",
            "/search?q=x&page=2",
        ] {
            assert_eq!(RedirectTarget::parse(ok).unwrap().as_str(), ok);
        }
        for bad in [
            "",
            "account",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example/",
            "/\r\nSet-Cookie: a=b",
            "/\n/evil.example",
            "/\x7f",
            "/ /evil.example",
            "https://evil.example",
            "https:evil.example",
            "javascript:alert(1)",
            "/%09/evil.example",
            "/%2F%2Fevil.example",
            "/%5Cevil.example",
            "/é",
        ] {
            assert_eq!(RedirectTarget::parse(bad), None, "{bad:?}");
        }
        assert!(RedirectTarget::parse(&format!("/{}", "a".repeat(MAX_LEN))).is_none());
    }
}
