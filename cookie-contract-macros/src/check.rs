//! The compile-time rules (DESIGN §4), one function per rule, each citing its source.
//!
//! All rules run and every error is collected, so a user sees every mistake at once. Sources are
//! the rulebook in `shared/reference/cookie-rules.md` (R-numbers), RFC 6265bis draft 22 and the
//! layered-cookies draft 02; see that file for the browser code and web-platform-tests behind
//! each.

use darling::util::SpannedValue;
use proc_macro2::Span;

use crate::ast::{Cookie, CookieDef, Inventory, Model, doc_text};
use crate::attr::{Purpose, SameSite};
use crate::duration::MaxAge;

/// Browsers cap lifetimes at 400 days (6265bis §5.5; Chromium 104+, Firefox).
pub const MAX_AGE_LIMIT: i128 = 400 * 86_400;

type Errors = darling::error::Accumulator;

/// A spanned error with a rustc-style message.
fn at(span: Span, msg: impl core::fmt::Display) -> darling::Error {
    darling::Error::custom(msg).with_span(&proc_macro2::Ident::new("span", span))
}

fn flag(v: &Option<SpannedValue<bool>>) -> bool {
    v.as_ref().is_some_and(|v| **v)
}

/// The span of a key's value when written, else of the `cookie` attribute.
fn span_of<T>(v: &Option<SpannedValue<T>>, fallback: Span) -> Span {
    v.as_ref().map_or(fallback, SpannedValue::span)
}

/// The cookie name (declared, or the field name) and where to point at it.
fn name_of(c: &Cookie<'_>) -> (String, Span) {
    match &c.attrs.name {
        Some(n) => ((**n).clone(), n.span()),
        None => {
            let ident = c.original.ident.as_ref().expect("named field");
            (ident.to_string(), ident.span())
        }
    }
}

pub fn check<'a>(inv: &Inventory<'a>) -> darling::Result<Model<'a>> {
    let mut errors = darling::Error::accumulator();
    for c in &inv.cookies {
        check_has_attribute(c, &mut errors);
        check_required_keys(c, &mut errors);
        check_prefix_case(c, &mut errors);
        check_prefix_requirements(c, &mut errors);
        check_same_site_none(c, &mut errors);
        check_partitioned(c, &mut errors);
        check_max_age(c, &mut errors);
        check_name(c, &mut errors);
        check_path(c, &mut errors);
        check_domain(c, &mut errors);
        check_authentication(c, &mut errors);
        check_consent_and_security(c, &mut errors);
    }
    check_duplicate_names(inv, &mut errors);
    check_single_consent_cookie(inv, &mut errors);
    let jar = jar_ident(inv, &mut errors);
    errors.finish()?;

    let cookies = inv.cookies.iter().map(resolve).collect();
    Ok(Model {
        ident: &inv.input.ident,
        vis: &inv.input.vis,
        jar: jar.expect("no errors, so the jar name parsed"),
        krate: inv
            .container
            .krate
            .clone()
            .unwrap_or_else(|| syn::parse_quote!(::cookie_contract)),
        doc: doc_text(&inv.input.attrs),
        cookies,
    })
}

/// Builds the checked cookie; only called once every rule passed.
fn resolve<'a>(c: &Cookie<'a>) -> CookieDef<'a> {
    let a = &c.attrs;
    let max_age = match **a.max_age.as_ref().expect("rule 15") {
        MaxAge::Session => None,
        // Rule 8 bounded it to 1..=34_560_000.
        MaxAge::Seconds(s) => Some(s as u32),
    };
    CookieDef {
        field: c.original.ident.as_ref().expect("named field"),
        ty: &c.original.ty,
        name: name_of(c).0,
        purpose: **a.purpose.as_ref().expect("rule 15"),
        same_site: **a.same_site.as_ref().expect("rule 15"),
        max_age,
        secure: flag(&a.secure),
        http_only: flag(&a.http_only),
        path: a
            .path
            .as_ref()
            .map_or_else(|| "/".to_owned(), |p| (**p).clone()),
        domain: a.domain.as_ref().map(|d| (**d).clone()),
        partitioned: flag(&a.partitioned),
        priority: a.priority.as_ref().map(|p| **p),
        signed: flag(&a.signed),
        doc: doc_text(&c.original.attrs),
    }
}

