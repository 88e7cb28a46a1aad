//! Axum integration: generated jars become extractors and response parts (through axum-core,
//! so the library does not depend on axum itself).
//!
//! The derive cannot see this crate's features, so it always calls this macro; it expands to the
//! impls when the `axum` feature is on and to nothing otherwise.

#[cfg(feature = "axum")]
#[doc(hidden)]
#[macro_export]
macro_rules! __cookie_contract_axum_impls {
    ($jar:ident, keyed) => {
        #[automatically_derived]
        impl<S> $crate::__private::axum_core::extract::FromRequestParts<S> for $jar
        where
            S: ::core::marker::Send + ::core::marker::Sync,
            $crate::__private::KeyRing: $crate::__private::axum_core::extract::FromRef<S>,
        {
            type Rejection = ::core::convert::Infallible;

            fn from_request_parts(
                parts: &mut $crate::__private::http::request::Parts,
                state: &S,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<Self, ::core::convert::Infallible>,
            > + ::core::marker::Send {
                let keys = <$crate::__private::KeyRing as $crate::__private::axum_core::extract::FromRef<S>>::from_ref(state);
                ::core::future::ready(::core::result::Result::Ok(Self::from_headers(&parts.headers, &keys)))
            }
        }
        $crate::__private::axum_impls!($jar, response);
    };
    ($jar:ident, unkeyed) => {
        #[automatically_derived]
        impl<S> $crate::__private::axum_core::extract::FromRequestParts<S> for $jar
        where
            S: ::core::marker::Send + ::core::marker::Sync,
        {
            type Rejection = ::core::convert::Infallible;

            fn from_request_parts(
                parts: &mut $crate::__private::http::request::Parts,
                _state: &S,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<Self, ::core::convert::Infallible>,
            > + ::core::marker::Send {
                ::core::future::ready(::core::result::Result::Ok(Self::from_request_headers(&parts.headers)))
            }
        }
        $crate::__private::axum_impls!($jar, response);
    };
    ($jar:ident, response) => {
        #[automatically_derived]
        impl $crate::__private::axum_core::response::IntoResponseParts for $jar {
            type Error = ::core::convert::Infallible;

            fn into_response_parts(
                self,
                mut res: $crate::__private::axum_core::response::ResponseParts,
            ) -> ::core::result::Result<$crate::__private::axum_core::response::ResponseParts, Self::Error> {
                // The jar is done: its headers move into the response (`write_to` clones).
                self.core.write_into(res.headers_mut());
                ::core::result::Result::Ok(res)
            }
        }

        #[automatically_derived]
        impl $crate::__private::axum_core::response::IntoResponse for $jar {
            fn into_response(self) -> $crate::__private::axum_core::response::Response {
                (self, ()).into_response()
            }
        }
    };
}

#[cfg(not(feature = "axum"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __cookie_contract_axum_impls {
    ($($t:tt)*) => {};
}
