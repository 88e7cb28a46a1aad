//! The inventory as documents: Markdown, JSON, an HTML cookie-policy fragment, a cookieconsent v3
//! `categories` block and an IAB TCF device-storage disclosure, all rendered from the same
//! `const` data the jar uses, so documentation cannot drift from code. Output is deterministic:
//! declaration order, fixed key order.

use std::fmt::Write as _;
use std::path::Path;

#[cfg(feature = "json")]
use serde::Serialize;

use crate::spec::{Category, CookieSpec, Inventory, Lifetime};

/// Version of the JSON produced by [`json`]. Bumped on any incompatible change.
///
/// ```
/// use cookie_contract::inventory;
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// let json = inventory::json::<App>();
/// assert!(json.contains(&format!(r#""schema_version": {}"#, inventory::SCHEMA_VERSION)));
/// ```
pub const SCHEMA_VERSION: u32 = 1;

fn lifetime(spec: &CookieSpec) -> String {
    match spec.lifetime() {
        Lifetime::Session => "until the browser closes".into(),
        Lifetime::Seconds(s) => format!("{} ({s} s)", spec.lifetime()),
    }
}

fn scope(spec: &CookieSpec) -> String {
    match spec.domain() {
        Some(d) => format!("Path={}, Domain={d}", spec.path()),
        None => format!("Path={}, host-only", spec.path()),
    }
}

fn flags(spec: &CookieSpec) -> String {
    let mut f = Vec::new();
    if spec.http_only() {
        f.push("HttpOnly".to_owned());
    }
    if spec.secure() {
        f.push("Secure".to_owned());
    }
    f.push(format!("SameSite={}", spec.same_site().as_str()));
    if spec.partitioned() {
        f.push("Partitioned".to_owned());
    }
    if let Some(p) = spec.priority() {
        f.push(format!("Priority={}", p.as_str()));
    }
    if spec.signed() {
        f.push("signed".to_owned());
    }
    if spec.encrypted() {
        f.push("encrypted".to_owned());
    }
    f.join(", ")
}

/// Heading and explanation of a category on the policy page.
fn category_text(c: Category) -> (&'static str, &'static str) {
    match c {
        Category::Necessary => (
            "Strictly necessary",
            "Needed for the site to work and to keep it secure: signing in, protection against forged requests, and remembering your cookie choices. They cannot be switched off.",
        ),
        Category::Preferences => (
            "Preferences",
            "Remember settings you chose, such as theme and language. Set only with your consent.",
        ),
        Category::Analytics => (
            "Analytics",
            "Help us understand how the site is used. Set only with your consent.",
        ),
        Category::Advertising => (
            "Advertising",
            "Used for advertising and measuring it. Set only with your consent.",
        ),
    }
}

fn md_cell(s: &str) -> String {
    s.replace('\n', " ").replace('|', "\\|")
}

/// A Markdown document: a heading, the revision and a table with one row per cookie (name,
/// purpose, consent category, lifetime in words and seconds, scope, flags, whether JavaScript can
/// read it, description).
///
/// ```
/// use cookie_contract::inventory;
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// let md = inventory::markdown::<App>();
/// assert!(md.contains("| `__Host-session` | authentication | necessary | 8 hours (28800 s) |"));
/// ```
pub fn markdown<I: Inventory>() -> String {
    let mut s = format!("# Cookies: {}\n\n", I::NAME);
    if !I::DESCRIPTION.is_empty() {
        s += I::DESCRIPTION;
        s += "\n\n";
    }
    let _ = writeln!(
        s,
        "Inventory revision `{}`. Generated from the code by cookie-contract; do not edit by hand.\n",
        I::REVISION
    );
    s += "| Cookie | Purpose | Consent category | Lifetime | Scope | Flags | Readable by JavaScript | Description |\n";
    s += "|---|---|---|---|---|---|---|---|\n";
    for c in I::COOKIES {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
            c.name(),
            c.purpose().as_str(),
            c.category().as_str(),
            lifetime(c),
            scope(c),
            flags(c),
            if c.http_only() { "no" } else { "yes" },
            md_cell(c.description())
        );
    }
    s
}

#[cfg(feature = "json")]
#[derive(Serialize)]
struct JsonInventory<'a> {
    schema_version: u32,
    inventory: &'a str,
    revision: &'a str,
    description: &'a str,
    cookies: Vec<JsonCookie<'a>>,
}

#[cfg(feature = "json")]
#[derive(Serialize)]
struct JsonCookie<'a> {
    name: &'a str,
    field: &'a str,
    purpose: &'a str,
    category: &'a str,
    /// `null` for a browser-session cookie.
    max_age_seconds: Option<u32>,
    lifetime: String,
    path: &'a str,
    /// `null` for a host-only cookie.
    domain: Option<&'a str>,
    host_only: bool,
    secure: bool,
    http_only: bool,
    readable_by_javascript: bool,
    same_site: &'a str,
    partitioned: bool,
    priority: Option<&'a str>,
    signed: bool,
    encrypted: bool,
    description: &'a str,
}

