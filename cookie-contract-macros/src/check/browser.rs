//! Rules 1-11 and 20 (legacy scopes): what browsers drop or mis-store (RFC 6265bis, the
//! layered-cookies draft, CHIPS and browser behaviour), one function per rule.

use super::{Errors, MAX_AGE_LIMIT, at, flag, name_of, span_of};
use crate::ast::Cookie;
use crate::attr::SameSite;
use crate::domain::domain_problem;
use crate::duration::MaxAge;

/// The cookie-name prefixes, longest first: `__Host-Http-` must be tested before `__Host-`
/// (a browser that tested `__Host-` first would skip the `__Host-Http-` HttpOnly check).
const PREFIXES: [&str; 4] = ["__Host-Http-", "__Host-", "__Http-", "__Secure-"];

/// The prefix `name` carries, matched ASCII case-insensitively as browsers do (6265bis §5.4,
/// since draft 11), with the spelling actually written.
pub(super) fn prefix_of(name: &str) -> Option<(&'static str, &str)> {
    PREFIXES.iter().find_map(|p| {
        let written = name.get(..p.len())?;
        written.eq_ignore_ascii_case(p).then_some((*p, written))
    })
}

/// Rule 5. A prefix in non-canonical case (`__host-`) is still enforced by browsers (6265bis
/// §5.4 applies them "ASCII case-insensitively"), but the server grammar (§4.1.3) spells it
/// canonically. Write the canonical form so readers see the guarantee.
pub(super) fn check_prefix_case(c: &Cookie<'_>, errors: &mut Errors) {
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
/// 1. `__Secure-` needs Secure (6265bis §4.1.3.1, §5.7 step 20).
/// 2. `__Host-` needs Secure, no Domain and an explicit `Path=/` (6265bis §4.1.3.2, §5.7 step
///    21; wpt `__host.explicit-path`). This crate always emits Path, so the default `/`
///    qualifies.
/// 3. `__Http-` needs Secure and HttpOnly (layered-cookies-02 §4.1.3.3 with PR #3511).
/// 4. `__Host-Http-` needs all of rules 2 and 3 (layered-cookies-02 §4.1.3.4).
pub(super) fn check_prefix_requirements(c: &Cookie<'_>, errors: &mut Errors) {
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
/// Firefox 131+).
pub(super) fn check_same_site_none(c: &Cookie<'_>, errors: &mut Errors) {
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
/// EXCLUDE_INVALID_PARTITIONED).
pub(super) fn check_partitioned(c: &Cookie<'_>, errors: &mut Errors) {
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
/// (6265bis §5.5), so a longer declaration would make the contract lie; zero or negative is
/// a removal, which the generated clearer already is.
pub(super) fn check_max_age(c: &Cookie<'_>, errors: &mut Errors) {
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
/// most 4096 bytes. Browsers drop names with controls, cut them at `=` or `;`, trim
/// spaces and store other separators only because they are lenient; name plus value
/// over 4096 bytes is dropped.
pub(super) fn check_name(c: &Cookie<'_>, errors: &mut Errors) {
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
/// §5.6.4), holds only visible ASCII other than `;` (`path-value = *av-octet`, §4.1.1)
/// and is at most 1024 bytes (longer attribute values are ignored, §5.6 step 6).
pub(super) fn check_path(c: &Cookie<'_>, errors: &mut Errors) {
    let Some(path) = &c.attrs.path else {
        return;
    };
    if let Some(problem) = path_problem(path) {
        errors.push(at(path.span(), problem));
    }
}

/// What is wrong with `path` as a `path` (rule 10), in words that say what to write instead.
fn path_problem(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        Some(format!("`path` must start with `/`; write \"/{path}\""))
    } else if let Some(bad) = path
        .chars()
        .find(|&ch| !(ch.is_ascii_graphic() && ch != ';'))
    {
        Some(format!(
            "`path` contains {bad:?}; use visible ASCII other than `;` (percent-encode anything else)"
        ))
    } else if path.len() > 1024 {
        Some(format!(
            "`path` is {} bytes; browsers ignore attribute values over 1024",
            path.len()
        ))
    } else {
        None
    }
}

/// Rule 11. `domain` is an ASCII host name that a browser will accept: 6265bis §4.1.1 and §5.7
/// steps 7–9; Chromium `GetCookieDomainWithString`. No empty value, leading or
/// trailing dot, empty label, port, scheme, quotes, `%`, IP literal, single label, or public
/// suffix (the Public Suffix List, private section included, via the `psl` crate); at most 1024
/// bytes.
pub(super) fn check_domain(c: &Cookie<'_>, errors: &mut Errors) {
    let Some(domain) = &c.attrs.domain else {
        return;
    };
    if let Some(problem) = domain_problem(domain) {
        errors.push(at(domain.span(), problem));
    }
}

/// Rule 20. Every `legacy(...)` scope obeys rules 2, 10 and 11 as the current scope does, and
/// differs from the current scope and from the other legacy scopes: a removal at the current
/// scope is what the clearer already sends, and a `__Host-` cookie has only one possible scope
/// (`Path=/`, no Domain; RFC 6265bis §4.1.3.2).
pub(super) fn check_legacy_scopes(c: &Cookie<'_>, errors: &mut Errors) {
    let a = &c.attrs;
    let (name, _) = name_of(c);
    let host = prefix_of(&name).is_some_and(|(p, _)| p.starts_with("__Host-"));
    let current = (
        super::current_path(a),
        a.domain.as_ref().map(|d| d.to_ascii_lowercase()),
    );
    let mut seen = vec![current.clone()];
    for l in &a.legacy {
        if let Some(p) = &l.path
            && let Some(problem) = path_problem(p)
        {
            errors.push(at(p.span(), format!("legacy {problem}")));
            continue;
        }
        if let Some(d) = &l.domain
            && let Some(problem) = domain_problem(d)
        {
            errors.push(at(d.span(), format!("legacy {problem}")));
            continue;
        }
        if host {
            errors.push(at(
                l.span(),
                "a `__Host-` cookie has one scope (Path=/, no Domain), so it has no legacy scope; remove `legacy(...)` (clear the old cookie under its old name instead)",
            ));
            continue;
        }
        let scope = (
            l.path
                .as_ref()
                .map_or_else(|| current.0.clone(), |p| (**p).clone()),
            match &l.domain {
                Some(d) => Some(d.to_ascii_lowercase()),
                None => current.1.clone(),
            },
        );
        if scope == current {
            errors.push(at(
                l.span(),
                "this legacy scope is the current scope, which `clear_*` already removes; give the old `path` or `domain`",
            ));
        } else if seen.contains(&scope) {
            errors.push(at(l.span(), "this legacy scope is listed twice"));
        } else {
            seen.push(scope);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
