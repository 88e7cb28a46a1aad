//! Text the derive writes into rustdoc and `CookieSpec` data: header lines, the revision hash,
//! accessor docs and the inventory table.

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

/// "8 hours", "1 day 12 hours", "until the browser closes".
pub fn lifetime(max_age: Option<u32>) -> String {
    let Some(mut s) = max_age else {
        return "until the browser closes".into();
    };
    let mut parts = Vec::new();
    for (size, unit) in [
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ] {
        let n = s / size;
        if n > 0 {
            parts.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
        }
        s %= size;
    }
    parts.join(" ")
}

/// `Path=/, host-only` or `Path=/, Domain=example.com`.
pub fn scope(c: &CookieDef<'_>) -> String {
    match &c.domain {
        Some(d) => format!("Path={}, Domain={d}", c.path),
        None => format!("Path={}, host-only", c.path),
    }
}

fn flag_list(c: &CookieDef<'_>) -> String {
    let mut f = Vec::new();
    if c.http_only {
        f.push("HttpOnly".to_string());
    }
    if c.secure {
        f.push("Secure".into());
    }
    f.push(format!("SameSite={}", c.same_site.as_str()));
    if c.partitioned {
        f.push("Partitioned".into());
    }
    if let Some(p) = c.priority {
        f.push(format!("Priority={}", p.as_str()));
    }
    if c.signed {
        f.push("signed".into());
    }
    f.join(", ")
}

/// One line that says what a cookie is, for accessor docs.
pub fn summary(c: &CookieDef<'_>) -> String {
    format!(
        "The `{}` cookie: {}, {}, lifetime {}; {}.",
        c.name,
        c.purpose.as_str(),
        scope(c),
        lifetime(c.max_age),
        flag_list(c)
    )
}

/// The field's own doc, as a paragraph to append (empty when it has none).
pub fn field_doc(c: &CookieDef<'_>) -> String {
    if c.doc.is_empty() {
        String::new()
    } else {
        format!("\n\n{}", c.doc)
    }
}

/// The jar type's documentation: the struct doc and the inventory table.
pub fn jar_doc(m: &Model<'_>) -> String {
    let mut s = format!(
        "Typed access to the cookies declared by [`{}`]: one request's cookies and the response's pending `Set-Cookie` headers.\n\n",
        m.ident
    );
    if !m.doc.is_empty() {
        s += &m.doc;
        s += "\n\n";
    }
    s += "| Cookie | Purpose | Lifetime | Scope | Flags | Description |\n|---|---|---|---|---|---|\n";
    for c in &m.cookies {
        s += &format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            c.name,
            c.purpose.as_str(),
            lifetime(c.max_age),
            scope(c),
            flag_list(c),
            c.doc.replace('\n', " ").replace('|', "\\|")
        );
    }
    s
}
