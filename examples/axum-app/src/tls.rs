//! https for the example app (`TLS=dev`, or `TLS_CERT` and `TLS_KEY`): rustls with the ring
//! provider, each accepted connection served by hyper with the router.
//!
//! Why it exists: `__Host-` and `Secure` cookies need a secure origin. Chromium and Firefox treat
//! `http://localhost` as one, WebKit (Safari, GNOME Web) does not and drops every `Secure` cookie
//! sent over it, so the app cannot log anyone in there without https. `TLS=dev` makes a
//! self-signed certificate for `localhost` and `127.0.0.1` on first start and keeps it in
//! `DATA_DIR` (the browser asks once to trust it); production uses real certificate files, or a
//! TLS-terminating proxy in front of plain http.

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::TokioIo;
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tower::ServiceExt as _;

use crate::config::{ConfigError, Tls};

/// The rustls configuration for `tls`, generating the development certificate under
/// `data_dir` when it does not exist yet.
///
/// # Errors
/// Unreadable or invalid certificate or key files; a development certificate that cannot be
/// written.
pub fn server_config(tls: &Tls, data_dir: &Path) -> Result<Arc<ServerConfig>, ConfigError> {
    let (cert, key) = match tls {
        Tls::Files { cert, key } => (cert.clone(), key.clone()),
        Tls::Development => development_certificate(data_dir)?,
    };
    let certs = CertificateDer::pem_file_iter(&cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| ConfigError(format!("TLS_CERT {}: {e}", cert.display())))?;
    let key = PrivateKeyDer::from_pem_file(&key)
        .map_err(|e| ConfigError(format!("TLS_KEY {}: {e}", key.display())))?;
    let mut config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| ConfigError(format!("TLS: {e}")))?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| ConfigError(format!("TLS certificate and key: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// `DATA_DIR/dev-cert.pem` and `dev-key.pem`, made on first use for `localhost` and
/// `127.0.0.1`; the key file is readable by its owner only.
fn development_certificate(
    dir: &Path,
) -> Result<(std::path::PathBuf, std::path::PathBuf), ConfigError> {
    let (cert, key) = (dir.join("dev-cert.pem"), dir.join("dev-key.pem"));
    if cert.is_file() && key.is_file() {
        return Ok((cert, key));
    }
    let made = rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()])
        .map_err(|e| ConfigError(format!("development certificate: {e}")))?;
    let write_err = |p: &Path, e: std::io::Error| ConfigError(format!("{}: {e}", p.display()));
    std::fs::create_dir_all(dir).map_err(|e| write_err(dir, e))?;
    std::fs::write(&cert, made.cert.pem()).map_err(|e| write_err(&cert, e))?;
    write_private(&key, made.signing_key.serialize_pem().as_bytes())
        .map_err(|e| write_err(&key, e))?;
    tracing::info!(cert = %cert.display(), "development: made a self-signed certificate for localhost");
    Ok((cert, key))
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

/// How long a shutdown waits for the requests in flight before it drops their connections.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(10);

/// Serves `router` over TLS on `listener` until `shutdown` completes: every connection is
/// handshaken, then served by hyper (HTTP/1.1) with the peer address as `ConnectInfo`, as
/// `axum::serve` gives it on plain http. A failed handshake closes only that connection.
///
/// On shutdown it stops accepting, lets each request in flight finish (its connection then
/// closes instead of waiting for another), and returns when all have, or after 10 s: a
/// deploy or a Ctrl-C never cuts a login or a logout half-way.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    config: Arc<ServerConfig>,
    shutdown: impl Future<Output = ()>,
) {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let connections = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let (acceptor, router) = (acceptor.clone(), router.clone());
        let watcher = connections.watcher();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(stream).await else {
                return; // not TLS, or the client refused the certificate
            };
            let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                router.clone().oneshot(req)
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), service);
            let _ = watcher.watch(connection).await;
        });
    }
    drop(listener);
    tokio::select! {
        () = connections.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {
            tracing::warn!("shutdown: requests still in flight after {DRAIN:?}, dropped");
        }
    }
}
