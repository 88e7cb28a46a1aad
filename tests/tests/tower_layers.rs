//! The three layers in a plain hyper + tower server, without axum: request and response bodies
//! are http-body-util's `Full<Bytes>`, and the service's error type is the application's own,
//! which passes through the layers untouched. Real HTTP on loopback.

use std::net::SocketAddr;

use bytes::Bytes;
use cookie_contract::audit::{AuditLayer, AuditMode};
use cookie_contract::csrf::{CsrfTokenLayer, OriginLayer, OriginPolicy};
use cookie_contract::{CookieContract, KeyRing, SessionToken};
use http::header::{CONTENT_TYPE, COOKIE, ORIGIN, SET_COOKIE, VARY};
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::TokioIo;
use tower::{ServiceBuilder, ServiceExt as _};

#[derive(CookieContract)]
struct Cookies {
    /// The session.
    #[cookie(
        name = "__Host-session",
        purpose = "authentication",
        secure,
        http_only,
        same_site = "lax",
        max_age = "8h",
        signed
    )]
    session: SessionToken,
    /// A notice.
    #[cookie(
        name = "notice",
        purpose = "essential",
        secure,
        http_only,
        same_site = "lax",
        max_age = "5m"
    )]
    notice: String,
}

/// The application's own error: a failing handler is not turned into a response by a layer.
#[derive(Debug)]
struct HandlerFailed;

impl std::fmt::Display for HandlerFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the handler failed")
    }
}

impl std::error::Error for HandlerFailed {}

/// Echoes the body it received; `/notice` sets the declared cookie and an undeclared one;
/// `/fail` fails.
async fn handler(req: Request<Full<Bytes>>) -> Result<Response<Full<Bytes>>, HandlerFailed> {
    let path = req.uri().path().to_owned();
    if path == "/fail" {
        return Err(HandlerFailed);
    }
    let body = req.into_body().collect().await.unwrap().to_bytes();
    let mut res = Response::new(Full::new(body));
    if path == "/notice" {
        let mut jar = CookiesJar::from_headers(&http::HeaderMap::new(), &keys());
        jar.set_notice(&"saved".to_owned()).unwrap();
        jar.write_to(res.headers_mut());
        res.headers_mut()
            .append(SET_COOKIE, "tracker=1; Path=/".parse().unwrap());
    }
    Ok(res)
}

fn keys() -> KeyRing {
    KeyRing::new(b"the tower test's secret, 32 bytes or more").unwrap()
}

const ORIGIN_URL: &str = "https://app.example";

/// Serves the layered handler with hyper on a loopback port. The request body is buffered into
/// `Full<Bytes>` (what the token layer rebuilds after reading the form), nothing else.
async fn serve() -> SocketAddr {
    let service = ServiceBuilder::new()
        .layer(AuditLayer::new::<Cookies>(AuditMode::Enforce, keys()))
        .layer(OriginLayer::new(OriginPolicy::new(ORIGIN_URL).unwrap()))
        .layer(CsrfTokenLayer::for_inventory::<Cookies>(keys()).body_limit(1024))
        .service_fn(handler);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let service = service.clone();
            tokio::spawn(async move {
                let hyper_service =
                    hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
                        let service = service.clone();
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = match body.collect().await {
                                Ok(b) => b.to_bytes(),
                                Err(e) => return Err(e.to_string()),
                            };
                            // `HandlerFailed` arrives here as itself: no layer replaced it.
                            let res: Result<Response<Full<Bytes>>, HandlerFailed> = service
                                .oneshot(Request::from_parts(parts, Full::new(body)))
                                .await;
                            res.map_err(|e| e.to_string())
                        }
                    });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), hyper_service)
                    .await;
            });
        }
    });
    addr
}

fn session_cookie(token: &SessionToken) -> String {
    let mut jar = CookiesJar::from_headers(&http::HeaderMap::new(), &keys());
    jar.set_session(token).unwrap();
    let line = jar.set_cookie_headers()[0].to_str().unwrap().to_owned();
    line.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_layers_guard_a_plain_hyper_server() {
    let addr = serve().await;
    let url = |path: &str| format!("http://{addr}{path}");
    let client = reqwest::Client::new();
    let token = SessionToken::new();
    let cookie = session_cookie(&token);

    // A safe request passes every layer.
    let res = client.get(url("/")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // Layer one: a cross-site POST is refused before the handler, with the reason and Vary.
    let res = client
        .post(url("/prefs"))
        .header("sec-fetch-site", "cross-site")
        .header(ORIGIN, "https://evil.example")
        .body("theme=dark")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.headers()[VARY], "Sec-Fetch-Site, Origin");
    assert_eq!(res.headers()[CONTENT_TYPE], "text/plain; charset=utf-8");
    assert_eq!(
        res.text().await.unwrap(),
        "cross-origin request refused (Sec-Fetch-Site)"
    );

    // Layer two: same origin with a session but no token is refused; the form field token
    // passes, and the handler still receives the whole body the layer read.
    let post = |body: String| {
        client
            .post(url("/prefs"))
            .header("sec-fetch-site", "same-origin")
            .header(ORIGIN, ORIGIN_URL)
            .header(COOKIE, cookie.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
    };
    let res = post("theme=dark".into()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.text().await.unwrap(), "missing CSRF token");
    let csrf = keys().csrf_token(&token);
    let form = format!("theme=dark&csrf_token={csrf}");
    let res = post(form.clone()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.text().await.unwrap(),
        form,
        "the body reached the handler intact"
    );
    // A token for another session is refused.
    let other = keys().csrf_token(&SessionToken::new());
    let res = post(format!("theme=dark&csrf_token={other}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.text().await.unwrap(), "invalid CSRF token");
    // Over the body limit: 413, and the handler never ran.
    let res = post(format!("csrf_token={csrf}&pad={}", "x".repeat(2048)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // The audit layer strips the undeclared cookie and keeps the declared one.
    let res = client.get(url("/notice")).send().await.unwrap();
    let lines: Vec<&str> = res
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(
        lines,
        ["notice=saved; Path=/; Max-Age=300; HttpOnly; Secure; SameSite=Lax"]
    );

    // The handler's own error passes through the layers: hyper drops the connection rather
    // than a layer inventing a response.
    let failed = client.get(url("/fail")).send().await;
    assert!(failed.is_err(), "{failed:?}");
}
