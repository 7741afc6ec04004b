//! Signal names and numbers as the daemon reads `docker kill -s` (moby/sys `signal.ParseSignal` and
//! `ValidSignalForPlatform` on Linux): the daemon, not the CLI, judges the value, so a bad signal is the
//! daemon's refusal, before it even looks for the container.

/// Linux's signal names without `SIG`, with their numbers (the real-time ones are `RTMIN+n`/`RTMAX-n`).
const NAMES: &[(&str, i64)] = &[
    ("ABRT", 6),
    ("ALRM", 14),
    ("BUS", 7),
    ("CHLD", 17),
    ("CLD", 17),
    ("CONT", 18),
    ("FPE", 8),
    ("HUP", 1),
    ("ILL", 4),
    ("INT", 2),
    ("IO", 29),
    ("IOT", 6),
    ("KILL", 9),
    ("PIPE", 13),
    ("POLL", 29),
    ("PROF", 27),
    ("PWR", 30),
    ("QUIT", 3),
    ("SEGV", 11),
    ("STKFLT", 16),
    ("STOP", 19),
    ("SYS", 31),
    ("TERM", 15),
    ("TRAP", 5),
    ("TSTP", 20),
    ("TTIN", 21),
    ("TTOU", 22),
    ("URG", 23),
    ("USR1", 10),
    ("USR2", 12),
    ("VTALRM", 26),
    ("WINCH", 28),
    ("XCPU", 24),
    ("XFSZ", 25),
];

const RTMIN: i64 = 34;
const RTMAX: i64 = 64;

pub use crate::docker_error::SignalProblem;

/// The signal number a `-s` value names.
pub fn parse(raw: &str) -> Result<i64, SignalProblem> {
    if let Ok(n) = raw.parse::<i64>() {
        return match n {
            0 => Err(SignalProblem::Invalid),
            1..=31 | RTMIN..=RTMAX => Ok(n),
            _ => Err(SignalProblem::Unsupported(n)),
        };
    }
    let upper = raw.to_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    if let Some((_, n)) = NAMES.iter().find(|(k, _)| *k == name) {
        return Ok(*n);
    }
    let offset = |rest: &str| rest.parse::<i64>().ok().filter(|n| (1..=15).contains(n));
    match name {
        "RTMIN" => Ok(RTMIN),
        "RTMAX" => Ok(RTMAX),
        _ => name
            .strip_prefix("RTMIN+")
            .and_then(offset)
            .map(|n| RTMIN + n)
            .or_else(|| {
                name.strip_prefix("RTMAX-")
                    .and_then(offset)
                    .map(|n| RTMAX - n)
            })
            .ok_or(SignalProblem::Invalid),
    }
}

/// SIGKILL: the one signal a container's PID 1 cannot ignore.
pub const KILL: i64 = 9;

/// SIGTERM: what `docker stop` sends by default.
pub const TERM: i64 = 15;

/// The signals a simulated program treats as "stop" (its SIGTERM handler, if it has one).
pub fn asks_to_stop(n: i64) -> bool {
    matches!(n, 2 | 3 | 15)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_as_the_daemon_reads_them() {
        assert_eq!(parse("KILL"), Ok(9));
        assert_eq!(parse("SIGKILL"), Ok(9));
        assert_eq!(parse("sigterm"), Ok(15));
        assert_eq!(parse("hup"), Ok(1));
        assert_eq!(parse("9"), Ok(9));
        assert_eq!(parse("RTMIN+3"), Ok(37));
        assert_eq!(parse("RTMAX-1"), Ok(63));
        assert_eq!(parse("NOPE"), Err(SignalProblem::Invalid));
        assert_eq!(parse("0"), Err(SignalProblem::Invalid));
        assert_eq!(parse(""), Err(SignalProblem::Invalid));
        assert_eq!(parse("99"), Err(SignalProblem::Unsupported(99)));
        assert_eq!(parse("32"), Err(SignalProblem::Unsupported(32)));
        assert_eq!(parse("-1"), Err(SignalProblem::Unsupported(-1)));
    }
}
