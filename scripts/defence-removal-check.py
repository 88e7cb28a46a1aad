#!/usr/bin/env python3
"""Removes each defence in turn and checks that a test fails because of it.

Run from the repository root: python3 scripts/defence-removal-check.py [LABEL-SUBSTRING ...]

Every entry names the defence, the exact source text that implements it, a weakened
replacement, and the test command that must then fail. A mutation that stops the code from
compiling proves nothing and is reported as BROKE-BUILD, not as caught. The source is restored
after each run, also on Ctrl-C. Every test command is first run on the unchanged sources and
must pass there. Exit status 1 when any defence is MISSED or BROKE-BUILD.
"""
import subprocess
import sys

CSRF = "cargo test -q -p cookie-contract -p cookie-contract-tests --lib --test csrf --test headers"
APP = "cargo test -q -p cookie-contract-tests --test app --test hostile_http"
HEADERS = "cargo test -q -p cookie-contract-tests --test headers"
CONSENT = "cargo test -q -p cookie-contract --lib consent"
WEB = ("cargo test -q -p cookie-contract-tests --test throttle --test app --test sessions "
       "--test security_headers")
PROCESS = "cargo test -q -p axum-app --test process"
UI = "cargo test -q -p cookie-contract-tests --test ui"
ENCRYPTED = "cargo test -q -p cookie-contract-tests --test encrypted"

ORIGIN = "cookie-contract/src/csrf/origin.rs"
TOKEN = "cookie-contract/src/csrf/token.rs"
SIGNING = "cookie-contract/src/signing.rs"
SEALING = "cookie-contract/src/sealing.rs"
ROUTES = "examples/axum-app/src/routes/auth.rs"
VALUE = "cookie-contract/src/value.rs"
AUTH = "examples/axum-app/src/routes/auth.rs"
APP_ROUTES = "examples/axum-app/src/routes/mod.rs"

