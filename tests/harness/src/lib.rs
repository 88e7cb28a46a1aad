//! The harness every end-to-end suite shares (the workspace tests and the example app's own):
//!
//! - [`process`]: find a tool or fail in CI, start a server that binds port 0 and reports it,
//!   wait for a child with a deadline;
//! - [`redis`]: a real `redis-server` that can be killed and restarted;
//! - [`http`]: a browser-like cookie store and client, the `Set-Cookie` helpers and one login
//!   flow;
//! - [`webdriver`]: headless Chromium through chromedriver, with its own cookie store read over
//!   the DevTools protocol;
//! - [`bidi`]: headless Firefox ESR over its own WebDriver BiDi endpoint;
//! - [`webkit`]: WebKitGTK through WebKitWebDriver and MiniBrowser on a private Xvfb display;
//! - [`engine`]: one interface over the three, so one scenario runs in each.

pub mod bidi;
pub mod engine;
pub mod http;
pub mod process;
pub mod redis;
pub mod webdriver;
pub mod webkit;
