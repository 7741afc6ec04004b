//! Human-readable durations and sizes, as printed by the Docker CLI.
//!
//! These reproduce `HumanDuration`, `HumanSize` and `HumanSizeWithPrecision`
//! from docker/go-units v0.5.0 (the version vendored by docker/cli v28.2.2),
//! including Go's `%.*g` number formatting (`1.99MB`, `187MB`, `1e+03kB`).

/// Decimal size units used by go-units (`decimapAbbrs`).
const DECIMAL_UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

/// go-units `HumanDuration` for a whole number of seconds.
///
/// Used for CREATED columns (`"2 minutes ago"`, with " ago" added by the
/// caller) and for container status (`"Up About a minute"`).
pub fn human_duration(secs: u64) -> String {
    let minutes = secs / 60;
    // Go: int(d.Hours() + 0.5), i.e. hours rounded half up.
    let hours = secs.saturating_add(1800) / 3600;
    if secs < 1 {
        "Less than a second".to_string()
    } else if secs == 1 {
        "1 second".to_string()
    } else if secs < 60 {
        format!("{secs} seconds")
    } else if minutes == 1 {
        "About a minute".to_string()
    } else if minutes < 60 {
        format!("{minutes} minutes")
    } else if hours == 1 {
        "About an hour".to_string()
    } else if hours < 48 {
        format!("{hours} hours")
    } else if hours < 24 * 7 * 2 {
        format!("{} days", hours / 24)
    } else if hours < 24 * 30 * 2 {
        format!("{} weeks", hours / 24 / 7)
    } else if hours < 24 * 365 * 2 {
        format!("{} months", hours / 24 / 30)
    } else {
        // Go: int(d.Hours())/24/365 (truncated hours, not rounded).
        format!("{} years", secs / 3600 / 24 / 365)
    }
}

/// `human_duration` of the time since `then`, as the CREATED and STATUS columns print it (`5 minutes ago`).
pub fn ago(now: u64, then: u64) -> String {
    format!("{} ago", human_duration(now.saturating_sub(then)))
}

/// go-units `BytesSize`: `%.4g` with binary units (`656KiB`, `7.755GiB`).
pub fn bytes_size(bytes: u64) -> String {
    const UNITS: [&str; 9] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
    let mut x = bytes as f64;
    let mut i = 0;
    while x >= 1024.0 && i + 1 < UNITS.len() {
        x /= 1024.0;
        i += 1;
    }
    format!("{}{}", format_g(x, 4), UNITS[i])
}

/// go-units `HumanSize`: `%.4g` with decimal units (`12.34MB`, `0B`).
///
/// Used by "Total reclaimed space:" in the prune commands.
pub fn human_size(bytes: u64) -> String {
    human_size_with_precision(bytes, 4)
}

/// go-units `HumanSizeWithPrecision(n, 3)`: `%.3g` with decimal units
/// (`1.99MB`, `187MB`, `1.09GB`, `512B`).
///
/// Used by the SIZE columns of `docker images`, `docker history`, `ps -s`.
pub fn human_size_precision3(bytes: u64) -> String {
    human_size_with_precision(bytes, 3)
}

/// go-units `HumanSizeWithPrecision` for any precision (at least 1).
///
/// A listing or a push prints the same few sizes over and over, and the exact float formatting is a
/// noticeable part of such a command, so the last few answers are kept (per thread, a handful of short
/// strings) and given again.
pub fn human_size_with_precision(bytes: u64, precision: usize) -> String {
    const KEPT: usize = 16;
    /// The next slot to reuse, and (bytes, precision, text) answers.
    type Kept = (usize, Vec<(u64, usize, String)>);
    thread_local! {
        static RECENT: std::cell::RefCell<Kept> = const { std::cell::RefCell::new((0, Vec::new())) };
    }
    RECENT.with_borrow_mut(|(next, kept)| {
        if let Some((_, _, text)) = kept.iter().find(|(b, p, _)| *b == bytes && *p == precision) {
            return text.clone();
        }
        let text = compute_human_size(bytes, precision);
        if kept.len() < KEPT {
            kept.push((bytes, precision, text.clone()));
        } else if let Some(slot) = kept.get_mut(*next) {
            *slot = (bytes, precision, text.clone());
            *next = (*next + 1) % KEPT;
        }
        text
    })
}

fn compute_human_size(bytes: u64, precision: usize) -> String {
    // Same float operations as go-units' getSizeAndUnit: repeated division.
    let mut size = bytes as f64;
    let mut i = 0;
    while size >= 1000.0 && i < DECIMAL_UNITS.len() - 1 {
        size /= 1000.0;
        i += 1;
    }
    let unit = DECIMAL_UNITS.get(i).copied().unwrap_or("B");
    format!("{}{}", format_g(size, precision), unit)
}

/// Go's `fmt.Sprintf("%.*g", prec, x)` for finite, non-negative `x`.
///
/// Negative or non-finite input is formatted by Rust's `Display` (never
/// happens for sizes).
pub fn format_g(x: f64, prec: usize) -> String {
    if !x.is_finite() || x < 0.0 {
        return format!("{x}");
    }
    let prec = prec.max(1);
    // Correctly rounded scientific notation with `prec` significant digits.
    let sci = format!("{:.*e}", prec - 1, x);
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (sci.as_str(), 0),
    };
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    let nd = digits.len() as i64;
    // Decimal point position (Go's digs.dp); zero has no digits and dp 0.
    let dp = if nd == 0 { 0 } else { exp + 1 };
    let prec = prec as i64;

    let mut eprec = prec;
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    let exp10 = dp - 1;
    if exp10 < -4 || exp10 >= eprec {
        let p = prec.min(nd).max(1);
        return fmt_e(&digits, p - 1, if nd == 0 { 0 } else { exp10 });
    }
    let p = if prec > dp { nd } else { prec };
    fmt_f(&digits, dp, (p - dp).max(0))
}

