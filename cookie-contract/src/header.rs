//! The `Cookie` header grammar, in one place: cookie-octets, the `name=value` pairs of a
//! request's `Cookie` headers ([`pairs`]), and the crate's own search for one declared name
//! across all of them (used by the jars, the audit layer and the CSRF layer).
//!
//! Searches never allocate: the request's header values are kept reference-counted
//! (`CookieHeaders`) and values are only sliced out of them.

use std::sync::OnceLock;

use http::header::COOKIE;
use http::{HeaderMap, HeaderValue};

use crate::spec::CookieSpec;

/// Whether `b` is a cookie-octet: `%x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E`
/// (RFC 6265bis §4.1.1).
#[inline(always)]
pub const fn is_cookie_octet(b: u8) -> bool {
    (b >= 0x21) & (b <= 0x7e) & (b != b'"') & (b != b',') & (b != b';') & (b != b'\\')
}

/// Whether every byte is a cookie-octet (the empty value is allowed).
///
/// Written as a branch-free fold over 32-byte blocks so the compiler vectorises it: this runs on
/// every value read, and a byte-at-a-time table walk cost five times as much.
#[inline]
pub fn is_cookie_octets(value: &[u8]) -> bool {
    all_bytes(value, is_cookie_octet)
}

/// `pred` holds for every byte: 32-byte blocks, the tail covered by one overlapping block
/// (a scalar tail loop cost as much as the blocks).
#[inline(always)]
pub(crate) fn all_bytes(s: &[u8], pred: impl Fn(u8) -> bool + Copy) -> bool {
    let block = |c: &[u8]| c.iter().fold(true, |acc, &b| acc & pred(b));
    if s.len() < 32 {
        return block(s);
    }
    let mut ok = true;
    for c in s.chunks_exact(32) {
        ok &= block(c);
    }
    ok & block(&s[s.len() - 32..])
}

/// A request's `Cookie` headers, kept reference-counted rather than copied (no allocation for
/// the usual single header; HTTP/2 clients may send one header per cookie).
#[derive(Clone, Debug, Default)]
pub(crate) struct CookieHeaders {
    first: Option<HeaderValue>,
    rest: Vec<HeaderValue>,
}

impl CookieHeaders {
    /// Keeps every `Cookie` header of `headers`.
    pub(crate) fn capture(headers: &HeaderMap) -> Self {
        let mut all = headers.get_all(COOKIE).iter();
        CookieHeaders {
            first: all.next().cloned(),
            rest: all.cloned().collect(),
        }
    }

    /// The headers, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &HeaderValue> {
        self.first.iter().chain(&self.rest)
    }

    /// The bytes of header `i` (empty when there is none).
    pub(crate) fn get(&self, i: usize) -> &[u8] {
        let v = if i == 0 {
            self.first.as_ref()
        } else {
            self.rest.get(i - 1)
        };
        v.map_or(&[][..], HeaderValue::as_bytes)
    }

    /// Every place the cookie `name` is sent, searching with `finder` (a searcher for `name`):
    /// header index and the value's byte range in it.
    pub(crate) fn occurrences<'s>(
        &'s self,
        finder: &'s memchr::memmem::Finder<'_>,
        name_len: usize,
    ) -> impl Iterator<Item = (usize, usize, usize)> + 's {
        self.iter().enumerate().flat_map(move |(header, value)| {
            let h = value.as_bytes();
            finder.find_iter(h).filter_map(move |at| {
                // Lenient as `pairs` is: whitespace may stand between the name and `=`.
                let mut eq = at + name_len;
                while matches!(h.get(eq), Some(b' ' | b'\t')) {
                    eq += 1;
                }
                if h.get(eq) != Some(&b'=') || !starts_pair(h, at) {
                    return None;
                }
                let end = memchr::memchr(b';', &h[eq + 1..]).map_or(h.len(), |e| eq + 1 + e);
                let (start, end) = trim_value(h, eq + 1, end);
                Some((header, start, end))
            })
        })
    }

    /// Where the cookie `name` is, searching with `finder` (a searcher for `name`).
    pub(crate) fn find(&self, finder: &memchr::memmem::Finder<'_>, name_len: usize) -> Found {
        let mut all = self.occurrences(finder, name_len);
        match (all.next(), all.next()) {
            (None, _) => Found::Missing,
            (Some((header, start, end)), None) => Found::At { header, start, end },
            (Some(_), Some(_)) => Found::Duplicate,
        }
    }

    /// The value of the cookie `name` as sent: `Ok(None)` when absent, `Err(())` when the
    /// request carries the name more than once (which copy the browser meant is unknowable).
    /// For the layers, which read one cookie without a jar.
    #[cfg(feature = "tower")]
    pub(crate) fn value_of(&self, name: &str) -> Result<Option<&[u8]>, ()> {
        let finder = memchr::memmem::Finder::new(name.as_bytes());
        match self.find(&finder, name.len()) {
            Found::Missing => Ok(None),
            Found::Duplicate => Err(()),
            Found::At { header, start, end } => Ok(Some(&self.get(header)[start..end])),
        }
    }
}

/// Where a searched-for cookie is in a request's `Cookie` headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// Not sent.
    Missing,
    /// Sent once: header index and the value's byte range in it.
    At {
        header: usize,
        start: usize,
        end: usize,
    },
    /// Sent more than once.
    Duplicate,
}

