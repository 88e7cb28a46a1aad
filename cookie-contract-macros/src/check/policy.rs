//! Rules 12-15, 17 and 18: the inventory's own consistency and the security and consent
//! policy, one function per rule (rule 16, malformed attributes, is the parsing in `attr.rs`).

use proc_macro2::Span;

use super::browser::prefix_of;
use super::{Errors, at, flag, name_of, span_of};
use crate::ast::{Cookie, Inventory};
use crate::attr::{Purpose, SameSite};

/// Rule 12. Two fields with the same cookie name would read and overwrite each other. Prefixed
/// names are also compared case-insensitively, because browsers match prefixes that way
/// (6265bis §5.4).
pub(super) fn check_duplicate_names(inv: &Inventory<'_>, errors: &mut Errors) {
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
/// Management Cheat Sheet, "Cookies").
pub(super) fn check_authentication(c: &Cookie<'_>, errors: &mut Errors) {
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
pub(super) fn check_consent_and_security(c: &Cookie<'_>, errors: &mut Errors) {
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
pub(super) fn check_single_consent_cookie(inv: &Inventory<'_>, errors: &mut Errors) {
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

/// Rule 18. The consent cookie must be `signed` or `encrypted`: an unsigned one can be written
/// by any script on the page (unless HttpOnly) and by any sibling subdomain (cookie tossing,
/// RFC 6265bis §8.6), and would forge a consent the visitor never gave, which unlocks analytics
/// and advertising.
pub(super) fn check_consent_signed(c: &Cookie<'_>, errors: &mut Errors) {
    let a = &c.attrs;
    let Some(purpose) = &a.purpose else {
        return;
    };
    if **purpose == Purpose::Consent && !flag(&a.signed) && !flag(&a.encrypted) {
        errors.push(at(
            span_of(&a.signed, span_of(&a.encrypted, purpose.span())),
            "the consent cookie must be `signed` or `encrypted`: an unsigned one could be written by any script or sibling subdomain to forge consent: add `signed`",
        ));
    }
}

/// Rule 19. `signed` and `encrypted` are exclusive: AES-256-GCM already refuses any value that
/// was altered, sealed for another name or with an unknown key, so a MAC on top would only add
/// 44 bytes and a second key to rotate, and leave a reader unsure which layer protects what.
pub(super) fn check_signed_or_encrypted(c: &Cookie<'_>, errors: &mut Errors) {
    let a = &c.attrs;
    if flag(&a.signed) && flag(&a.encrypted) {
        errors.push(at(
            span_of(&a.signed, c.attr_span),
            "`signed` and `encrypted` are exclusive: encryption (AES-256-GCM) already authenticates the value and the cookie name; remove `signed`",
        ));
    }
}

/// Rule 15. `purpose`, `same_site`, `max_age` and a `secure` decision are required: browser
/// defaults differ (Chrome treats a missing SameSite as Lax, Firefox and Safari as None),
/// and an omitted Secure is usually an oversight rather than a decision.
pub(super) fn check_required_keys(c: &Cookie<'_>, errors: &mut Errors) {
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
