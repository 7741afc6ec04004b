//! Simulated time. The world never reads the wall clock: every command advances a deterministic clock, so
//! "Up 3 seconds" and "Exited (0) 5 seconds ago" read the same in every replay.

/// Seconds since the Unix epoch at which a fresh world starts (2026-03-02T09:00:00Z).
pub const WORLD_EPOCH: u64 = 1_772_442_000;

/// How far the clock moves for one typed command: about what a person takes between two commands.
pub const STEP: u64 = 1;

/// RFC 3339 in UTC with nanoseconds, as Docker's JSON shows times (`2026-03-02T09:00:00.000000000Z`).
pub fn rfc3339(secs: u64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000000000Z")
}

/// Go's `time.RFC3339` in UTC, whole seconds (`2026-03-02T09:00:00Z`): `history`'s `CreatedAt`.
pub fn rfc3339_secs(secs: u64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// Go's default `time.Time` formatting, used by `--format '{{.CreatedAt}}'`.
pub fn go_time(secs: u64) -> String {
    let (y, mo, d, h, mi, s) = civil(secs);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} +0000 UTC")
}

/// The zero time Go prints for "never" (`0001-01-01T00:00:00Z`).
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// Splits Unix seconds into a proleptic Gregorian date and time (Howard Hinnant's days-to-civil).
fn civil(secs: u64) -> (i64, u32, u32, u64, u64, u64) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (y, m, d, rem / 3600, (rem % 3600) / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_formats() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(rfc3339(WORLD_EPOCH), "2026-03-02T09:00:00.000000000Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00.000000000Z");
    }
}