/// Whether a name found at `at` starts a pair: nothing but spaces or tabs between it and the
/// previous `;` or the start of the header. Cookie-octets exclude `;`, so a value can never fake
/// a boundary.
fn starts_pair(h: &[u8], at: usize) -> bool {
    let before = h[..at].iter().rposition(|&b| b != b' ' && b != b'\t');
    before.is_none_or(|i| h[i] == b';')
}

/// Per-inventory substring searchers for the declared names, built once per process (the
/// derive keeps one in a `static`). Not used directly.
#[derive(Debug)]
pub struct Finders(OnceLock<Vec<memchr::memmem::Finder<'static>>>);

impl Finders {
    /// An empty cache.
    #[allow(clippy::new_without_default)] // used in `static` items, which need a `const fn`
    pub const fn new() -> Self {
        Finders(OnceLock::new())
    }

    pub(crate) fn get(&self, specs: &'static [CookieSpec]) -> &[memchr::memmem::Finder<'static>] {
        self.0.get_or_init(|| {
            specs
                .iter()
                .map(|s| memchr::memmem::Finder::new(s.name().as_bytes()))
                .collect()
        })
    }
}

/// One `name=value` pair found in a `Cookie` header, as byte ranges into that header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair<'a> {
    /// The name, with surrounding whitespace trimmed.
    pub name: &'a [u8],
    /// The value, with surrounding whitespace and one enclosing pair of DQUOTEs removed.
    pub value: &'a [u8],
    /// Offset of `value` in the header.
    pub value_start: usize,
}

/// Iterates over the `name=value` pairs of one `Cookie` header value, in order.
///
/// Lenient as browsers are: empty segments are skipped, a segment without `=` (a nameless
/// cookie) yields an empty name, whitespace around names and values is trimmed. Never panics.
pub fn pairs(header: &[u8]) -> Pairs<'_> {
    Pairs {
        header,
        pos: 0,
        semicolons: memchr::memchr_iter(b';', header),
    }
}

/// Iterator returned by [`pairs`].
#[derive(Clone, Debug)]
pub struct Pairs<'a> {
    header: &'a [u8],
    pos: usize,
    /// One SIMD pass finds every `;`; a call per segment cost more than the search.
    semicolons: memchr::Memchr<'a>,
}

impl<'a> Iterator for Pairs<'a> {
    type Item = Pair<'a>;

    fn next(&mut self) -> Option<Pair<'a>> {
        let h = self.header;
        while self.pos <= h.len() {
            let start = self.pos;
            let end = self.semicolons.next().unwrap_or(h.len());
            self.pos = end + 1;
            let (s, e) = trim(h, start, end);
            if s == e {
                continue;
            }
            // Names are short: a plain scan beats a SIMD call here.
            let (name, (vs, ve)) = match h[s..e].iter().position(|&b| b == b'=') {
                Some(i) => (trim(h, s, s + i), trim(h, s + i + 1, e)),
                None => ((s, s), (s, e)),
            };
            let (vs, ve) = unquote(h, vs, ve);
            return Some(Pair {
                name: &h[name.0..name.1],
                value: &h[vs..ve],
                value_start: vs,
            });
        }
        None
    }
}

/// The value between `start` and `end` as a server reads it: whitespace trimmed, then one
/// enclosing pair of DQUOTEs removed.
#[inline]
pub(crate) fn trim_value(h: &[u8], start: usize, end: usize) -> (usize, usize) {
    let (s, e) = trim(h, start, end);
    unquote(h, s, e)
}

#[inline]
fn unquote(h: &[u8], s: usize, e: usize) -> (usize, usize) {
    if e - s >= 2 && h[s] == b'"' && h[e - 1] == b'"' {
        (s + 1, e - 1)
    } else {
        (s, e)
    }
}

#[inline]
fn trim(h: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && matches!(h[s], b' ' | b'\t') {
        s += 1;
    }
    while e > s && matches!(h[e - 1], b' ' | b'\t') {
        e -= 1;
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(h: &str) -> Vec<(String, String)> {
        pairs(h.as_bytes())
            .map(|p| {
                (
                    String::from_utf8(p.name.to_vec()).unwrap(),
                    String::from_utf8(p.value.to_vec()).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn splits_trims_and_unquotes() {
        assert_eq!(
            collect(" a=1;b = 2 ;;c=\"q\"; d=; e=x=y;nameless"),
            [
                ("a", "1"),
                ("b", "2"),
                ("c", "q"),
                ("d", ""),
                ("e", "x=y"),
                ("", "nameless")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn value_offsets_point_into_the_header() {
        let h = b"x=1; session=abc";
        let p = pairs(h).nth(1).unwrap();
        assert_eq!(&h[p.value_start..p.value_start + 3], b"abc");
    }

    #[test]
    fn octets() {
        assert!(is_cookie_octets(b"abc.DEF-_~!#$%&'()*+/:<=>?@[]^`{|}"));
        for bad in [
            &b" "[..],
            b"\"",
            b",",
            b";",
            b"\\",
            b"\x7f",
            b"\x00",
            "é".as_bytes(),
        ] {
            assert!(!is_cookie_octets(bad), "{bad:?}");
        }
    }
}
