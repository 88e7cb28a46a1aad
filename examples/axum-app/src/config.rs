//! Configuration from the environment.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cookie_contract::KeyRing;
use cookie_contract::csrf::Origin;

/// `APP_ENV`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    /// Generates and keeps its own secret in `DATA_DIR` when `SESSION_SECRET` is unset.
    Development,
    /// Refuses to start without a `SESSION_SECRET` of at least 32 bytes.
    Production,
}

/// Everything the application reads from its environment. Its `Debug` shows no secret and no
/// password (only how many there are, and the accounts' addresses).
#[derive(Clone)]
pub struct Config {
    /// `BIND`, default `127.0.0.1:3000`.
    pub bind: SocketAddr,
    /// `PUBLIC_ORIGIN`, default `http://localhost:<port of BIND>`: the origin state changes must
    /// come from, parsed once.
    pub public_origin: Origin,
    /// Whether `public_origin` was derived from `BIND` (and so follows the port actually bound
    /// when `BIND` asks for port 0).
    origin_follows_bind: bool,
    /// `DATA_DIR`, default `./data`: the SQLite file and the development secret live here.
    pub data_dir: PathBuf,
    /// `DATA_DIR/sessions.sqlite3`: the session store when `REDIS_URL` is unset.
    pub sessions_db: PathBuf,
    /// `REDIS_URL`: when set, sessions live in Redis (several instances share them).
    pub redis_url: Option<String>,
    /// `APP_ENV=production|development`, default development.
    pub environment: Environment,
    /// `SESSION_SECRET` (32 bytes or more).
    pub secret: Option<String>,
    /// `SESSION_SECRET_PREVIOUS`: comma-separated retired secrets that still verify (rotation).
    pub previous_secrets: Vec<String>,
    /// `DEMO_USERS`: extra accounts as comma-separated `email:password` pairs (load tests).
    pub extra_users: Vec<(String, String)>,
    /// `CORS_ORIGINS`: comma-separated exact origins (scheme, host and port) whose scripts may
    /// call the API with the visitor's cookies. Default none: no CORS headers at all. `*` and
    /// `null` are refused, since credentials are allowed.
    pub cors_origins: Vec<Origin>,
    /// `TLS=dev` (a self-signed certificate for localhost, made in `DATA_DIR` on first start)
    /// or `TLS_CERT` and `TLS_KEY` (PEM files): serve https. Default: plain http.
    pub tls: Option<Tls>,
}

/// Where the https certificate comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tls {
    /// `TLS=dev`: self-signed for `localhost` and `127.0.0.1`, kept in `DATA_DIR`.
    Development,
    /// `TLS_CERT` and `TLS_KEY`: a certificate chain and its private key, PEM.
    Files {
        /// The certificate chain.
        cert: PathBuf,
        /// The private key.
        key: PathBuf,
    },
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let emails: Vec<&str> = self.extra_users.iter().map(|(e, _)| e.as_str()).collect();
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("public_origin", &self.public_origin)
            .field("data_dir", &self.data_dir)
            .field("sessions_db", &self.sessions_db)
            .field(
                "redis_url",
                &self.redis_url.as_ref().map(|_| "<set, not shown>"),
            )
            .field("environment", &self.environment)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("previous_secrets", &self.previous_secrets.len())
            .field("extra_users", &emails)
            .field("cors_origins", &self.cors_origins)
            .field("tls", &self.tls)
            .finish()
    }
}

