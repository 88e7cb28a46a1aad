#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "tower")]
pub mod audit;
mod axum;
mod base64url;
pub mod consent;
pub mod csrf;
mod error;
// The Cookie-header grammar: public for the fuzz targets, not part of the promise.
#[doc(hidden)]
pub mod header;
#[cfg(feature = "cookie")]
mod interop;
pub mod inventory;
mod jar;
// Seal sizes: public for tests and the fuzz target; `CookieSpec::wire_len` is the promise.
#[doc(hidden)]
pub mod sealing;
mod session;
pub mod set_cookie;
pub mod signing;
mod spec;
mod value;

pub use consent::{
    Advertising, Analytics, ConsentChoice, ConsentRecord, ConsentSource, ConsentState, Granted,
    Preferences,
};
pub use cookie_contract_macros::{CookieContract, CookieValue};
pub use error::{CookieError, DecodeError};
pub use jar::MAX_NAME_VALUE;
pub use session::{SessionHash, SessionToken};
pub use signing::{KeyError, KeyRing};
pub use spec::{Category, CookieSpec, Inventory, Lifetime, Priority, Purpose, SameSite};
pub use value::CookieValue;
#[cfg(feature = "json")]
pub use value::Json;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
