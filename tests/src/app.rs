//! The example app on an ephemeral loopback port, in this process, for end-to-end tests over
//! real HTTP.

/// A running app.
pub struct TestApp {
    pub base: String,
    pub origin: String,
    pub state: axum_app::AppState,
    pub dir: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

/// A second account every test app has (from `DEMO_USERS`).
pub const OTHER_EMAIL: &str = "other@example.com";
/// Its password.
pub const OTHER_PASSWORD: &str = "another-password-long-enough";

/// The secret every test app uses, so tests can sign cookies the app accepts.
pub const SECRET: &str = "end-to-end test secret, 32 bytes or more";

impl TestApp {
    /// Starts the app with a fresh data folder (SQLite) or on `redis_url`.
    pub async fn start(redis_url: Option<String>) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        Self::start_in(dir, redis_url).await
    }

    pub async fn start_in(dir: tempfile::TempDir, redis_url: Option<String>) -> TestApp {
        Self::start_with_host(dir, redis_url, "127.0.0.1").await
    }

    /// Starts the app with a public origin on `host` (Chromium and Firefox treat `localhost` as
    /// secure, so `__Host-` cookies work there over plain HTTP; WebKit needs [`Self::start_tls`]).
    pub async fn start_with_host(
        dir: tempfile::TempDir,
        redis_url: Option<String>,
        host: &str,
    ) -> TestApp {
        Self::start_with_origin(dir, redis_url, "http", host).await
    }

    /// Starts the app (plain HTTP on loopback) with the public origin `scheme://host:port`, as
    /// behind a TLS-terminating proxy when `scheme` is `https`.
    pub async fn start_with_origin(
        dir: tempfile::TempDir,
        redis_url: Option<String>,
        scheme: &str,
        host: &str,
    ) -> TestApp {
        Self::start_with_users(dir, redis_url, scheme, host, &[]).await
    }

    /// [`TestApp::start_with_origin`] with accounts beyond the two every test app has.
    pub async fn start_with_users(
        dir: tempfile::TempDir,
        redis_url: Option<String>,
        scheme: &str,
        host: &str,
        users: &[(&str, &str)],
    ) -> TestApp {
        Self::start_configured(dir, redis_url, scheme, host, users, &[]).await
    }

    /// A fresh app on `127.0.0.1` with more configuration (`CORS_ORIGINS`, ...).
    pub async fn start_with_vars(vars: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        Self::start_configured(dir, None, "http", "127.0.0.1", &[], vars).await
    }

    /// The app over real https on `localhost` (`TLS=dev`: a self-signed certificate made in the
    /// data folder), as an engine that refuses `Secure` cookies over plain http needs it.
    pub async fn start_tls() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        Self::start_configured(dir, None, "https", "localhost", &[], &[("TLS", "dev")]).await
    }

    /// The one constructor behind the named ones: served over TLS exactly when `vars` configure
    /// it (`TLS`), as the binary does.
    async fn start_configured(
        dir: tempfile::TempDir,
        redis_url: Option<String>,
        scheme: &str,
        host: &str,
        users: &[(&str, &str)],
        vars: &[(&str, &str)],
    ) -> TestApp {
        let mut accounts = format!("{OTHER_EMAIL}:{OTHER_PASSWORD}");
        for (email, password) in users {
            accounts.push_str(&format!(",{email}:{password}"));
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let origin = format!("{scheme}://{host}:{port}");
        let data = dir.path().display().to_string();
        let config = axum_app::Config::from_vars(|k| match k {
            "DATA_DIR" => Some(data.clone()),
            "PUBLIC_ORIGIN" => Some(origin.clone()),
            "SESSION_SECRET" => Some(SECRET.into()),
            "REDIS_URL" => redis_url.clone(),
            "DEMO_USERS" => Some(accounts.clone()),
            other => vars
                .iter()
                .find(|(k, _)| *k == other)
                .map(|(_, v)| (*v).to_owned()),
        })
        .unwrap();
        let state = axum_app::state(&config).await.unwrap();
        let router = axum_app::router(state.clone(), &config);
        let tls_config = config
            .tls
            .as_ref()
            .map(|t| axum_app::tls::server_config(t, &config.data_dir).unwrap());
        let tls = tls_config.is_some();
        let server = tokio::spawn(async move {
            if let Some(tls) = tls_config {
                axum_app::tls::serve(listener, router, tls, std::future::pending()).await;
                return;
            }
            let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
            axum::serve(listener, service).await.unwrap();
        });
        TestApp {
            base: format!("{}://{host}:{port}", if tls { "https" } else { "http" }),
            origin,
            state,
            dir,
            server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops serving; the data folder stays.
    pub fn stop(self) -> tempfile::TempDir {
        self.server.abort();
        self.dir
    }
}

/// The longest address (`aaa…@example.com`) whose sign-in notice still fits in the encrypted
/// `__Host-flash` cookie: name plus sealed value at most 4096 bytes, and one more `a` would not.
pub fn longest_notice_email() -> String {
    use cookie_contract::{CookieValue, Inventory, Json};
    let spec = axum_app::AppCookies::spec("__Host-flash").unwrap();
    let email = |k: usize| format!("{}@example.com", "a".repeat(k));
    let size = |email: String| {
        let mut s = String::new();
        Json(axum_app::cookies::Notice::SignedIn { email }).encode(&mut s);
        spec.name().len() + spec.wire_len(s.len())
    };
    let k = (1..4096)
        .take_while(|&k| size(email(k)) <= cookie_contract::MAX_NAME_VALUE)
        .last()
        .unwrap();
    email(k)
}
