//! The wire bytes the derive precomputes at compile time, so the runtime only copies them: the
//! attribute suffix of every `Set-Cookie` line, the complete removal line, and the inventory
//! revision hash.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ast::{CookieDef, Model};

/// Everything after the value in the `Set-Cookie` line, in one fixed order (the README's "What the derive generates"):
/// `; Path=…; Domain=…; Max-Age=…; HttpOnly; Secure; SameSite=…; Partitioned; Priority=…`.
pub fn suffix(c: &CookieDef<'_>) -> String {
    let mut s = format!("; Path={}", c.path);
    if let Some(d) = &c.domain {
        s += &format!("; Domain={d}");
    }
    if let Some(m) = c.max_age {
        s += &format!("; Max-Age={m}");
    }
    flags(c, &mut s);
    if let Some(p) = c.priority {
        s += &format!("; Priority={}", p.as_str());
    }
    s
}

/// The full removal line. Every scope attribute is repeated: a browser refuses a `__Host-`
/// removal without Secure and keys partitioned cookies by partition (CHIPS; RFC 6265bis §4.1.3.2 for the prefix). `Expires` in
/// the past covers clients that ignore `Max-Age`.
pub fn removal(c: &CookieDef<'_>) -> String {
    let mut s = format!("{}=; Path={}", c.name, c.path);
    if let Some(d) = &c.domain {
        s += &format!("; Domain={d}");
    }
    s += "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
    flags(c, &mut s);
    s
}

/// The removal line at each legacy scope: the same as [`removal`] with the old Path and Domain.
pub fn legacy_removals(c: &CookieDef<'_>) -> Vec<String> {
    c.legacy
        .iter()
        .map(|(path, domain)| {
            let mut s = format!("{}=; Path={path}", c.name);
            if let Some(d) = domain {
                s += &format!("; Domain={d}");
            }
            s += "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
            flags(c, &mut s);
            s
        })
        .collect()
}

fn flags(c: &CookieDef<'_>, s: &mut String) {
    if c.http_only {
        *s += "; HttpOnly";
    }
    if c.secure {
        *s += "; Secure";
    }
    *s += "; SameSite=";
    *s += c.same_site.as_str();
    if c.partitioned {
        *s += "; Partitioned";
    }
}

/// The inventory revision: FNV-1a (64 bit) over each cookie's name and scope, sorted by name,
/// so reordering fields or editing docs keeps it and any change a browser would see changes it.
pub fn revision(m: &Model<'_>) -> String {
    let mut lines: Vec<String> = m
        .cookies
        .iter()
        .map(|c| {
            // `|encrypted` only when set, so the revision of an inventory without encrypted
            // cookies (and every consent record given for it) stays what it was.
            let sealing = if c.encrypted { "|encrypted" } else { "" };
            format!(
                "{}|{}|{}|{:?}|{}|{}|{}|{:?}|{}|{:?}|{}{sealing}",
                c.name,
                c.purpose.as_str(),
                c.same_site.as_str(),
                c.max_age,
                c.secure,
                c.http_only,
                c.path,
                c.domain,
                c.partitioned,
                c.priority.map(|p| p.as_str()),
                c.signed
            )
        })
        .collect();
    lines.sort();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in lines.join("\n").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// One cookie's `CookieSpec` as `const` data: the declaration and the wire bytes above.
pub fn spec_parts(p: &TokenStream, c: &CookieDef<'_>) -> TokenStream {
    let name = &c.name;
    let field = c.field.to_string();
    let purpose = format_ident!("{}", c.purpose.variant());
    let same_site = format_ident!("{}", format!("{:?}", c.same_site));
    let lifetime = match c.max_age {
        Some(s) => quote!(#p::Lifetime::Seconds(#s)),
        None => quote!(#p::Lifetime::Session),
    };
    let secure = c.secure;
    let http_only = c.http_only;
    let path = &c.path;
    let domain = match &c.domain {
        Some(d) => quote!(#p::Option::Some(#d)),
        None => quote!(#p::Option::None),
    };
    let partitioned = c.partitioned;
    let priority = match c.priority {
        Some(pr) => {
            let v = format_ident!("{}", pr.as_str());
            quote!(#p::Option::Some(#p::Priority::#v))
        }
        None => quote!(#p::Option::None),
    };
    let signed = c.signed;
    let encrypted = c.encrypted;
    let description = &c.doc;
    let suffix = suffix(c);
    let removal = removal(c);
    let legacy_removals = legacy_removals(c);
    let legacy_scopes = c.legacy.iter().map(|(path, domain)| {
        let domain = match domain {
            Some(d) => quote!(#p::Option::Some(#d)),
            None => quote!(#p::Option::None),
        };
        quote!((#path, #domain))
    });
    quote! {
        #p::CookieSpec::__from_parts(#p::SpecParts {
            name: #name,
            field: #field,
            purpose: #p::Purpose::#purpose,
            same_site: #p::SameSite::#same_site,
            lifetime: #lifetime,
            secure: #secure,
            http_only: #http_only,
            path: #path,
            domain: #domain,
            partitioned: #partitioned,
            priority: #priority,
            signed: #signed,
            encrypted: #encrypted,
            description: #description,
            suffix: #suffix,
            removal: #removal,
            legacy_scopes: &[#(#legacy_scopes),*],
            legacy_removals: &[#(#legacy_removals),*],
        })
    }
}
