//! Server-rendered pages. Plain HTML forms work without JavaScript; every form that changes state
//! for a signed-in visitor carries its CSRF token. All interpolated text is escaped.

use cookie_contract::inventory::escape_html as esc;

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
}

fn csrf_field(csrf: Option<&str>) -> String {
    csrf.map(|t| {
        format!(
            r#"<input type="hidden" name="csrf_token" value="{}">"#,
            esc(t)
        )
    })
    .unwrap_or_default()
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:1rem 1.5rem;line-height:1.5}\
body.dark{background:#111;color:#eee}body.dark a{color:#9cf}\
nav a{margin-right:1rem}table{border-collapse:collapse;width:100%;font-size:.9rem}\
td,th{border:1px solid #8884;padding:.3rem .5rem;text-align:left;vertical-align:top}\
#consent-banner{border:2px solid #888;border-radius:.5rem;padding:1rem;margin:1rem 0}\
#consent-banner .choices button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem;min-width:9rem}\
form.inline{display:inline}fieldset{border:1px solid #8886;margin:1rem 0}";

/// The page frame: navigation, the consent banner when needed, the content.
pub fn layout(title: &str, v: &Visitor<'_>, return_to: &str, content: &str) -> String {
    let banner = if v.ask_consent {
        banner(v.csrf, return_to)
    } else {
        String::new()
    };
    let account = match v.user {
        Some(u) => format!(r#"<a href="/account">Account ({})</a>"#, esc(u)),
        None => r#"<a href="/login">Log in</a>"#.to_owned(),
    };
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · cookie-contract example</title><style>{STYLE}</style></head>
<body class="{theme}">
<nav><a href="/">Home</a>{account}<a href="/cookies">Cookie policy</a><a href="/free.pdf">Free PDF</a></nav>
{banner}<main>
{content}
</main>
</body>
</html>
"#,
        lang = v.locale.as_str(),
        title = esc(title),
        theme = v.theme.as_str(),
    )
}

/// The consent banner: "Accept all" and "Reject all" side by side, equally prominent, plus a
/// per-category choice.
fn banner(csrf: Option<&str>, return_to: &str) -> String {
    format!(
        r#"<section id="consent-banner" aria-label="Cookie choices">
<form method="post" action="/api/consent">
{csrf}<input type="hidden" name="return_to" value="{return_to}">
<p>We use cookies to keep you signed in and secure (always on), and — only if you agree — to remember your preferences and to measure how the site is used. See the <a href="/cookies">cookie policy</a>.</p>
<p class="choices"><button type="submit" name="choice" value="accept" id="accept-all">Accept all</button><button type="submit" name="choice" value="reject" id="reject-all">Reject all</button></p>
<details><summary>Choose by category</summary>
<label><input type="checkbox" name="preferences" value="true" id="consent-preferences"> Preferences (theme, language)</label><br>
<label><input type="checkbox" name="analytics" value="true" id="consent-analytics"> Analytics</label><br>
<label><input type="checkbox" name="advertising" value="true" id="consent-advertising"> Advertising</label><br>
<button type="submit" name="choice" value="custom" id="save-choices">Save choices</button>
</details>
</form>
</section>
"#,
        csrf = csrf_field(csrf),
        return_to = esc(return_to),
    )
}

/// The theme and language form.
pub fn preferences_form(v: &Visitor<'_>, return_to: &str) -> String {
    let option = |value: &str, label: &str, selected: bool| {
        format!(
            r#"<option value="{value}"{}>{label}</option>"#,
            if selected { " selected" } else { "" }
        )
    };
    format!(
        r#"<form method="post" action="/api/preferences" id="preferences-form">
{csrf}<input type="hidden" name="return_to" value="{return_to}">
<fieldset><legend>Preferences</legend>
<label>Theme <select name="theme" id="theme">{light}{dark}</select></label>
<label>Language <select name="locale" id="locale">{en}{de}{fr}{ja}</select></label>
<button type="submit" id="save-preferences">Save preferences</button>
<p><small>Saving keeps your theme and language in cookies, which turns on preference cookies.</small></p>
</fieldset>
</form>"#,
        csrf = csrf_field(v.csrf),
        return_to = esc(return_to),
        light = option("light", "Light", v.theme == Theme::Light),
        dark = option("dark", "Dark", v.theme == Theme::Dark),
        en = option("en", "English", v.locale == Locale::En),
        de = option("de", "Deutsch", v.locale == Locale::De),
        fr = option("fr", "Français", v.locale == Locale::Fr),
        ja = option("ja", "日本語", v.locale == Locale::Ja),
    )
}

/// `GET /`.
pub fn home(v: &Visitor<'_>, analytics: Option<&str>) -> String {
    let measurement = match analytics {
        Some(id) => format!(
            r#"<p id="analytics-status">Audience measurement is on (visitor id <code>{}</code>).</p>"#,
            esc(id)
        ),
        None => r#"<p id="analytics-status">Audience measurement is off.</p>"#.to_owned(),
    };
    let content = format!(
        r#"<h1>cookie-contract example</h1>
<p>Every cookie on this site is declared once in code, checked by the compiler and listed on the <a href="/cookies">cookie policy</a>.</p>
<p><a href="/free.pdf" id="free-download">Download the free PDF</a> — it works whatever you chose about cookies.</p>
{measurement}
{prefs}"#,
        prefs = preferences_form(v, "/"),
    );
    layout("Home", v, "/", &content)
}

/// `GET /login`, with an error message after a failed attempt.
pub fn login(v: &Visitor<'_>, error: Option<&str>) -> String {
    let error = error
        .map(|e| format!(r#"<p role="alert" id="login-error">{}</p>"#, esc(e)))
        .unwrap_or_default();
    let content = format!(
        r#"<h1>Log in</h1>
{error}<form method="post" action="/api/login" id="login-form">
{csrf}<p><label>E-mail <input type="email" name="email" id="email" autocomplete="username" required></label></p>
<p><label>Password <input type="password" name="password" id="password" autocomplete="current-password" required></label></p>
<p><button type="submit" id="login-submit">Log in</button></p>
</form>"#,
        csrf = csrf_field(v.csrf),
    );
    layout("Log in", v, "/login", &content)
}

/// `GET /account`.
pub fn account(v: &Visitor<'_>, user: &str, created_at: u64) -> String {
    let content = format!(
        r#"<h1 id="account">Your account</h1>
<p>Signed in as <strong id="account-email">{user}</strong> since <span id="signed-in-at">{created_at}</span> (Unix time).</p>
{prefs}
<form method="post" action="/api/logout" id="logout-form">{csrf}<button type="submit" id="logout">Log out</button></form>"#,
        user = esc(user),
        prefs = preferences_form(v, "/account"),
        csrf = csrf_field(v.csrf),
    );
    layout("Account", v, "/account", &content)
}

/// `GET /cookies`: the policy fragment rendered from the inventory, and a way to change choices.
pub fn policy(v: &Visitor<'_>, fragment: &str, choice: &str) -> String {
    let content = format!(
        r#"<h1>Cookie policy</h1>
<p>This list is generated from the application's code, so it always matches what the site sets.</p>
{fragment}
<h2>Your choices</h2>
<p id="current-choice">{choice}</p>
<form method="post" action="/api/consent" class="inline">{csrf}<input type="hidden" name="return_to" value="/cookies"><button type="submit" name="choice" value="accept" id="policy-accept">Accept all</button></form>
<form method="post" action="/api/consent" class="inline">{csrf}<input type="hidden" name="return_to" value="/cookies"><button type="submit" name="choice" value="reject" id="policy-reject">Reject all</button></form>"#,
        choice = esc(choice),
        csrf = csrf_field(v.csrf),
    );
    layout("Cookie policy", v, "/cookies", &content)
}
