//! `max_age` values: `"90s"`, `"30m"`, `"8h"`, `"180d"`, `"1d12h"`, integer seconds, `"session"`.

use darling::FromMeta;

/// A parsed `max_age`, before the range rule (rule 8) is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaxAge {
    /// `"session"`: no `Max-Age`, a browser-session cookie.
    Session,
    /// Seconds, possibly out of range (saturating).
    Seconds(i128),
}

const HINT: &str = "write a duration such as \"90s\", \"30m\", \"8h\", \"180d\" or \"1d12h\", \
                    an integer of seconds, or \"session\"";

/// Parses the string form. Units may each appear once, largest first.
pub fn parse(s: &str) -> Result<MaxAge, String> {
    if s == "session" {
        return Ok(MaxAge::Session);
    }
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(MaxAge::Seconds(s.parse().unwrap_or(i128::MAX)));
    }
    let mut total: i128 = 0;
    let mut digits = String::new();
    let mut last_unit = u8::MAX;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let (rank, size) = match c {
            'd' => (3, 86_400),
            'h' => (2, 3_600),
            'm' => (1, 60),
            's' => (0, 1),
            _ => {
                return Err(format!(
                    "invalid `max_age` {s:?}: unknown unit `{c}`; {HINT}"
                ));
            }
        };
        if digits.is_empty() {
            return Err(format!(
                "invalid `max_age` {s:?}: `{c}` needs a number before it; {HINT}"
            ));
        }
        if rank >= last_unit {
            return Err(format!(
                "invalid `max_age` {s:?}: give each unit once, largest first (d, h, m, s)"
            ));
        }
        last_unit = rank;
        let n: i128 = digits.parse().unwrap_or(i128::MAX);
        total = total.saturating_add(n.saturating_mul(size));
        digits.clear();
    }
    if !digits.is_empty() || last_unit == u8::MAX {
        return Err(format!("invalid `max_age` {s:?}: {HINT}"));
    }
    Ok(MaxAge::Seconds(total))
}

impl FromMeta for MaxAge {
    fn from_string(value: &str) -> darling::Result<Self> {
        parse(value).map_err(darling::Error::custom)
    }

    fn from_value(value: &syn::Lit) -> darling::Result<Self> {
        match value {
            syn::Lit::Str(s) => Self::from_string(&s.value()),
            syn::Lit::Int(i) => Ok(MaxAge::Seconds(
                i.base10_digits().parse().unwrap_or(i128::MAX),
            )),
            _ => Err(darling::Error::custom(format!(
                "`max_age` takes a string or an integer of seconds; {HINT}"
            ))
            .with_span(value)),
        }
    }

    fn from_expr(expr: &syn::Expr) -> darling::Result<Self> {
        match expr {
            syn::Expr::Lit(lit) => Self::from_value(&lit.lit),
            syn::Expr::Group(g) => Self::from_expr(&g.expr),
            // `max_age = -1`: parse it so rule 8 can explain that removals are generated.
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
                match Self::from_expr(&u.expr)? {
                    MaxAge::Seconds(n) => Ok(MaxAge::Seconds(-n)),
                    MaxAge::Session => Err(darling::Error::custom(HINT).with_span(expr)),
                }
            }
            _ => Err(darling::Error::custom(format!(
                "`max_age` takes a string or an integer of seconds; {HINT}"
            ))
            .with_span(expr)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_forms() {
        assert_eq!(parse("90s"), Ok(MaxAge::Seconds(90)));
        assert_eq!(parse("30m"), Ok(MaxAge::Seconds(1_800)));
        assert_eq!(parse("8h"), Ok(MaxAge::Seconds(28_800)));
        assert_eq!(parse("180d"), Ok(MaxAge::Seconds(15_552_000)));
        assert_eq!(parse("1d12h"), Ok(MaxAge::Seconds(129_600)));
        assert_eq!(parse("1d2h3m4s"), Ok(MaxAge::Seconds(93_784)));
        assert_eq!(parse("3600"), Ok(MaxAge::Seconds(3_600)));
        assert_eq!(parse("session"), Ok(MaxAge::Session));
        assert_eq!(parse("0s"), Ok(MaxAge::Seconds(0)));
    }

    #[test]
    fn rejects_malformed_forms() {
        for bad in [
            "", "h", "8x", "1h1d", "1h1h", "8 h", "-5s", "1.5h", "Session", "8h3",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn huge_values_saturate_instead_of_overflowing() {
        assert_eq!(
            parse("99999999999999999999999999999999999999999999d"),
            Ok(MaxAge::Seconds(i128::MAX))
        );
    }
}