fn jar_ident(inv: &Inventory<'_>, errors: &mut Errors) -> Option<syn::Ident> {
    match &inv.container.jar {
        None => Some(quote::format_ident!("{}Jar", inv.input.ident)),
        Some(name) => match syn::parse_str::<syn::Ident>(name) {
            Ok(mut ident) => {
                ident.set_span(name.span());
                Some(ident)
            }
            Err(_) => {
                errors.push(at(
                    name.span(),
                    format!("`jar = {:?}` is not a type name; write an identifier such as \"AppCookiesJar\"", &**name),
                ));
                None
            }
        },
    }
}

/// Every field of an inventory declares a cookie, so every field needs `#[cookie(...)]`.
fn check_has_attribute(c: &Cookie<'_>, errors: &mut Errors) {
    if !c.original.attrs.iter().any(|a| a.path().is_ident("cookie")) {
        let ident = c.original.ident.as_ref().expect("named field");
        errors.push(at(
            ident.span(),
            format!(
                "field `{ident}` has no `#[cookie(...)]` attribute; every field of a cookie inventory declares one cookie"
            ),
        ));
    }
}

/// Rule 15. `purpose`, `same_site`, `max_age` and a `secure` decision are required: browser
/// defaults differ (Chrome treats a missing SameSite as Lax, Firefox and Safari as None; R25),
/// and an omitted Secure is usually an oversight rather than a decision.
fn check_required_keys(c: &Cookie<'_>, errors: &mut Errors) {
    if !c.original.attrs.iter().any(|a| a.path().is_ident("cookie")) {
        return; // reported once by `check_has_attribute`
    }
    let a = &c.attrs;
    let missing = [
        (
            a.purpose.is_none(),
            "purpose",
            "add `purpose = \"...\"`, one of authentication, security, consent, essential, preferences, analytics, advertising",
        ),
        (
            a.same_site.is_none(),
            "same_site",
            "add `same_site = \"lax\"`, \"strict\" or \"none\"",
        ),
        (
            a.max_age.is_none(),
            "max_age",
            "add `max_age = \"30d\"` (a duration, seconds, or \"session\")",
        ),
        (
            a.secure.is_none(),
            "secure",
            "add `secure`, or `secure = false` to opt out on purpose",
        ),
    ];
    for (is_missing, key, fix) in missing {
        if is_missing {
            errors.push(at(
                c.attr_span,
                format!("missing `{key}` in `#[cookie(...)]`; {fix}"),
            ));
        }
    }
}

/// The cookie-name prefixes, longest first: `__Host-Http-` must be tested before `__Host-`
/// (rulebook §3: a Firefox revision that tested `__Host-` first skipped the HttpOnly check).
const PREFIXES: [&str; 4] = ["__Host-Http-", "__Host-", "__Http-", "__Secure-"];

/// The prefix `name` carries, matched ASCII case-insensitively as browsers do (6265bis §5.4,
/// since draft 11), with the spelling actually written.
fn prefix_of(name: &str) -> Option<(&'static str, &str)> {
    PREFIXES.iter().find_map(|p| {
        let written = name.get(..p.len())?;
        written.eq_ignore_ascii_case(p).then_some((*p, written))
    })
}

/// Rule 5. A prefix in non-canonical case (`__host-`) is still enforced by browsers (6265bis
/// §5.4; R16–R19 apply "ASCII case-insensitively"), but the server grammar (§4.1.3) spells it
/// canonically. Write the canonical form so readers see the guarantee.
fn check_prefix_case(c: &Cookie<'_>, errors: &mut Errors) {
    let (name, span) = name_of(c);
    if let Some((canonical, written)) = prefix_of(&name)
        && canonical != written
    {
        errors.push(at(
            span,
            format!(
                "cookie prefix `{written}` is not in canonical case; write `{canonical}` (browsers enforce the prefix rules in any case)"
            ),
        ));
    }
}

