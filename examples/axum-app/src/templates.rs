//! Server-rendered pages, with maud: the markup is checked when the app compiles and every
//! interpolated value is HTML-escaped unless it is wrapped in `PreEscaped` (only the policy
//! fragment, which the library renders and escapes itself). No inline script or style: the
//! Content-Security-Policy allows neither.
//!
//! Plain HTML forms work without JavaScript; every form that changes state for a signed-in
//! visitor carries its CSRF token.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::cookies::{Locale, Theme};

/// What every page needs to know about the visitor.
pub struct Visitor<'a> {
    pub theme: Theme,
    pub locale: Locale,
    /// Whether the consent banner is shown (no current choice).
    pub ask_consent: bool,
    /// A CSRF token when the visitor has a session.
    pub csrf: Option<&'a str>,
    /// The signed-in user, if any.
    pub user: Option<&'a str>,
    /// A one-time notice (from the encrypted `__Host-flash` cookie).
    pub notice: Option<&'a str>,
}

/// The hidden CSRF field, for a visitor with a session.
fn csrf_field(csrf: Option<&str>) -> Markup {
    html! {
        @if let Some(token) = csrf {
            input type="hidden" name="csrf_token" value=(token);
        }
    }
}

/// The page frame: navigation, the consent banner when needed, the content.
fn layout(title: &str, v: &Visitor<'_>, return_to: &str, content: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(v.locale.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · cookie-contract example" }
                link rel="stylesheet" href="/style.css";
            }
            body class=(v.theme.as_str()) {
                nav {
                    a href="/" { "Home" }
                    @match v.user {
                        Some(user) => a href="/account" { "Account (" (user) ")" },
                        None => a href="/login" { "Log in" },
                    }
                    a href="/cookies" { "Cookie policy" }
                    a href="/free.pdf" { "Free PDF" }
                }
                @if v.ask_consent {
                    (banner(v.csrf, return_to))
                }
                @if let Some(notice) = v.notice {
                    p id="flash" role="status" { (notice) }
                }
                main { (content) }
            }
        }
    }
    .into_string()
}

/// The consent banner: "Accept all" and "Reject all" side by side, equally prominent, plus a
/// per-category choice.
fn banner(csrf: Option<&str>, return_to: &str) -> Markup {
    html! {
        section id="consent-banner" aria-label="Cookie choices" {
            form method="post" action="/api/consent" {
                (csrf_field(csrf))
                input type="hidden" name="return_to" value=(return_to);
                p {
                    "We use cookies to keep you signed in and secure (always on), and — only if you agree — to remember your preferences and to measure how the site is used. See the "
                    a href="/cookies" { "cookie policy" } "."
                }
                p class="choices" {
                    button type="submit" name="choice" value="accept" id="accept-all" { "Accept all" }
                    button type="submit" name="choice" value="reject" id="reject-all" { "Reject all" }
                }
                details {
                    summary { "Choose by category" }
                    label { input type="checkbox" name="preferences" value="true" id="consent-preferences"; " Preferences (theme, language)" } br;
                    label { input type="checkbox" name="analytics" value="true" id="consent-analytics"; " Analytics" } br;
                    label { input type="checkbox" name="advertising" value="true" id="consent-advertising"; " Advertising" } br;
                    button type="submit" name="choice" value="custom" id="save-choices" { "Save choices" }
                }
            }
        }
    }
}

/// The theme and language form.
fn preferences_form(v: &Visitor<'_>, return_to: &str) -> Markup {
    let themes = [(Theme::Light, "Light"), (Theme::Dark, "Dark")];
    let locales = [
        (Locale::En, "English"),
        (Locale::De, "Deutsch"),
        (Locale::Fr, "Français"),
        (Locale::Ja, "日本語"),
    ];
    html! {
        form method="post" action="/api/preferences" id="preferences-form" {
            (csrf_field(v.csrf))
            input type="hidden" name="return_to" value=(return_to);
            fieldset {
                legend { "Preferences" }
                label { "Theme " select name="theme" id="theme" {
                    @for (theme, label) in themes {
                        option value=(theme.as_str()) selected[v.theme == theme] { (label) }
                    }
                } }
                " "
                label { "Language " select name="locale" id="locale" {
                    @for (locale, label) in locales {
                        option value=(locale.as_str()) selected[v.locale == locale] { (label) }
                    }
                } }
                " "
                button type="submit" id="save-preferences" { "Save preferences" }
                p { small { "Saving keeps your theme and language in cookies, which turns on preference cookies." } }
            }
        }
    }
}