MUTATIONS = [
    # (label, file, defence, weakened, test command)
    ("cross-site Sec-Fetch-Site accepted", ORIGIN,
     'b"same-origin" | b"none" => Ok(()),',
     'b"same-origin" | b"none" | b"cross-site" => Ok(()),', CSRF),
    ("same-site accepted by default", ORIGIN,
     'b"same-site" if self.allow_same_site => Ok(()),',
     'b"same-site" => Ok(()),', CSRF),
    ("origin port ignored", ORIGIN,
     "if self.origins.contains(&o) {",
     "if self.origins.iter().any(|a| a.host == o.host && a.scheme == o.scheme) {", CSRF),
    ("origin scheme ignored", ORIGIN,
     "if self.origins.contains(&o) {",
     "if self.origins.iter().any(|a| a.host == o.host && a.port == o.port) {", CSRF),
    ("origin userinfo stripped", ORIGIN,
     'let (scheme, rest) = s.split_once("://").ok_or(bad)?;',
     'let (scheme, rest) = s.split_once("://").ok_or(bad)?; '
     "let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);", CSRF),
    ("trusted origin matched by host only", ORIGIN,
     "self.origins[1..].contains(&origin)",
     "self.origins[1..].iter().any(|o| o.host() == origin.host())", CSRF),
    ("bypass matched by prefix", ORIGIN,
     "self.bypass.iter().any(|b| b == path)",
     "self.bypass.iter().any(|b| path.starts_with(b.as_str()))", CSRF),
    ("csrf token not bound to the session", TOKEN,
     "    m.update(session.as_bytes());\n    m.update(&(nonce",
     "    let _ = session;\n    m.update(&(nonce", CSRF),
    ("csrf token compared on a prefix only", TOKEN,
     "ok |= ct_eq_array(&csrf_mac(key, session, nonce), mac);",
     "ok |= csrf_mac(key, session, nonce)[..8] == mac[..8];", CSRF),
    ("csrf token nonce ignored", TOKEN,
     "let (nonce, mac) = secret.split_at(NONCE_LEN);",
     "let (nonce, mac) = secret.split_at(NONCE_LEN); let nonce = &[0u8; NONCE_LEN][..]; "
     "let _ = nonce;", CSRF),
    ("signature not bound to the cookie name", SIGNING,
     "m.update(name.as_bytes());", "let _ = name;", CSRF),
    ("retired key accepted", SIGNING,
     "            } else {\n                Verified::Invalid\n            }\n        })",
     "            } else {\n                Verified::Previous\n            }\n        })", CSRF),
    ("a cookie sent twice is read as its first copy", "cookie-contract/src/header.rs",
     "                        end: stop,\n                    },\n                    _ => Found::Duplicate,",
     "                        end: stop,\n                    },\n                    _ => found[i],",
     "cargo test -q -p cookie-contract --lib header && "
     "cargo test -q -p cookie-contract-tests --test hostile_http"),
    ("a TLS shutdown drops the requests in flight", "examples/axum-app/src/tls.rs",
     "            () = &mut shutdown => break,",
     "            () = &mut shutdown => return,",
     "cargo test -q -p axum-app --test process a_shutdown_over_tls"),
    ("HSTS pins localhost", "examples/axum-app/src/security.rs",
     'hsts: origin.scheme() == "https" && !is_loopback(origin.host()),',
     'hsts: origin.scheme() == "https",',
     "cargo test -q -p cookie-contract-tests --test security_headers"),
    ("HSTS not sent over the app's own https", "examples/axum-app/src/security.rs",
     "    if cfg.hsts {",
     "    if false && cfg.hsts {",
     PROCESS + " https_with_certificate_files"),
    ("a MAC's non-canonical spelling accepted", "cookie-contract/src/base64url.rs",
     "(seen < 64 && last & 0b11 == 0).then_some(out)",
     "(seen < 64).then_some(out)",
     "cargo test -q -p cookie-contract --lib base64url"),
    ("the SSSE3 decoder accepts a MAC's non-canonical spelling", "cookie-contract/src/base64url.rs",
     "(clean && unused_bits_clear).then_some(out)",
     "clean.then_some(out)",
     "cargo test -q -p cookie-contract --lib base64url"),
    ("the SSSE3 decoder accepts characters outside base64url", "cookie-contract/src/base64url.rs",
     "(clean && unused_bits_clear).then_some(out)",
     "unused_bits_clear.then_some(out)",
     "cargo test -q -p cookie-contract --lib base64url"),
    ("the SSE2 octet check lets DQUOTE, comma, semicolon and backslash through",
     "cookie-contract/src/header.rs",
     "_mm_or_si128(_mm_cmpeq_epi8(in_range, _mm_setzero_si128()), excluded)",
     "_mm_cmpeq_epi8(in_range, _mm_setzero_si128())",
     "cargo test -q -p cookie-contract --lib header"),
    ("the SSE2 octet check lets controls, spaces and non-ASCII through",
     "cookie-contract/src/header.rs",
     "_mm_or_si128(_mm_cmpeq_epi8(in_range, _mm_setzero_si128()), excluded)",
     "excluded",
     "cargo test -q -p cookie-contract --lib header"),
    ("a plain token read through a jar accepts characters outside base64url (the jar leaves "
     "the check to the decoder)", "cookie-contract/src/base64url.rs",
     "(clean && unused_bits_clear).then_some(out)",
     "unused_bits_clear.then_some(out)",
     "cargo test -q -p cookie-contract-tests --test headers a_plain_token"),
    ("a plain cookie's getter skips the cookie-octet check", "cookie-contract/src/jar.rs",
     "(codec.decode)(cookie_octets(spec.name(), sent)?)",
     "(codec.decode)(core::str::from_utf8(sent).unwrap_or_default())",
     HEADERS),
    ("login adopts the session the request brought", ROUTES,
     "    let token = SessionToken::new();\n    st.store\n",
     "    let token = jar.session().unwrap_or_else(SessionToken::new);\n    st.store\n",
     APP),
    ("tossed session cookies not cleared by the account page", ROUTES,
     "if jar.try_session() != Ok(None) {",
     "if matches!(jar.try_session(), Ok(Some(_))) {", APP),
    ("CR/LF and ';' in String values not escaped", VALUE,
     "let plain = |b: u8| crate::header::is_cookie_octet(b) & (b != b'%');",
     "let plain = |b: u8| b != b'%';", HEADERS),
    ("login throttle not consulted", AUTH,
     "refuse_while_throttled(&st, &keys).await?;", "let _ = &keys;", WEB),
    ("password checks not limited per client address", AUTH,
     "let Some(_slot) = st.in_flight.enter(client) else {",
     "let Some(_slot) = Some(()) else {", WEB),
    ("redirect target may hold a TAB", "examples/axum-app/src/redirect.rs",
     "let plain = |b: u8| b.is_ascii_alphanumeric() || b\"/-._~?=&\".contains(&b);",
     "let plain = |b: u8| b.is_ascii_alphanumeric() || b\"/-._~?=&\\t\".contains(&b);", WEB),
    ("logout revokes only an unduplicated session cookie", AUTH,
     "for token in jar.every_session() {", "for token in jar.session() {", WEB),
    ("framing allowed", "examples/axum-app/src/security.rs",
     "form-action 'self'; frame-ancestors 'none'; base-uri", "form-action 'self'; base-uri", WEB),
    ("idle clock refreshed by the account page only", APP_ROUTES,
     "if record.last_seen + TOUCH_INTERVAL <= now {",
     "if false && record.last_seen + TOUCH_INTERVAL <= now {", WEB),
    ("demo account in production", "examples/axum-app/src/users.rs",
     "            Environment::Production => {\n",
     "            Environment::Production => {\n"
     "                accounts.push((DEMO_EMAIL.to_owned(), hasher.hash(DEMO_PASSWORD)));\n",
     PROCESS),
    ("unsigned consent cookie accepted (rule 18)", "cookie-contract-macros/src/check/policy.rs",
     "if **purpose == Purpose::Consent && !flag(&a.signed) && !flag(&a.encrypted) {",
     "if false && **purpose == Purpose::Consent && !flag(&a.signed) {", UI),
    ("signed and encrypted together accepted (rule 19)", "cookie-contract-macros/src/check/policy.rs",
     "if flag(&a.signed) && flag(&a.encrypted) {",
     "if false && flag(&a.signed) && flag(&a.encrypted) {", UI),
    ("encrypted cookie not bound to its name", SEALING,
     ".decrypt_inout_detached(&nonce, name.as_bytes(), buffer, &tag)\n            .is_ok()",
     ".decrypt_inout_detached(&nonce, if name == \"visits\" { b\"__Host-flash\" } else { name.as_bytes() }, buffer, &tag).is_ok()",
     ENCRYPTED),
    ("encrypted size checked on the plaintext", "cookie-contract/src/jar.rs",
     "let size = name.len() + spec.wire_len(buf.len() - value_start);",
     "let size = buf.len() - 1;",
     ENCRYPTED),
    ("encryption subkey is the signing subkey", SIGNING,
     'sealing: crate::sealing::aead(&sub(b"encryption")),',
     'sealing: crate::sealing::aead(&sub(b"signing")),',
     "cargo test -q -p cookie-contract --lib signing"),
    ("nonce not fresh per seal", SEALING,
     "getrandom::fill(nonce).expect(\"the OS random source failed\");",
     "nonce.fill(7);",
     ENCRYPTED),
    ("GPC ignored", "cookie-contract/src/consent.rs",
     "let gpc_blocks = self.gpc\n",
     "let gpc_blocks = false && self.gpc\n", CONSENT),
    ("CORS reflects the request's origin", "examples/axum-app/src/lib.rs",
     ".allow_origin(AllowOrigin::list(origins))",
     ".allow_origin({ let _ = origins; AllowOrigin::mirror_request() })",
     "cargo test -q -p cookie-contract-tests --test cors"),
    ("a notice that does not open is kept", "examples/axum-app/src/routes/mod.rs",
     "        Err(_) => {\n            jar.clear_flash();\n            None\n        }",
     "        Err(_) => None,",
     "cargo test -q -p cookie-contract-tests --test app"),
    ("repeated Set-Cookie attribute accepted by the audit", "cookie-contract/src/set_cookie.rs",
     "if let Some(attribute) = c.repeated {",
     "if let Some(attribute) = c.repeated.filter(|_| false) {",
     "cargo test -q -p cookie-contract-tests --test audit_meaning"),
]


