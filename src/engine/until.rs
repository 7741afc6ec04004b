//! The `until=` and `label=`/`label!=` filters of `image prune`, `container prune` and `images` (moby's
//! prune filters; `until` is read by go-units' `timetypes.GetTimestamp`: a Go duration back from now, an
//! RFC 3339 date or time, or Unix seconds).

use std::collections::BTreeMap;

/// Go's `time.ParseDuration`, in whole seconds (fractions of a second are dropped).
fn duration_secs(v: &str) -> Option<i64> {
    let (sign, body) = match v.strip_prefix('-') {
        Some(b) => (-1.0, b),
        None => (1.0, v.strip_prefix('+').unwrap_or(v)),
    };
    if body == "0" {
        return Some(0);
    }
    if body.is_empty() {
        return None;
    }
    let mut rest = body;
    let mut total = 0.0f64;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..n].parse().ok()?;
        rest = &rest[n..];
        let (unit, scale) = [
            ("ns", 1e-9),
            ("us", 1e-6),
            ("µs", 1e-6),
            ("ms", 1e-3),
            ("s", 1.0),
            ("m", 60.0),
            ("h", 3600.0),
        ]
        .into_iter()
        .find(|(u, _)| rest.starts_with(u))?;
        rest = &rest[unit.len()..];
        total += number * scale;
    }
    Some((sign * total) as i64)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days-from-civil).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2006-01-02`, `2006-01-02T15`, `2006-01-02T15:04`, `2006-01-02T15:04:05` with an optional `Z` (the
/// simulated machines' zone is UTC).
fn date_secs(v: &str) -> Option<i64> {
    let v = v.strip_suffix(['Z', 'z']).unwrap_or(v);
    let (date, time) = v.split_once('T').unwrap_or((v, ""));
    let mut d = date.split('-');
    let (y, mo, day) = (d.next()?, d.next()?, d.next()?);
    if d.next().is_some() || y.len() != 4 || mo.len() != 2 || day.len() != 2 {
        return None;
    }
    let (y, mo, day): (i64, i64, i64) = (y.parse().ok()?, mo.parse().ok()?, day.parse().ok()?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&day) {
        return None;
    }
    let mut hms = [0i64; 3];
    if !time.is_empty() {
        let parts: Vec<&str> = time.split(':').collect();
        if parts.len() > 3 {
            return None;
        }
        for (slot, p) in hms.iter_mut().zip(&parts) {
            if p.len() != 2 {
                return None;
            }
            *slot = p.parse().ok()?;
        }
    }
    Some(days_from_civil(y, mo, day) * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2])
}

/// The moment `until=VALUE` names, in Unix seconds; `None` is the daemon's
/// `failed to parse value as time or duration`.
pub fn parse(value: &str, now: u64) -> Option<i64> {
    if value != "0"
        && let Some(d) = duration_secs(value)
    {
        return Some(now as i64 - d);
    }
    if let Some(t) = date_secs(value) {
        return Some(t);
    }
    let (secs, frac) = value.split_once('.').unwrap_or((value, "0"));
    let unix = !secs.is_empty()
        && secs.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit());
    if unix { secs.parse().ok() } else { None }
}

/// `label=k`, `label=k=v` must all hold; `label!=k`, `label!=k=v` must all fail (moby's `matchLabels`).
pub fn labels_match(filters: &[(String, String)], labels: &BTreeMap<String, String>) -> bool {
    let holds = |f: &str| match f.split_once('=') {
        Some((k, v)) => labels.get(k).is_some_and(|have| have == v),
        None => labels.contains_key(f),
    };
    filters.iter().all(|(k, v)| match k.as_str() {
        "label" => holds(v),
        "label!" => !holds(v),
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_values_as_go_units_reads_them() {
        let now = 1_772_442_000;
        assert_eq!(parse("24h", now), Some(now as i64 - 86_400));
        assert_eq!(parse("1h30m", now), Some(now as i64 - 5_400));
        assert_eq!(parse("10s", now), Some(now as i64 - 10));
        assert_eq!(parse("2020-01-01", now), Some(1_577_836_800));
        assert_eq!(parse("2020-01-01T10:00:00Z", now), Some(1_577_872_800));
        assert_eq!(parse("1577836800", now), Some(1_577_836_800));
        assert_eq!(parse("0", now), Some(0));
        assert_eq!(parse("abc", now), None);
        assert_eq!(parse("24x", now), None);
        assert_eq!(parse("", now), None);
    }

    #[test]
    fn label_and_not_label() {
        let labels: BTreeMap<String, String> = [("keep".to_string(), "yes".to_string())].into();
        let f = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert!(labels_match(&f("label", "keep"), &labels));
        assert!(labels_match(&f("label", "keep=yes"), &labels));
        assert!(!labels_match(&f("label", "keep=no"), &labels));
        assert!(!labels_match(&f("label!", "keep"), &labels));
        assert!(labels_match(&f("label!", "keep=no"), &labels));
        assert!(labels_match(&[], &labels));
    }
}