fn digit_at(digits: &[u8], idx: i64) -> char {
    if idx < 0 {
        return '0';
    }
    match usize::try_from(idx).ok().and_then(|i| digits.get(i)) {
        Some(d) => char::from(*d),
        None => '0',
    }
}

/// Go's fmtE: `d.ddde±XX` with `frac` digits after the point.
fn fmt_e(digits: &[u8], frac: i64, exp: i64) -> String {
    let mut out = String::new();
    out.push(digit_at(digits, 0));
    if frac > 0 {
        out.push('.');
        for i in 1..=frac {
            out.push(digit_at(digits, i));
        }
    }
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.abs();
    if e < 10 {
        out.push('0');
    }
    out.push_str(&e.to_string());
    out
}

/// Go's fmtF: integer part then `frac` decimals.
fn fmt_f(digits: &[u8], dp: i64, frac: i64) -> String {
    let mut out = String::new();
    if dp > 0 {
        for i in 0..dp {
            out.push(digit_at(digits, i));
        }
    } else {
        out.push('0');
    }
    if frac > 0 {
        out.push('.');
        for i in 1..=frac {
            out.push(digit_at(digits, dp + i - 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(human_duration(0), "Less than a second");
        assert_eq!(human_duration(1), "1 second");
        assert_eq!(human_duration(2), "2 seconds");
        assert_eq!(human_duration(59), "59 seconds");
        assert_eq!(human_duration(60), "About a minute");
        assert_eq!(human_duration(119), "About a minute");
        assert_eq!(human_duration(120), "2 minutes");
        assert_eq!(human_duration(3599), "59 minutes");
        assert_eq!(human_duration(3600), "About an hour");
        assert_eq!(human_duration(5399), "About an hour");
        assert_eq!(human_duration(5400), "2 hours");
        assert_eq!(human_duration(47 * 3600 + 1799), "47 hours");
        assert_eq!(human_duration(47 * 3600 + 1800), "2 days");
        assert_eq!(human_duration(13 * 86400), "13 days");
        assert_eq!(human_duration(14 * 86400), "2 weeks");
        assert_eq!(human_duration(59 * 86400), "8 weeks");
        assert_eq!(human_duration(60 * 86400), "2 months");
        assert_eq!(human_duration(729 * 86400), "24 months");
        assert_eq!(human_duration(730 * 86400), "2 years");
        assert_eq!(human_duration(u64::MAX), human_duration(u64::MAX));
    }

    #[test]
    fn sizes_precision3() {
        assert_eq!(human_size_precision3(0), "0B");
        assert_eq!(human_size_precision3(6), "6B");
        assert_eq!(human_size_precision3(15), "15B");
        assert_eq!(human_size_precision3(120), "120B");
        assert_eq!(human_size_precision3(512), "512B");
        assert_eq!(human_size_precision3(999), "999B");
        assert_eq!(human_size_precision3(1000), "1kB");
        assert_eq!(human_size_precision3(3220), "3.22kB");
        assert_eq!(human_size_precision3(1_990_000), "1.99MB");
        assert_eq!(human_size_precision3(1_985_000), "1.99MB");
        assert_eq!(human_size_precision3(1_980_000), "1.98MB");
        assert_eq!(human_size_precision3(7_800_000), "7.8MB");
        assert_eq!(human_size_precision3(187_000_000), "187MB");
        assert_eq!(human_size_precision3(187_400_000), "187MB");
        assert_eq!(human_size_precision3(1_090_000_000), "1.09GB");
        // Go's %g switches to exponent form when rounding reaches 1000.
        assert_eq!(human_size_precision3(999_999), "1e+03kB");
        assert_eq!(human_size_precision3(999_500), "1e+03kB");
        assert_eq!(human_size_precision3(999_400), "999kB");
        // Exact tie rounds half to even, as Go does.
        assert_eq!(human_size_precision3(1125), "1.12kB");
        assert!(human_size_precision3(u64::MAX).ends_with("EB"));
    }

    #[test]
    fn sizes_precision4() {
        assert_eq!(human_size(0), "0B");
        assert_eq!(human_size(12_340_000), "12.34MB");
        assert_eq!(human_size(12_345_678), "12.35MB");
        assert_eq!(human_size(1_990_000), "1.99MB");
        assert_eq!(human_size(9999), "9.999kB");
        assert_eq!(human_size(9_999_999), "10MB");
        assert_eq!(human_size(999_999), "1000kB");
        assert_eq!(human_size(1000), "1kB");
    }

    #[test]
    fn go_g_format() {
        assert_eq!(format_g(0.0, 3), "0");
        assert_eq!(format_g(1.5, 4), "1.5");
        assert_eq!(format_g(100.0, 3), "100");
        assert_eq!(format_g(0.0001234, 3), "0.000123");
        assert_eq!(format_g(0.00001234, 3), "1.23e-05");
        assert_eq!(format_g(123456.0, 3), "1.23e+05");
        assert_eq!(format_g(999.9, 3), "1e+03");
        assert_eq!(format_g(2.5, 1), "2");
    }

    #[test]
    fn a_kept_size_is_the_size() {
        // More sizes than are kept, asked twice over: each time what the formatting gives.
        for _ in 0..2 {
            for i in 0..40u64 {
                let bytes = i * 987_654 + 3;
                for precision in [3, 4] {
                    assert_eq!(
                        human_size_with_precision(bytes, precision),
                        compute_human_size(bytes, precision)
                    );
                }
            }
        }
    }
}
