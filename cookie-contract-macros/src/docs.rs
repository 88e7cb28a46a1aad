//! Text the derive writes into rustdoc: accessor docs and the inventory table. (The wire bytes
//! it precomputes are in `wire.rs`.)

use crate::ast::{CookieDef, Model};

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
    if c.encrypted {
        f.push("encrypted".into());
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

/// The rustdoc of a cookie's accessors: getter, `try_` getter, `every_` getter, setter,
/// `_with` setter, clearer. Each repeats what the cookie is (name, scope, lifetime) and says what
/// can go wrong.
pub fn accessor_docs(c: &CookieDef<'_>) -> [String; 6] {
    let summary = summary(c);
    let doc = field_doc(c);
    let try_f = format!("try_{}", c.field);
    let get_doc = format!(
        "Reads {summary}{doc}\n\n`None` when the request did not carry it or it is invalid; [`Self::{try_f}`] tells the two apart."
    );
    let try_doc = format!(
        "Reads {summary}\n\n`Ok(None)` when absent.\n\n# Errors\n`CookieError::Duplicate` when the request carried it more than once, `CookieError::Invalid` when it does not decode{}.",
        if c.signed {
            ", `CookieError::BadSignature` when its signature does not verify"
        } else if c.encrypted {
            ", `CookieError::BadSeal` when it does not open (altered, sealed for another name or with a key the ring does not hold)"
        } else {
            ""
        }
    );
    let set_doc = format!(
        "Queues a `Set-Cookie` for {summary}\n\nReplaces anything queued for this cookie.\n\n# Errors\n`CookieError::TooLarge` when name and encoded value exceed 4096 bytes; `CookieError::BadEncoding` when the value's encoder wrote bytes outside cookie-octets. Nothing is queued on error."
    );
    let clear_doc = format!(
        "Queues the removal of {summary}\n\nSent as `{}`: the same Path, Domain, Secure, HttpOnly, SameSite and Partitioned as the setter.",
        crate::wire::removal(c)
    );
    let every_doc = format!(
        "Every copy of the `{}` cookie the request carried that verifies and decodes, in the order sent.\n\nA request carries several after cookie tossing or a change of scope, and [`Self::{try_f}`] then answers `CookieError::Duplicate`; a logout revokes what each of these names.",
        c.name
    );
    let set_with_doc = format!(
        "Queues a `Set-Cookie` for the `{}` cookie with this response's `lifetime`: `Lifetime::Session` (no `Max-Age`: gone when the browser session ends) or a duration from 1 second up to the declared `max_age`. Every other attribute is as declared.\n\n# Errors\n`CookieError::LifetimeTooLong` for a longer lifetime (never clamped), `CookieError::LifetimeZero` for zero seconds (that is `clear_{}`), then as the plain setter. Nothing is queued on error.",
        c.name, c.field
    );
    [
        get_doc,
        try_doc,
        every_doc,
        set_doc,
        set_with_doc,
        clear_doc,
    ]
}
