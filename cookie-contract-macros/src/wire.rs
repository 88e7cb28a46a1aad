//! The wire bytes the derive precomputes at compile time, so the runtime only copies them: the
//! attribute suffix of every `Set-Cookie` line, the complete removal line, and the inventory
//! revision hash.

use crate::ast::{CookieDef, Model};

/// Everything after the value in the `Set-Cookie` line, in the fixed order of DESIGN §5:
/// `; Path=…; Domain=…; Max-Age=…; HttpOnly; Secure; SameSite=…; Partitioned; Priority=…`.
pub fn suffix(c: &CookieDef<'_>) -> String {
    let mut s = format!("; Path={}", c.path);
    if let Some(d) = &c.domain {
        s += &format!("; Domain={d}");
    }
    if let Some(m) = c.max_age {
        s += &format!("; Max-Age={m}");
    }
    flags(c, &mut s);
    if let Some(p) = c.priority {
        s += &format!("; Priority={}", p.as_str());
    }
    s
}

/// The full removal line. Every scope attribute is repeated: a browser refuses a `__Host-`
/// removal without Secure and keys partitioned cookies by partition (DESIGN §5). `Expires` in
/// the past covers clients that ignore `Max-Age`.
pub fn removal(c: &CookieDef<'_>) -> String {
    let mut s = format!("{}=; Path={}", c.name, c.path);
    if let Some(d) = &c.domain {
        s += &format!("; Domain={d}");
    }
    s += "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
    flags(c, &mut s);
    s
}

/// The removal line at each legacy scope: the same as [`removal`] with the old Path and Domain.
pub fn legacy_removals(c: &CookieDef<'_>) -> Vec<String> {
    c.legacy
        .iter()
        .map(|(path, domain)| {
            let mut s = format!("{}=; Path={path}", c.name);
            if let Some(d) = domain {
                s += &format!("; Domain={d}");
            }
            s += "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
            flags(c, &mut s);
            s
        })
        .collect()
}

fn flags(c: &CookieDef<'_>, s: &mut String) {
    if c.http_only {
        *s += "; HttpOnly";
    }
    if c.secure {
        *s += "; Secure";
    }
    *s += "; SameSite=";
    *s += c.same_site.as_str();
    if c.partitioned {
        *s += "; Partitioned";
    }
}

/// The inventory revision: FNV-1a (64 bit) over each cookie's name and scope, sorted by name,
/// so reordering fields or editing docs keeps it and any change a browser would see changes it.
pub fn revision(m: &Model<'_>) -> String {
    let mut lines: Vec<String> = m
        .cookies
        .iter()
        .map(|c| {
            format!(
                "{}|{}|{}|{:?}|{}|{}|{}|{:?}|{}|{:?}|{}",
                c.name,
                c.purpose.as_str(),
                c.same_site.as_str(),
                c.max_age,
                c.secure,
                c.http_only,
                c.path,
                c.domain,
                c.partitioned,
                c.priority.map(|p| p.as_str()),
                c.signed
            )
        })
        .collect();
    lines.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in lines.join("\n").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}