#[cfg(feature = "json")]
/// The inventory as JSON, schema version [`SCHEMA_VERSION`]:
///
/// ```text
/// { "schema_version": 1, "inventory": "<struct>", "revision": "<16 hex>", "description": "...",
///   "cookies": [ { "name", "field", "purpose", "category", "max_age_seconds" (null: session),
///                  "lifetime", "path", "domain" (null: host-only), "host_only", "secure",
///                  "http_only", "readable_by_javascript", "same_site" ("Strict"|"Lax"|"None"),
///                  "partitioned", "priority" (null|"Low"|"Medium"|"High"), "signed",
///                  "encrypted", "description" } ] }
/// ```
///
/// `encrypted` was added to version 1 (an added key; every earlier key keeps its meaning).
pub fn json<I: Inventory>() -> String {
    let doc = JsonInventory {
        schema_version: SCHEMA_VERSION,
        inventory: I::NAME,
        revision: I::REVISION,
        description: I::DESCRIPTION,
        cookies: I::COOKIES
            .iter()
            .map(|c| JsonCookie {
                name: c.name(),
                field: c.field(),
                purpose: c.purpose().as_str(),
                category: c.category().as_str(),
                max_age_seconds: c.lifetime().seconds(),
                lifetime: c.lifetime().to_string(),
                path: c.path(),
                domain: c.domain(),
                host_only: c.domain().is_none(),
                secure: c.secure(),
                http_only: c.http_only(),
                readable_by_javascript: !c.http_only(),
                same_site: c.same_site().as_str(),
                partitioned: c.partitioned(),
                priority: c.priority().map(|p| p.as_str()),
                signed: c.signed(),
                encrypted: c.encrypted(),
                description: c.description(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("plain data serialises");
    s.push('\n');
    s
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// An HTML fragment for a cookie-policy page: one `<section>` per consent category that has
/// cookies, each with an explanation and a table. All text is escaped.
///
/// ```
/// use cookie_contract::inventory;
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// let html = inventory::html::<App>();
/// assert!(html.contains("<code>__Host-session</code>"));
/// ```
pub fn html<I: Inventory>() -> String {
    let mut s = format!(
        "<div class=\"cookie-policy\" data-revision=\"{}\">\n",
        escape_html(I::REVISION)
    );
    for cat in Category::ALL {
        let cookies: Vec<&CookieSpec> = I::COOKIES.iter().filter(|c| c.category() == cat).collect();
        if cookies.is_empty() {
            continue;
        }
        let (title, text) = category_text(cat);
        let _ = write!(
            s,
            "<section id=\"{}\">\n<h2>{}</h2>\n<p>{}</p>\n<table>\n<thead><tr><th>Cookie</th><th>Purpose</th><th>Lifetime</th><th>Scope</th><th>Flags</th><th>Readable by JavaScript</th><th>Description</th></tr></thead>\n<tbody>\n",
            cat.as_str(),
            title,
            text
        );
        for c in cookies {
            let _ = writeln!(
                s,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape_html(c.name()),
                c.purpose().as_str(),
                escape_html(&lifetime(c)),
                escape_html(&scope(c)),
                escape_html(&flags(c)),
                if c.http_only() { "no" } else { "yes" },
                escape_html(c.description())
            );
        }
        s += "</tbody>\n</table>\n</section>\n";
    }
    s += "</div>\n";
    s
}

#[cfg(feature = "json")]
/// A cookieconsent v3 `categories` block (orestbida/cookieconsent): necessary cookies
/// `readOnly` and enabled, the gated categories disabled until chosen, each with an `autoClear`
/// list that carries the declared name, path and domain (so its deletion hits the right scope).
/// HttpOnly cookies cannot be cleared from JavaScript and are left to the server's
/// `enforce_consent`.
///
/// ```
/// use cookie_contract::inventory;
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// let block = inventory::cookieconsent_categories::<App>();
/// assert!(block.contains(r#""necessary""#) && block.contains(r#""readOnly": true"#));
/// ```
pub fn cookieconsent_categories<I: Inventory>() -> String {
    let mut map = serde_json::Map::new();
    for cat in Category::ALL {
        let cookies: Vec<&CookieSpec> = I::COOKIES.iter().filter(|c| c.category() == cat).collect();
        if cookies.is_empty() {
            continue;
        }
        let auto_clear: Vec<serde_json::Value> = cookies
            .iter()
            .filter(|c| !c.http_only())
            .map(|c| {
                let mut o = serde_json::Map::new();
                o.insert("name".into(), c.name().into());
                o.insert("path".into(), c.path().into());
                if let Some(d) = c.domain() {
                    o.insert("domain".into(), d.into());
                }
                serde_json::Value::Object(o)
            })
            .collect();
        let necessary = cat == Category::Necessary;
        let mut o = serde_json::Map::new();
        o.insert("enabled".into(), necessary.into());
        o.insert("readOnly".into(), necessary.into());
        if !necessary {
            let mut ac = serde_json::Map::new();
            ac.insert("cookies".into(), auto_clear.into());
            o.insert("autoClear".into(), ac.into());
        }
        map.insert(cat.as_str().into(), o.into());
    }
    let mut s = serde_json::to_string_pretty(&serde_json::Value::Object(map)).expect("JSON");
    s.push('\n');
    s
}

#[cfg(feature = "json")]
/// An IAB TCF "Device Storage & Operational Disclosures" JSON (`disclosures` array: identifier,
/// type, maxAgeSeconds, cookieRefresh, domain, purposes, description). Purposes use TCF v2
/// numbers: 1 (store/access information) for every cookie, plus 7–9 (measurement) for analytics
/// and 2–4 (ads and ad profiles) for advertising; necessary and preference cookies list 1 only.
///
/// ```
/// use cookie_contract::inventory;
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// let json = inventory::tcf_disclosures::<App>("app.example");
/// assert!(json.contains(r#""identifier": "__Host-session""#));
/// ```
pub fn tcf_disclosures<I: Inventory>(host: &str) -> String {
    let disclosures: Vec<serde_json::Value> = I::COOKIES
        .iter()
        .map(|c| {
            let purposes: &[u32] = match c.category() {
                Category::Necessary | Category::Preferences => &[1],
                Category::Analytics => &[1, 7, 8, 9],
                Category::Advertising => &[1, 2, 3, 4],
            };
            serde_json::json!({
                "identifier": c.name(),
                "type": "cookie",
                // TCF: -1 for a session cookie.
                "maxAgeSeconds": c.lifetime().seconds().map_or(-1, i64::from),
                "cookieRefresh": false,
                "domain": c.domain().unwrap_or(host),
                "purposes": purposes,
                "description": c.description(),
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&serde_json::json!({ "disclosures": disclosures }))
        .expect("JSON");
    s.push('\n');
    s
}

/// For tests: fails with a line diff when the committed document at `path` differs from
/// `rendered`. With `COOKIE_CONTRACT_BLESS=1` in the environment it writes `rendered` to `path`
/// instead (creating it), so `COOKIE_CONTRACT_BLESS=1 cargo test` refreshes every document.
///
/// # Panics
/// When the file is stale or missing (without bless), or cannot be written (with bless).
///
/// ```
/// use cookie_contract::inventory;
/// # use cookie_contract::{CookieContract, Inventory, KeyRing, SessionToken};
/// # #[derive(CookieContract)]
/// # struct App {
/// #     /// Keeps you signed in.
/// #     #[cookie(name = "__Host-session", purpose = "authentication", secure, http_only,
/// #              same_site = "lax", max_age = "8h", signed)]
/// #     session: SessionToken,
/// # }
/// # let spec = &App::COOKIES[0];
/// // In a test of your own: `inventory::assert_document_fresh("COOKIES.md", &inventory::markdown::<App>())`.
/// let path = std::env::temp_dir().join(format!("cookie-contract-doc-{}.md", std::process::id()));
/// std::fs::write(&path, inventory::markdown::<App>()).unwrap();
/// inventory::assert_document_fresh(&path, &inventory::markdown::<App>());
/// # std::fs::remove_file(&path).unwrap();
/// ```
pub fn assert_document_fresh(path: impl AsRef<Path>, rendered: &str) {
    let path = path.as_ref();
    if std::env::var_os("COOKIE_CONTRACT_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(path, rendered)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != rendered {
        panic!(
            "{} is stale; rerun with COOKIE_CONTRACT_BLESS=1 to rewrite it.\n--- committed\n+++ generated\n{}",
            path.display(),
            line_diff(&committed, rendered)
        );
    }
}

/// A minimal line diff (longest common subsequence), `-` for removed and `+` for added lines.
fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            let _ = writeln!(out, "+{}", b[j]);
            j += 1;
        } else {
            let _ = writeln!(out, "-{}", a[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape_html("<script>alert('x&y')</script>\""),
            "&lt;script&gt;alert(&#39;x&amp;y&#39;)&lt;/script&gt;&quot;"
        );
    }

    #[test]
    fn diff_marks_changed_lines() {
        assert_eq!(line_diff("a\nb\nc\n", "a\nB\nc\nd\n"), "+B\n-b\n+d\n");
    }
}
