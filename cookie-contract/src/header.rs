//! Header I/O: scanning request `Cookie` headers and checking outgoing values.
//!
//! The scanner finds the declared names in one pass over every `Cookie` header without
//! allocating; values stay in the request's header buffers and are only sliced.

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