/// Rules 1–4, the cookie prefixes:
/// 1. `__Secure-` needs Secure (6265bis §4.1.3.1, §5.7 step 20; R16).
/// 2. `__Host-` needs Secure, no Domain and an explicit `Path=/` (6265bis §4.1.3.2, §5.7 step
///    21; R17; wpt `__host.explicit-path`). This crate always emits Path, so the default `/`
///    qualifies.
/// 3. `__Http-` needs Secure and HttpOnly (layered-cookies-02 §4.1.3.3 with PR #3511; R18).
/// 4. `__Host-Http-` needs all of rules 2 and 3 (layered-cookies-02 §4.1.3.4; R19).
fn check_prefix_requirements(c: &Cookie<'_>, errors: &mut Errors) {
    let (name, name_span) = name_of(c);
    let Some((prefix, _)) = prefix_of(&name) else {
        return;
    };
    let a = &c.attrs;
    let host = prefix.starts_with("__Host-");
    let http = prefix.ends_with("Http-");
    // A missing `secure` is reported by rule 15; here only an explicit `secure = false`.
    if let Some(secure) = &a.secure
        && !**secure
    {
        errors.push(at(
            secure.span(),
            format!(
                "`{prefix}` cookies must be `secure`; browsers drop them otherwise: write `secure`"
            ),
        ));
    }
    if http && !flag(&a.http_only) {
        errors.push(at(
            span_of(&a.http_only, name_span),
            format!("`{prefix}` cookies must be `http_only`; browsers drop them otherwise: add `http_only`"),
        ));
    }
    if host {
        if let Some(domain) = &a.domain {
            errors.push(at(
                domain.span(),
                format!("`{prefix}` cookies must not set `domain`; remove it (they are host-only by definition)"),
            ));
        }
        if let Some(path) = &a.path
            && path.as_str() != "/"
        {
            errors.push(at(
                path.span(),
                format!(
                    "`{prefix}` cookies must have `path = \"/\"`; browsers drop them otherwise"
                ),
            ));
        }
    }
}

/// Rule 6. `SameSite=None` without Secure is dropped (6265bis §5.7 step 19; Chrome 80+,
/// Firefox 131+; R24).
fn check_same_site_none(c: &Cookie<'_>, errors: &mut Errors) {
    let a = &c.attrs;
    if let Some(ss) = &a.same_site
        && **ss == SameSite::None
        && a.secure.as_ref().is_some_and(|s| !**s)
    {
        errors.push(at(
            ss.span(),
            "`same_site = \"none\"` requires `secure`; browsers drop insecure SameSite=None cookies: write `secure` or use \"lax\"",
        ));
    }
}

/// Rule 7. A Partitioned cookie without Secure is ignored entirely (CHIPS §2.3; Chromium
/// EXCLUDE_INVALID_PARTITIONED; R26).
fn check_partitioned(c: &Cookie<'_>, errors: &mut Errors) {
    let a = &c.attrs;
    if let Some(p) = &a.partitioned
        && **p
        && a.secure.as_ref().is_some_and(|s| !**s)
    {
        errors.push(at(
            p.span(),
            "`partitioned` requires `secure`; browsers ignore insecure partitioned cookies: write `secure`",
        ));
    }
}

/// Rule 8. `max_age` between 1 second and 400 days. Browsers clamp longer lifetimes to 400 days
/// (6265bis §5.5; R31), so a longer declaration would make the contract lie; zero or negative is
/// a removal (R29), which the generated clearer already is.
fn check_max_age(c: &Cookie<'_>, errors: &mut Errors) {
    let Some(max_age) = &c.attrs.max_age else {
        return;
    };
    let MaxAge::Seconds(s) = **max_age else {
        return;
    };
    if s < 1 {
        errors.push(at(
            max_age.span(),
            "`max_age` must be at least 1 second; a zero or negative lifetime is a removal, which the generated `clear_*` method already sends",
        ));
    } else if s > MAX_AGE_LIMIT {
        errors.push(at(
            max_age.span(),
            format!(
                "`max_age` is {s} seconds, over the 400 days ({MAX_AGE_LIMIT} s) browsers keep a cookie; use at most \"400d\""
            ),
        ));
    }
}

