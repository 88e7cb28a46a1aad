//! The cookie-contract example application: login with a fresh session on every success,
//! logout that revokes server-side, CSRF on every state change, a consent banner, preferences,
//! analytics only after consent, and a cookie-policy page rendered from the inventory.

pub mod config;
pub mod cookies;
mod error;
pub mod passwords;
mod redirect;
mod routes;
pub mod security;
pub mod state;
pub mod store;
mod templates;
pub mod throttle;
pub mod tls;
pub mod users;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use cookie_contract::audit::{AuditLayer, AuditMode};
use cookie_contract::csrf::{CsrfTokenLayer, OriginLayer, OriginPolicy};

pub use config::{Config, ConfigError, Tls};
pub use cookies::{AppCookies, AppCookiesJar};
pub use error::AppError;
use routes::{auth, choices, pages};
pub use state::AppState;
use store::{RedisStore, SessionStore, SqliteStore, Store};

/// The longest a login waits for a free password worker before it is answered `503`.
pub const PASSWORD_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// The largest request body any route reads.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Opens the store and prepares keys and users.
///
/// # Errors
/// Configuration errors (secret) and store errors (file, Redis), as text for the operator.
pub async fn state(config: &Config) -> Result<AppState, String> {
    let keys = config.key_ring().map_err(|e| e.to_string())?;
    let store = match &config.redis_url {
        Some(url) => Store::Redis(
            RedisStore::connect(url)
                .await
                .map_err(|e| format!("REDIS_URL: {e}"))?,
        ),
        None => {
            let path = &config.sessions_db;
            Store::Sqlite(SqliteStore::open(path).map_err(|e| format!("{}: {e}", path.display()))?)
        }
    };
    let (extra, environment) = (config.extra_users.clone(), config.environment);
    let users = Arc::new(
        tokio::task::spawn_blocking(move || users::Users::for_environment(environment, &extra))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?,
    );
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    Ok(AppState {
        keys,
        store,
        users,
        passwords: passwords::PasswordChecker::start(cores, PASSWORD_WAIT),
        in_flight: throttle::InFlight::default(),
    })
}

/// The application's routes with both CSRF layers and the audit.
pub fn router(state: AppState, config: &Config) -> Router {
    let mut policy = OriginPolicy::for_origin(config.public_origin.clone());
    for origin in &config.cors_origins {
        // A configured partner may also change state (with a session-bound token, which it
        // can only get from `/api/csrf` with the visitor's cookies).
        policy = policy
            .allow_origin(&origin.to_string())
            .expect("printed origins re-parse");
    }
    let tokens =
        CsrfTokenLayer::for_inventory::<AppCookies>(state.keys.clone()).exempt("/api/login");
    // Outermost: nothing leaves the app with a cookie the inventory does not allow.
    let audit = AuditLayer::new::<AppCookies>(AuditMode::Enforce, state.keys.clone());
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login))
        .route("/cookies", get(pages::policy))
        .route("/cookies.json", get(pages::policy_json))
        .route("/free.pdf", get(pages::free_pdf))
        .route("/style.css", get(pages::style))
        .route("/healthz", get(pages::healthz))
        .route("/account", get(auth::account))
        .route("/api/login", post(auth::login))
        .route("/api/logout", post(auth::logout))
        .route("/api/csrf", get(auth::csrf))
        .route("/api/consent", post(choices::consent))
        .route("/api/preferences", post(choices::preferences))
        .layer(tokens)
        .layer(OriginLayer::new(policy))
        .layer(cors(config))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(audit)
        .layer(axum::middleware::map_response_with_state(
            security::SecurityHeaders::for_origin(&config.public_origin),
            security::apply,
        ))
        .with_state(state)
}

/// Purges expired sessions now and every minute.
pub fn spawn_purger(store: Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            match store.purge_expired(store::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(purged = n, "expired sessions purged"),
                Err(e) => tracing::warn!(error = %e, "purging expired sessions failed"),
            }
        }
    });
}

/// Runs the application until Ctrl-C or SIGTERM.
///
/// # Errors
/// When it cannot start (configuration, store, address in use).
pub async fn run(mut config: Config) -> Result<(), String> {
    let state = state(&config).await?;
    let backend = match &config.redis_url {
        Some(_) => "redis".to_owned(),
        None => config.sessions_db.display().to_string(),
    };
    spawn_purger(state.store.clone());
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| format!("BIND={}: {e}", config.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    config.bound_to(addr);
    tracing::info!(
        public_origin = %config.public_origin,
        sessions = %backend,
        "serving"
    );
    let tls = match &config.tls {
        Some(tls) => Some(tls::server_config(tls, &config.data_dir).map_err(|e| e.to_string())?),
        None => None,
    };
    // One plain line on stdout with the address really bound, so a supervisor or a test that
    // asked for port 0 learns the port from the process that holds it.
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!("listening on {scheme}://{addr}");
    let app = router(state, &config);
    if let Some(tls) = tls {
        tls::serve(listener, app, tls, shutdown()).await;
        return Ok(());
    }
    // The connection's peer address feeds the login throttle (`ClientAddr`).
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| e.to_string())
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("a SIGTERM handler can be installed");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("shutting down");
}

/// Cross-origin access, only as configured (`CORS_ORIGINS`): none by default, so no response
/// carries an `Access-Control-*` header; otherwise exactly the listed origins, with credentials,
/// never a wildcard and never the request's `Origin` reflected. Outside the CSRF layers, so a
/// preflight (`OPTIONS`, which changes nothing) is answered here.
fn cors(
    config: &Config,
) -> tower::util::Either<tower_http::cors::CorsLayer, tower::layer::util::Identity> {
    use axum::http::{HeaderName, HeaderValue, Method, header};
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if config.cors_origins.is_empty() {
        return tower::util::Either::Right(tower::layer::util::Identity::new());
    }
    let origins: Vec<HeaderValue> = config
        .cors_origins
        .iter()
        .map(|o| HeaderValue::from_str(&o.to_string()).expect("an origin is a header value"))
        .collect();
    tower::util::Either::Left(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_credentials(true)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([
                header::CONTENT_TYPE,
                HeaderName::from_static(cookie_contract::csrf::CSRF_HEADER),
            ])
            .max_age(std::time::Duration::from_secs(600)),
    )
}