/// Why the application cannot start.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads the process environment.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the variable that is wrong.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_vars(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    /// Reads configuration through `get` (for tests).
    ///
    /// # Errors
    /// A [`ConfigError`] naming the variable that is wrong.
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let bind = get("BIND").unwrap_or_else(|| "127.0.0.1:3000".into());
        let bind: SocketAddr = bind.parse().map_err(|_| {
            ConfigError(format!(
                "BIND={bind:?} is not an address such as 127.0.0.1:3000"
            ))
        })?;
        let tls = match (get("TLS").as_deref(), get("TLS_CERT"), get("TLS_KEY")) {
            (None, None, None) => None,
            (Some("dev"), None, None) => Some(Tls::Development),
            (None, Some(cert), Some(key)) => Some(Tls::Files {
                cert: PathBuf::from(cert),
                key: PathBuf::from(key),
            }),
            _ => {
                return Err(ConfigError(
                    "https: set TLS=dev (a development certificate for localhost) or both TLS_CERT and TLS_KEY, not a mix".into(),
                ));
            }
        };
        let given_origin = get("PUBLIC_ORIGIN");
        let origin_follows_bind = given_origin.is_none();
        let public_origin = match given_origin {
            None => localhost(bind.port(), tls.is_some()),
            Some(o) => Origin::parse(&o).map_err(|_| {
                ConfigError(format!(
                    "PUBLIC_ORIGIN={o:?} is not an origin such as https://example.com"
                ))
            })?,
        };
        let data_dir = get("DATA_DIR").map_or_else(|| PathBuf::from("data"), PathBuf::from);
        let environment = match get("APP_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(ConfigError(format!(
                    "APP_ENV={other:?}: use \"production\" or \"development\""
                )));
            }
        };
        let cors_origins = match get("CORS_ORIGINS") {
            None => Vec::new(),
            Some(v) => v
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(|o| {
                    // Credentials with a wildcard or a reflected origin would let any site read
                    // the visitor's account: only exact origins.
                    Origin::parse(o).map_err(|_| {
                        ConfigError(format!(
                            "CORS_ORIGINS: {o:?} is not an exact origin such as https://admin.example.com (no `*`, no `null`)"
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        if tls == Some(Tls::Development) && environment == Environment::Production {
            return Err(ConfigError(
                "TLS=dev is a self-signed development certificate; production needs TLS_CERT and TLS_KEY (or a TLS proxy)".into(),
            ));
        }
        Ok(Config {
            tls,
            cors_origins,
            bind,
            public_origin,
            origin_follows_bind,
            sessions_db: data_dir.join("sessions.sqlite3"),
            data_dir,
            redis_url: get("REDIS_URL"),
            environment,
            secret: get("SESSION_SECRET"),
            previous_secrets: get("SESSION_SECRET_PREVIOUS")
                .map(|v| v.split(',').map(str::to_owned).collect())
                .unwrap_or_default(),
            extra_users: match get("DEMO_USERS") {
                None => Vec::new(),
                Some(v) => v
                    .split(',')
                    .map(|pair| {
                        pair.split_once(':')
                            .map(|(e, p)| (e.trim().to_owned(), p.to_owned()))
                            .ok_or_else(|| {
                                ConfigError(format!("DEMO_USERS: {pair:?} is not email:password"))
                            })
                    })
                    .collect::<Result<_, _>>()?,
            },
        })
    }

    /// Records the port the listener really got. `BIND=127.0.0.1:0` lets the OS pick a free
    /// port (tests and parallel instances never race for one); without `PUBLIC_ORIGIN` the origin
    /// then follows that port.
    pub fn bound_to(&mut self, addr: SocketAddr) {
        if self.origin_follows_bind {
            self.public_origin = localhost(addr.port(), self.tls.is_some());
        }
        self.bind = addr;
    }

    /// The key ring: `SESSION_SECRET` (with `SESSION_SECRET_PREVIOUS`), or in development a
    /// secret generated once and kept in `DATA_DIR/secret.key`.
    ///
    /// # Errors
    /// In production without a secret of at least 32 bytes; when a secret is too short; when the
    /// development secret cannot be read or written.
    pub fn key_ring(&self) -> Result<KeyRing, ConfigError> {
        let current = match (&self.secret, self.environment) {
            (Some(s), _) => s.clone().into_bytes(),
            (None, Environment::Production) => {
                return Err(ConfigError(
                    "APP_ENV=production needs SESSION_SECRET of at least 32 bytes (e.g. `openssl rand -base64 48`)".into(),
                ));
            }
            (None, Environment::Development) => development_secret(&self.data_dir)?,
        };
        let previous: Vec<&[u8]> = self.previous_secrets.iter().map(|s| s.as_bytes()).collect();
        KeyRing::rotating(&current, &previous)
            .map_err(|e| ConfigError(format!("SESSION_SECRET: {e}")))
    }
}

/// `http://localhost:<port>`, the default origin (browsers treat localhost as a secure
/// context, so `Secure` cookies work there over plain HTTP).
fn localhost(port: u16, https: bool) -> Origin {
    let scheme = if https { "https" } else { "http" };
    Origin::parse(&format!("{scheme}://localhost:{port}")).expect("a localhost origin parses")
}

fn development_secret(dir: &Path) -> Result<Vec<u8>, ConfigError> {
    let path = dir.join("secret.key");
    if let Ok(s) = std::fs::read_to_string(&path) {
        tracing::info!(path = %path.display(), "development: using the signing secret kept in the data folder");
        return Ok(s.trim().as_bytes().to_vec());
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| ConfigError(format!("cannot create DATA_DIR {}: {e}", dir.display())))?;
    let mut raw = [0u8; 48];
    getrandom::fill(&mut raw).map_err(|e| ConfigError(format!("OS random source: {e}")))?;
    let secret = URL_SAFE_NO_PAD.encode(raw);
    write_private(&path, &secret)
        .map_err(|e| ConfigError(format!("cannot write {}: {e}", path.display())))?;
    tracing::warn!(
        path = %path.display(),
        "development: generated a signing secret and kept it in the data folder; set SESSION_SECRET in production"
    );
    Ok(secret.into_bytes())
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}