/// RFC 9110 §5.6.2 `tchar`.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Rule 9. The name is a non-empty RFC 9110 token (6265bis §4.1.1 `cookie-name = token`) of at
/// most 4096 bytes. Browsers drop names with controls (R2), cut them at `=` or `;` (R4), trim
/// spaces (R5) and store other separators only because they are lenient (R6); name plus value
/// over 4096 bytes is dropped (R14).
fn check_name(c: &Cookie<'_>, errors: &mut Errors) {
    let (name, span) = name_of(c);
    if name.is_empty() {
        errors.push(at(span, "cookie name must not be empty"));
    } else if let Some(bad) = name
        .chars()
        .find(|&ch| !ch.is_ascii() || !is_tchar(ch as u8))
    {
        errors.push(at(
            span,
            format!(
                "cookie name {name:?} contains {bad:?}, which is not allowed in a cookie name; use only ASCII letters, digits and !#$%&'*+-.^_`|~"
            ),
        ));
    } else if name.len() > 4096 {
        errors.push(at(
            span,
            format!(
                "cookie name is {} bytes; browsers drop cookies whose name and value exceed 4096",
                name.len()
            ),
        ));
    }
}

/// Rule 10. `path` starts with `/` (otherwise browsers silently use the default path: 6265bis
/// §5.6.4; R41), holds only visible ASCII other than `;` (`path-value = *av-octet`, §4.1.1; R42)
/// and is at most 1024 bytes (longer attribute values are ignored, §5.6 step 6; R15).
fn check_path(c: &Cookie<'_>, errors: &mut Errors) {
    let Some(path) = &c.attrs.path else {
        return;
    };
    let span = path.span();
    if !path.starts_with('/') {
        errors.push(at(
            span,
            format!("`path` must start with `/`; write \"/{}\"", path.as_str()),
        ));
    } else if let Some(bad) = path
        .chars()
        .find(|&ch| !(ch.is_ascii_graphic() && ch != ';'))
    {
        errors.push(at(
            span,
            format!("`path` contains {bad:?}; use visible ASCII other than `;` (percent-encode anything else)"),
        ));
    } else if path.len() > 1024 {
        errors.push(at(
            span,
            format!(
                "`path` is {} bytes; browsers ignore attribute values over 1024",
                path.len()
            ),
        ));
    }
}

/// Rule 11. `domain` is an ASCII host name that a browser will accept: 6265bis §4.1.1 and §5.7
/// steps 7–9 (R35–R40); Chromium `GetCookieDomainWithString`. No empty value, leading or
/// trailing dot, empty label, port, scheme, quotes, `%`, IP literal, single label, or public
/// suffix (the Public Suffix List, private section included, via the `psl` crate); at most 1024
/// bytes.
fn check_domain(c: &Cookie<'_>, errors: &mut Errors) {
    let Some(domain) = &c.attrs.domain else {
        return;
    };
    if let Some(problem) = domain_problem(domain) {
        errors.push(at(domain.span(), problem));
    }
}

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

