//! Web cookies as a checked contract.
//!
//! Declare every cookie of an application once, on a struct, and `#[derive(CookieContract)]`
//! checks each declaration against the browsers' rules and the security and consent policy at
//! compile time, then generates a typed jar: getters and setters through [`CookieValue`],
//! clearers with exactly the declared scope, consent-gated accessors that need a [`Granted`]
//! proof, and the inventory as `const` data ([`Inventory`]).
//!
//! See the README for the attribute reference and the rules.
#![deny(missing_docs)]

#[cfg(feature = "tower")]
pub mod audit;
mod axum;
pub mod consent;
pub mod csrf;
mod error;
pub mod header;
#[cfg(feature = "cookie")]
mod interop;
pub mod inventory;
mod jar;
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

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
