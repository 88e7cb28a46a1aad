//! The `Cookie` header grammar, in one place: cookie-octets, the `name=value` pairs of a
//! request's `Cookie` headers ([`pairs`]), the one pass that places every declared cookie of an
//! inventory (the jars' getters), and the search for every copy of one name (logout's
//! `every_*`, the audit layer and the CSRF layer).
//!
//! Neither allocates: the request's header values are kept reference-counted
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
/// This runs on every value read and written. On x86-64, values of 16 bytes or more are checked
/// 16 bytes at a time with SSE2 (43 bytes in 3.3 ns, where the compiler's vectorisation of the
/// fold below took 5.2); shorter ones, and other targets, by that branch-free fold (a
/// byte-at-a-time table walk cost five times as much).
#[inline]
pub fn is_cookie_octets(value: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if value.len() >= 16 {
        return octets_sse2(value);
    }
    all_bytes(value, is_cookie_octet)
}

/// [`is_cookie_octets`] for 16 bytes or more: every 16-byte block (the last one overlapping the
/// one before), the misfits of all of them or-ed into one mask.
#[cfg(target_arch = "x86_64")]
#[inline]
fn octets_sse2(value: &[u8]) -> bool {
    use core::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_setzero_si128,
    };
    debug_assert!(value.len() >= 16);
    // SAFETY (every block below): SSE2 is part of x86-64, so the intrinsics are available;
    // each load reads the 16 bytes at `at` ≤ `value.len() - 16`, and `loadu` needs no alignment.
    let misfits = |at: usize| unsafe {
        let v = _mm_loadu_si128(value.as_ptr().add(at).cast::<__m128i>());
        // 0x21..=0x7E moved to -128..=-35 (wrapping), so one signed compare checks the range.
        let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x5f));
        let in_range = _mm_cmplt_epi8(shifted, _mm_set1_epi8(-34));
        let excluded = [b'"', b',', b';', b'\\'].map(|b| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)));
        let excluded = _mm_or_si128(
            _mm_or_si128(excluded[0], excluded[1]),
            _mm_or_si128(excluded[2], excluded[3]),
        );
        // A byte fits when it is in range and not excluded: in_range is all ones there.
        _mm_or_si128(_mm_cmpeq_epi8(in_range, _mm_setzero_si128()), excluded)
    };
    let last = value.len() - 16;
    let mut all = misfits(last);
    let mut at = 0;
    while at < last {
        // SAFETY: SSE2, as above.
        all = unsafe { _mm_or_si128(all, misfits(at)) };
        at += 16;
    }
    // SAFETY: SSE2, as above.
    unsafe { _mm_movemask_epi8(all) == 0 }
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
    ) -> impl Iterator<Item = (usize, usize, usize)> + 's {
        self.iter().enumerate().flat_map(move |(header, value)| {
            let h = value.as_bytes();
            finder.find_iter(h).filter_map(move |at| {
                // The name, then `=` (whitespace may stand between), at the start of a pair:
                // the same reading as `NameIndex::locate`.
                let eq = pair_named(h, at, h.len(), finder.needle())?;
                if !starts_pair(h, at) {
                    return None;
                }
                let end = memchr::memchr(b';', &h[eq + 1..]).map_or(h.len(), |e| eq + 1 + e);
                let (start, end) = trim_value(h, eq + 1, end);
                Some((header, start, end))
            })
        })
    }

    /// Where the cookie `name` is, searching with `finder` (a searcher for `name`).
    #[cfg(feature = "tower")]
    pub(crate) fn find(&self, finder: &memchr::memmem::Finder<'_>) -> Found {
        let mut all = self.occurrences(finder);
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
        match self.find(&finder) {
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

/// Per-inventory lookup structures for the declared names, built once per process (the derive
/// keeps one in a `static`). Not used directly.
#[derive(Debug)]
pub struct Finders(OnceLock<Lookup>);

/// What [`Finders`] holds: a substring searcher per declared name (to find every copy of one
/// cookie) and the first-byte index that locates all of them in one pass.
#[derive(Debug)]
pub(crate) struct Lookup {
    pub(crate) finders: Vec<memchr::memmem::Finder<'static>>,
    pub(crate) index: NameIndex,
}

impl Finders {
    /// An empty cache.
    #[allow(clippy::new_without_default)] // used in `static` items, which need a `const fn`
    pub const fn new() -> Self {
        Finders(OnceLock::new())
    }

    pub(crate) fn get(&self, specs: &'static [CookieSpec]) -> &Lookup {
        self.0.get_or_init(|| Lookup {
            finders: specs
                .iter()
                .map(|s| memchr::memmem::Finder::new(s.name().as_bytes()))
                .collect(),
            index: NameIndex::new(specs.iter().map(|s| s.name().as_bytes()).collect()),
        })
    }
}

/// The declared names by first byte: a pair can only be a declared cookie when its first byte
/// starts one of their names, and then it is compared with those few names only.
///
/// One pass over the `Cookie` headers then places every declared cookie at once. Searching
/// for each name separately (a SIMD substring search per name) cost a pass over the whole
/// header per name, and the common prefixes of tracking cookies (`_`, `__Host-`) made those
/// searches stop at many false candidates.
#[derive(Debug)]
pub(crate) struct NameIndex {
    names: Vec<&'static [u8]>,
    /// For each byte, the range of `order` holding the declared names that start with it.
    by_first: [(u16, u16); 256],
    /// Spec indices sorted by the first byte of their names.
    order: Vec<u16>,
    /// One bit per pair of bytes (first | second << 8): set when a declared name can start a
    /// pair with those two bytes (a one-byte name followed by `=` or a blank). Most pairs are
    /// turned away by this one test, before any name is looked at.
    starts: Box<[u64; 1024]>,
}

impl NameIndex {
    /// The index of `names`, the inventory's declared names in declaration order.
    fn new(names: Vec<&'static [u8]>) -> Self {
        let mut order: Vec<u16> = (0..names.len())
            .map(|i| u16::try_from(i).expect("fewer than 65,536 declared cookies"))
            .collect();
        order.sort_by_key(|&i| names[usize::from(i)].first().copied());
        let mut by_first = [(0u16, 0u16); 256];
        let mut starts = Box::new([0u64; 1024]);
        for (at, &i) in order.iter().enumerate() {
            let name = names[usize::from(i)];
            // Declared names are RFC 9110 tokens, never empty (checked by the derive).
            let Some(&first) = name.first() else {
                continue;
            };
            let slot = &mut by_first[usize::from(first)];
            if slot.1 == 0 {
                slot.0 = u16::try_from(at).expect("fewer than 65,536 declared cookies");
            }
            slot.1 += 1;
            let seconds: &[u8] = match name.get(1) {
                Some(second) => core::slice::from_ref(second),
                None => b"= \t",
            };
            for &second in seconds {
                let (word, bit) = start_bit(first, second);
                starts[word] |= bit;
            }
        }
        NameIndex {
            names,
            by_first,
            order,
            starts,
        }
    }

    /// Where each declared cookie is in `cookies`, in one pass over every header: `Missing`,
    /// its value's place, or `Duplicate` when the name is sent more than once (in one header
    /// or across several). Lenient as [`pairs`] is about whitespace.
    pub(crate) fn locate<const N: usize>(&self, cookies: &CookieHeaders) -> [Found; N] {
        debug_assert_eq!(self.names.len(), N);
        let mut found = [Found::Missing; N];
        for (header, value) in cookies.iter().enumerate() {
            let h = value.as_bytes();
            // Pairs end at each `;`, found 64 bytes at a time: a comparison mask per block,
            // then its set bits (a `memchr` call per pair cost more than the scan itself, and
            // 32-byte blocks spent as many instructions on the loop as on the pairs).
            let mut pos = 0;
            let mut base = 0;
            while base < h.len() {
                let mut mask = semicolons(h, base);
                while mask != 0 {
                    let end = base + mask.trailing_zeros() as usize;
                    mask &= mask - 1;
                    self.place(h, header, pos, end, &mut found);
                    pos = end + 1;
                }
                base += BLOCK;
            }
            self.place(h, header, pos, h.len(), &mut found);
        }
        found
    }

    /// Records the pair `h[pos..end]` (one segment between semicolons) in `found` when it is a
    /// declared cookie.
    #[inline(always)]
    fn place<const N: usize>(
        &self,
        h: &[u8],
        header: usize,
        mut pos: usize,
        end: usize,
        found: &mut [Found; N],
    ) {
        while pos < end && matches!(h[pos], b' ' | b'\t') {
            pos += 1;
        }
        if pos == end {
            return;
        }
        // The second byte may be the `;` ending the pair (or 0 past the header's end): no
        // declared name has either there, so such a pair is turned away as it should be.
        let (word, bit) = start_bit(h[pos], h.get(pos + 1).copied().unwrap_or(0));
        if self.starts[word] & bit == 0 {
            return;
        }
        let (from, len) = self.by_first[usize::from(h[pos])];
        for &i in &self.order[usize::from(from)..usize::from(from) + usize::from(len)] {
            let i = usize::from(i);
            if let Some(eq) = pair_named(h, pos, end, self.names[i]) {
                let (start, stop) = trim_value(h, eq + 1, end);
                found[i] = match found[i] {
                    Found::Missing => Found::At {
                        header,
                        start,
                        end: stop,
                    },
                    _ => Found::Duplicate,
                };
                // Declared names are distinct and each must be followed by `=`: no other can
                // name this pair.
                return;
            }
        }
    }
}

/// Where a pair starting with the bytes `first`, `second` is in `NameIndex::starts`: the word
/// and the bit in it.
#[inline(always)]
fn start_bit(first: u8, second: u8) -> (usize, u64) {
    let key = usize::from(first) | usize::from(second) << 8;
    (key >> 6, 1 << (key & 63))
}

/// Whether the pair at `h[pos..end]` is named `name`: the name, optional spaces or tabs, `=`.
/// Returns the position of the `=`.
#[inline(always)]
fn pair_named(h: &[u8], pos: usize, end: usize, name: &[u8]) -> Option<usize> {
    let mut eq = pos + name.len();
    // The byte after the name first: almost every pair that shares a first byte with a declared
    // name has a longer or shorter name, and this one comparison rules it out.
    if eq >= end || !matches!(h[eq], b'=' | b' ' | b'\t') || &h[pos..eq] != name {
        return None;
    }
    while eq < end && matches!(h[eq], b' ' | b'\t') {
        eq += 1;
    }
    (eq < end && h[eq] == b'=').then_some(eq)
}

/// The bytes the pass looks at per step.
const BLOCK: usize = 64;

/// Bit `i` set when `h[base + i]` is `;`, for the (up to) 64 bytes from `base`.
#[inline(always)]
fn semicolons(h: &[u8], base: usize) -> u64 {
    if let Some(block) = h.get(base..base + BLOCK) {
        return semicolon_mask(block.try_into().expect("64 bytes"));
    }
    if h.len() >= BLOCK {
        // The last 64 bytes, shifted so that the bytes before `base` (already seen) drop out.
        let last = semicolon_mask(h[h.len() - BLOCK..].try_into().expect("64 bytes"));
        return last >> (base - (h.len() - BLOCK));
    }
    let mut block = [0u8; BLOCK];
    let tail = h.get(base..).unwrap_or_default();
    block[..tail.len()].copy_from_slice(tail);
    semicolon_mask(&block)
}

/// The `;` bits of one 64-byte block: four SSE2 compares (SSE2 is part of x86-64 itself, so no
/// detection is needed). The compiler does not turn the portable fold below into these.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn semicolon_mask(block: &[u8; BLOCK]) -> u64 {
    use core::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let quarter = |at: usize| {
        // SAFETY: SSE2 is enabled on every x86-64 target, so these intrinsics are available;
        // the load reads 16 bytes at `at` ≤ 48 inside `block` (64 bytes) and `loadu` needs no
        // alignment.
        unsafe {
            let bytes = _mm_loadu_si128(block.as_ptr().add(at).cast::<__m128i>());
            let found = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b';' as i8));
            u64::from(_mm_movemask_epi8(found) as u16) << at
        }
    };
    quarter(0) | quarter(16) | quarter(32) | quarter(48)
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn semicolon_mask(block: &[u8; BLOCK]) -> u64 {
    block
        .iter()
        .enumerate()
        .fold(0u64, |m, (i, &b)| m | (u64::from(b == b';') << i))
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

    /// Names that share first bytes and prefixes, so the index's buckets and its "the name,
    /// then `=`" check are both exercised.
    const NAMES: [&str; 4] = ["a", "ab", "__Host-s", "__Host-sid"];

    /// What `locate` must say, from the pair grammar: every pair whose name is declared, counted.
    fn reference(headers: &[&[u8]]) -> [Found; 4] {
        let mut found = [Found::Missing; 4];
        for (header, h) in headers.iter().enumerate() {
            for p in pairs(h) {
                if let Some(i) = NAMES.iter().position(|n| n.as_bytes() == p.name) {
                    found[i] = match found[i] {
                        Found::Missing => Found::At {
                            header,
                            start: p.value_start,
                            end: p.value_start + p.value.len(),
                        },
                        _ => Found::Duplicate,
                    };
                }
            }
        }
        found
    }

    fn locate(headers: &[&[u8]]) -> [Found; 4] {
        let mut map = HeaderMap::new();
        for h in headers {
            map.append(COOKIE, HeaderValue::from_bytes(h).unwrap());
        }
        NameIndex::new(NAMES.iter().map(|n| n.as_bytes()).collect())
            .locate(&CookieHeaders::capture(&map))
    }

    #[test]
    fn locate_places_each_declared_cookie_once() {
        let h: &[u8] = b"_ga=1; a=x; abc=no; ab =\"y\" ;__Host-sid=z; __Host-s";
        let found = locate(&[h]);
        let value = |f: Found| match f {
            Found::At { start, end, .. } => &h[start..end],
            other => panic!("{other:?}"),
        };
        assert_eq!(value(found[0]), b"x");
        assert_eq!(value(found[1]), b"y");
        // `__Host-s` without `=` is a nameless cookie, not `__Host-s`.
        assert_eq!(found[2], Found::Missing);
        assert_eq!(value(found[3]), b"z");
        assert_eq!(found, reference(&[h]));
    }

    #[test]
    fn locate_sees_duplicates_across_headers() {
        let found = locate(&[b"a=1", b"b=2; a=3"]);
        assert_eq!(found[0], Found::Duplicate);
        assert_eq!(found[1], Found::Missing);
    }

    proptest::proptest! {
        /// One pass agrees with the pair grammar on headers made of declared names, their
        /// prefixes and extensions, whitespace, quotes, `=` and `;`.
        #[test]
        fn locate_agrees_with_pairs(
            headers in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "a", "ab", "abc", "b", "__Host-", "__Host-s", "__Host-sid", "id", "=",
                        ";", "; ", " ", "\t", "\"", "x", "_",
                    ]),
                    // Up to ~250 bytes: whole 64-byte blocks, the overlapped last block and the
                    // padded short header are all taken.
                    0..96,
                ),
                1..4,
            )
        ) {
            let headers: Vec<Vec<u8>> = headers.iter().map(|h| h.concat().into_bytes()).collect();
            let headers: Vec<&[u8]> = headers.iter().map(Vec::as_slice).collect();
            // Compared as the values they slice: an empty value's offset may differ.
            let values = |found: [Found; 4]| {
                found.map(|f| match f {
                    Found::At { header, start, end } => Some((header, &headers[header][start..end])),
                    Found::Missing => None,
                    Found::Duplicate => Some((usize::MAX, &b""[..])),
                })
            };
            proptest::prop_assert_eq!(values(locate(&headers)), values(reference(&headers)));
        }
    }

    proptest::proptest! {
        /// The vector check agrees with the byte-by-byte definition at every length (the
        /// blocks, the overlapped last block and the short values' fold).
        #[test]
        fn octets_agree_with_the_definition(
            value in proptest::collection::vec(
                proptest::prop_oneof![
                    // Mostly cookie-octets, so that one misfit among them decides the answer.
                    8 => 0x21u8..=0x7e,
                    1 => proptest::num::u8::ANY,
                ],
                0..100,
            )
        ) {
            proptest::prop_assert_eq!(
                is_cookie_octets(&value),
                value.iter().all(|&b| is_cookie_octet(b))
            );
        }
    }

    /// Every byte value at every position of a 43-byte token (a session token's length) and of a
    /// 16-byte value: the bounds of the range compare and each excluded byte are all taken.
    #[test]
    fn each_byte_at_each_position_is_judged() {
        for len in [16, 17, 43] {
            for at in 0..len {
                for b in 0..=u8::MAX {
                    let mut value = vec![b'a'; len];
                    value[at] = b;
                    assert_eq!(
                        is_cookie_octets(&value),
                        is_cookie_octet(b),
                        "{len} {at} {b:#x}"
                    );
                }
            }
        }
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
