//! What generated code names. Hidden and unversioned: not part of the public API.

pub use crate::consent::{Advertising, Analytics, Granted, Preferences};
pub use crate::header::Finders;
pub use crate::jar::JarCore;
pub use crate::signing::KeyRing;
pub use crate::spec::{
    Category, CookieSpec, Inventory, Lifetime, Priority, Purpose, SameSite, SpecParts,
};
pub use crate::value::CookieValue;
pub use crate::{ConsentState, CookieError};
pub use core::option::Option;
pub use core::result::Result;
pub use http::HeaderMap;
pub use http::HeaderValue;

#[cfg(feature = "axum")]
pub use axum_core;
pub use http;

pub use crate::__cookie_contract_axum_impls as axum_impls;

/// Fails to compile, on the field's span, when a field type does not implement `CookieValue`.
/// The one error a missing impl gives: the accessors reach the type through [`Probe`], which
/// adds none.
pub const fn assert_cookie_value<T: CookieValue>() {}

pub use crate::value::{Codec, MissingCodec, Probe, ValueCodec};

pub use crate::consent::{ConsentChoice, ConsentRecord};
pub use crate::error::DecodeError;
pub use std::string::String;
pub use std::vec::Vec;