/// Rule 12. Two fields with the same cookie name would read and overwrite each other. Prefixed
/// names are also compared case-insensitively, because browsers match prefixes that way
/// (6265bis §5.4).
fn check_duplicate_names(inv: &Inventory<'_>, errors: &mut Errors) {
    let names: Vec<(String, Span, String)> = inv
        .cookies
        .iter()
        .map(|c| {
            let (n, s) = name_of(c);
            (
                n,
                s,
                c.original.ident.as_ref().expect("named field").to_string(),
            )
        })
        .collect();
    for (i, (name, span, _)) in names.iter().enumerate() {
        let clash = names[..i].iter().find(|(other, _, _)| {
            other == name
                || ((prefix_of(name).is_some() || prefix_of(other).is_some())
                    && other.eq_ignore_ascii_case(name))
        });
        if let Some((other, _, field)) = clash {
            let spelled = if other == name {
                String::new()
            } else {
                format!(" as {other:?}, and prefixed names must differ in more than letter case")
            };
            errors.push(at(
                *span,
                format!(
                    "cookie name {name:?} is already declared by field `{field}`{spelled}; give each cookie its own name"
                ),
            ));
        }
    }
}

/// Rule 13. An authentication cookie is a credential: `secure` so it never travels in clear,
/// `http_only` so script (any XSS) cannot read it, and never `SameSite=None` (OWASP Session
/// Management Cheat Sheet; shared/reference/csrf-session-consent.md §B).
fn check_authentication(c: &Cookie<'_>, errors: &mut Errors) {
    let a = &c.attrs;
    let Some(purpose) = &a.purpose else {
        return;
    };
    if **purpose != Purpose::Authentication {
        return;
    }
    if let Some(secure) = &a.secure
        && !**secure
    {
        errors.push(at(
            secure.span(),
            "`purpose = \"authentication\"` cookies must be `secure`; a credential must never travel in clear: write `secure`",
        ));
    }
    if !flag(&a.http_only) {
        errors.push(at(
            span_of(&a.http_only, purpose.span()),
            "`purpose = \"authentication\"` cookies must be `http_only`; a credential readable by JavaScript is stolen by any XSS: add `http_only`",
        ));
    }
    if let Some(ss) = &a.same_site
        && **ss == SameSite::None
    {
        errors.push(at(
            ss.span(),
            "`purpose = \"authentication\"` cookies must not be `same_site = \"none\"`; write \"lax\" or \"strict\"",
        ));
    }
}

/// Rule 14. Consent and security cookies decide what the site may do; an insecure one can be
/// set by a network attacker (6265bis §8.6, weak integrity) to forge consent or plant a CSRF
/// secret.
fn check_consent_and_security(c: &Cookie<'_>, errors: &mut Errors) {
    let a = &c.attrs;
    let (Some(purpose), Some(secure)) = (&a.purpose, &a.secure) else {
        return;
    };
    if matches!(**purpose, Purpose::Consent | Purpose::Security) && !**secure {
        errors.push(at(
            secure.span(),
            format!(
                "`purpose = \"{}\"` cookies must be `secure`; an insecure one can be forged over plain HTTP: write `secure`",
                purpose.as_str()
            ),
        ));
    }
}

/// Rule 17. At most one consent cookie: the consent state is read from it, and two could
/// disagree.
fn check_single_consent_cookie(inv: &Inventory<'_>, errors: &mut Errors) {
    let mut first: Option<String> = None;
    for c in &inv.cookies {
        let Some(purpose) = &c.attrs.purpose else {
            continue;
        };
        if **purpose != Purpose::Consent {
            continue;
        }
        let field = c.original.ident.as_ref().expect("named field").to_string();
        match &first {
            None => first = Some(field),
            Some(first) => errors.push(at(
                purpose.span(),
                format!(
                    "only one cookie may have `purpose = \"consent\"`; field `{first}` already does"
                ),
            )),
        }
    }
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

    #[test]
    fn prefixes_longest_first_and_case_insensitive() {
        assert_eq!(
            prefix_of("__Host-Http-x"),
            Some(("__Host-Http-", "__Host-Http-"))
        );
        assert_eq!(prefix_of("__host-x"), Some(("__Host-", "__host-")));
        assert_eq!(prefix_of("__Hostname"), None);
        assert_eq!(
            prefix_of("__Secure-Http-x"),
            Some(("__Secure-", "__Secure-"))
        );
        assert_eq!(prefix_of("_Host-x"), None);
    }
}