/// `GET /`.
pub fn home(v: &Visitor<'_>, analytics: Option<&str>) -> String {
    let content = html! {
        h1 { "cookie-contract example" }
        p {
            "Every cookie on this site is declared once in code, checked by the compiler and listed on the "
            a href="/cookies" { "cookie policy" } "."
        }
        p {
            a href="/free.pdf" id="free-download" { "Download the free PDF" }
            " — it works whatever you chose about cookies."
        }
        @match analytics {
            Some(id) => p id="analytics-status" { "Audience measurement is on (visitor id " code { (id) } ")." },
            None => p id="analytics-status" { "Audience measurement is off." },
        }
        (preferences_form(v, "/"))
    };
    layout("Home", v, "/", content)
}

/// `GET /login`, with an error message after a failed attempt.
pub fn login(v: &Visitor<'_>, error: Option<&str>) -> String {
    let content = html! {
        h1 { "Log in" }
        @if let Some(e) = error {
            p role="alert" id="login-error" { (e) }
        }
        form method="post" action="/api/login" id="login-form" {
            (csrf_field(v.csrf))
            p { label { "E-mail " input type="email" name="email" id="email" autocomplete="username" required; } }
            p { label { "Password " input type="password" name="password" id="password" autocomplete="current-password" required; } }
            p { label { input type="checkbox" name="remember" value="true" id="remember"; " Keep me signed in for 8 hours" } }
            p { button type="submit" id="login-submit" { "Log in" } }
        }
    };
    layout("Log in", v, "/login", content)
}

/// `GET /account`.
pub fn account(v: &Visitor<'_>, user: &str, created_at: u64) -> String {
    let content = html! {
        h1 id="account" { "Your account" }
        p {
            "Signed in as " strong id="account-email" { (user) }
            " since " span id="signed-in-at" { (created_at) } " (Unix time)."
        }
        (preferences_form(v, "/account"))
        form method="post" action="/api/logout" id="logout-form" {
            (csrf_field(v.csrf))
            button type="submit" id="logout" { "Log out" }
        }
    };
    layout("Account", v, "/account", content)
}

/// `GET /cookies`: the policy fragment rendered from the inventory (already escaped by the
/// library), and a way to change choices.
pub fn policy(v: &Visitor<'_>, fragment: &str, choice: &str) -> String {
    let content = html! {
        h1 { "Cookie policy" }
        p { "This list is generated from the application's code, so it always matches what the site sets." }
        (PreEscaped(fragment))
        h2 { "Your choices" }
        p id="current-choice" { (choice) }
        @for (value, id, label) in [("accept", "policy-accept", "Accept all"), ("reject", "policy-reject", "Reject all")] {
            form method="post" action="/api/consent" class="inline" {
                (csrf_field(v.csrf))
                input type="hidden" name="return_to" value="/cookies";
                button type="submit" name="choice" value=(value) id=(id) { (label) }
            }
        }
    };
    layout("Cookie policy", v, "/cookies", content)
}

/// `GET /style.css`: the one style sheet (served from this origin, as the CSP requires).
pub const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:1rem 1.5rem;line-height:1.5}\
body.dark{background:#111;color:#eee}body.dark a{color:#9cf}\
nav a{margin-right:1rem}table{border-collapse:collapse;width:100%;font-size:.9rem}\
td,th{border:1px solid #8884;padding:.3rem .5rem;text-align:left;vertical-align:top}\
#consent-banner{border:2px solid #888;border-radius:.5rem;padding:1rem;margin:1rem 0}\
#consent-banner .choices button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem;min-width:9rem}\
form.inline{display:inline}fieldset{border:1px solid #8886;margin:1rem 0}\
#flash{border-left:4px solid #4a4;padding:.4rem .8rem;background:#4a41}";
