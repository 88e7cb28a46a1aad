//! Driving the example app the way a browser does: a cookie store, a client that never follows
//! redirects, and one login flow.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderMap, LOCATION, SET_COOKIE};

/// The demo account's login, as JSON.
pub const DEMO_LOGIN: &str =
    r#"{"email":"masa@example.com","password":"correct-horse-battery-staple"}"#;

/// Every `Set-Cookie` line of a response, in order.
pub fn set_cookie_lines(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().expect("Set-Cookie is visible ASCII").to_owned())
        .collect()
}

/// The `name=value` pair at the start of a `Set-Cookie` line: what a browser sends back.
pub fn cookie_pair(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap_or(set_cookie)
}

/// A browser-like cookie store for one host: keeps `name=value` from `Set-Cookie` lines and
/// drops cookies removed with `Max-Age=0`. Enough to drive the app the way a browser does.
#[derive(Clone, Debug, Default)]
pub struct Cookies {
    /// Name to value.
    pub values: BTreeMap<String, String>,
}

impl Cookies {
    /// Applies every `Set-Cookie` of a response; returns the raw lines.
    pub fn absorb(&mut self, headers: &reqwest::header::HeaderMap) -> Vec<String> {
        let lines = set_cookie_lines(headers);
        for line in &lines {
            let (name, value) = cookie_pair(line).split_once('=').unwrap();
            if line.contains("Max-Age=0") {
                self.values.remove(name);
            } else {
                self.values.insert(name.to_owned(), value.to_owned());
            }
        }
        lines
    }

    /// The `Cookie` header a browser would send, or `None` when empty.
    pub fn header(&self) -> Option<String> {
        (!self.values.is_empty()).then(|| {
            self.values
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    /// The value of cookie `name`, if stored.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// An HTTP client that never follows redirects (tests look at each response).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// [`client`] whose connections come from `ip` (any `127.x.y.z` works on Linux loopback), so a
/// test can be several clients as a server's per-address limits see them.
pub fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(Some(ip.parse().expect("an IP address")))
        .build()
        .unwrap()
}

/// Status, `Set-Cookie` lines, body and headers of one response.
pub type Reply = (StatusCode, Vec<String>, String, HeaderMap);

/// A visitor of one app: a cookie store plus a client, sending same-origin requests the way a
/// browser's forms and `fetch` do. The one login flow every suite uses.
pub struct Visitor {
    base: String,
    /// The client (no redirects followed), for requests the helpers do not cover.
    pub http: reqwest::Client,
    /// What the visitor's browser holds.
    pub cookies: Cookies,
}

impl Visitor {
    /// A visitor of the app at `base` (`http://127.0.0.1:<port>`), with no cookies.
    pub fn new(base: &str) -> Self {
        Visitor {
            base: base.to_owned(),
            http: client(),
            cookies: Cookies::default(),
        }
    }

    /// Sends the next requests to another instance of the app (its cookies stay: they belong
    /// to the host, not the port).
    pub fn rebase(&mut self, base: &str) {
        self.base = base.to_owned();
    }

    /// Sends from `ip` from now on (see [`client_from`]).
    pub fn from_address(mut self, ip: &str) -> Self {
        self.http = client_from(ip);
        self
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends `req` with the stored cookies and absorbs the answer's `Set-Cookie` lines.
    pub async fn send(&mut self, req: reqwest::RequestBuilder) -> Reply {
        let req = match self.cookies.header() {
            Some(c) => req.header(COOKIE, c),
            None => req,
        };
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let lines = self.cookies.absorb(&headers);
        let body = res.text().await.unwrap();
        (status, lines, body, headers)
    }

    /// A same-origin GET.
    pub async fn get(&mut self, path: &str) -> Reply {
        let req = self
            .http
            .get(self.url(path))
            .header("sec-fetch-site", "same-origin");
        self.send(req).await
    }

    /// A same-origin POST, as a browser's form or fetch would send.
    pub async fn post(
        &mut self,
        path: &str,
        content_type: &str,
        body: &str,
        token: Option<&str>,
    ) -> Reply {
        let mut req = self
            .http
            .post(self.url(path))
            .header("sec-fetch-site", "same-origin")
            .header(CONTENT_TYPE, content_type)
            .body(body.to_owned());
        if let Some(t) = token {
            req = req.header("x-csrf-token", t);
        }
        self.send(req).await
    }

    /// A same-origin JSON POST.
    pub async fn post_json(&mut self, path: &str, body: &str, token: Option<&str>) -> Reply {
        self.post(path, "application/json", body, token).await
    }

    /// A same-origin form POST (no token header: forms carry it as a field).
    pub async fn post_form(&mut self, path: &str, body: &str) -> Reply {
        self.post(path, "application/x-www-form-urlencoded", body, None)
            .await
    }

    /// Logs in as the demo user; returns the session cookie's value.
    pub async fn login(&mut self) -> String {
        self.login_as(DEMO_LOGIN).await
    }

    /// Logs in with the JSON body `credentials`; returns the session cookie's value.
    pub async fn login_as(&mut self, credentials: &str) -> String {
        let (status, lines, body, _) = self.post_json("/api/login", credentials, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(lines.len(), 1, "{lines:?}");
        self.cookies.get("__Host-session").unwrap().to_owned()
    }

    /// A fresh CSRF token for the visitor's session.
    pub async fn csrf(&mut self) -> String {
        let (status, _, body, _) = self.get("/api/csrf").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["token"].as_str().unwrap().to_owned()
    }

    /// The account page's status and where it redirects, if it does.
    pub async fn account_status(&mut self) -> (StatusCode, Option<String>) {
        let (status, _, _, headers) = self.get("/account").await;
        let location = headers
            .get(LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        (status, location)
    }
}