def run(command):
    r = subprocess.run(command, shell=True, capture_output=True, text=True)
    out = r.stdout + r.stderr
    if "error[" in out or "error: could not compile" in out:
        return "BROKE-BUILD"
    return "CAUGHT" if r.returncode != 0 else "MISSED"


def passes(command):
    return run(command) == "MISSED"  # built, and every test passed


def main(filters):
    chosen = [m for m in MUTATIONS if not filters or any(f in m[0] for f in filters)]
    # A command that already fails with every defence in place would call each removal
    # "caught": each command must pass on the unchanged sources first.
    commands = list(dict.fromkeys(m[4] for m in chosen))
    for command in commands:
        if not passes(command):
            print(f"FAILS UNCHANGED: {command}", flush=True)
            return 1
    print(f"{len(commands)} test commands pass unchanged", flush=True)
    results = []
    for label, path, old, new, command in chosen:
        src = open(path).read()
        if src.count(old) != 1:
            results.append((label, "STALE (defence text not found exactly once)"))
            print(f"{label}: STALE", flush=True)
            continue
        try:
            open(path, "w").write(src.replace(old, new, 1))
            verdict = run(command)
        finally:
            open(path, "w").write(src)
        results.append((label, verdict))
        print(f"{label}: {verdict}", flush=True)
    bad = [r for r in results if r[1] != "CAUGHT"]
    print(f"{len(results) - len(bad)} of {len(results)} defences caught")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
