//! Docker's words for `docker load`, `docker port` and `docker top` (moby `image/tarexport/load.go`,
//! docker/cli `container/port.go`, `container/top.go`).

use crate::event::{LoadedLine, PortLine, TopRow};

/// `docker load`'s report.
pub fn loaded(lines: &[LoadedLine]) -> String {
    let mut s = String::new();
    for l in lines {
        match l {
            LoadedLine::Replaced { tag, old } => s.push_str(&format!(
                "The image {tag} already exists, renaming the old one with ID {old} to empty string\n"
            )),
            LoadedLine::Tag(t) => s.push_str(&format!("Loaded image: {t}\n")),
            LoadedLine::Id(id) => s.push_str(&format!("Loaded image ID: {id}\n")),
        }
    }
    s
}

/// `docker port`: `80/tcp -> 0.0.0.0:8080` (or `0.0.0.0:8080` for one port), IPv6 as `[::]:8080`, sorted
/// the way the CLI sorts them (`sortorder.NaturalLess`).
pub fn ports(ports: &[PortLine]) -> String {
    let mut lines: Vec<String> = ports
        .iter()
        .map(|p| {
            let addr = if p.host_ip.contains(':') {
                format!("[{}]:{}", p.host_ip, p.host_port)
            } else {
                format!("{}:{}", p.host_ip, p.host_port)
            };
            match &p.private {
                Some(from) => format!("{from} -> {addr}"),
                None => addr,
            }
        })
        .collect();
    lines.sort_by(|a, b| natural_cmp(a, b));
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// `docker top`: Go's tabwriter with minimum width 20 and padding 3 (docker/cli `container/top.go`).
pub fn top(rows: &[TopRow]) -> String {
    let header = ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let secs = r.started % 86_400;
            vec![
                "root".to_string(),
                r.pid.to_string(),
                r.ppid.to_string(),
                "0".to_string(),
                format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60),
                if r.tty { "pts/0" } else { "?" }.to_string(),
                "00:00:00".to_string(),
                r.command.clone(),
            ]
        })
        .collect();
    let mut all = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    all.extend(cells);
    let widths: Vec<usize> = (0..header.len() - 1)
        .map(|i| {
            all.iter()
                .map(|row| row[i].chars().count() + 3)
                .max()
                .unwrap_or(0)
                .max(20)
        })
        .collect();
    let mut s = String::new();
    for row in &all {
        for (i, cell) in row.iter().enumerate() {
            match widths.get(i) {
                Some(w) => s.push_str(&format!("{cell:<w$}")),
                None => s.push_str(cell),
            }
        }
        s.push('\n');
    }
    s
}

/// `sortorder.NaturalLess`: runs of digits compare as numbers, the rest byte by byte.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let na = String::from_utf8_lossy(&a[..da])
                    .parse::<u64>()
                    .unwrap_or(0);
                let nb = String::from_utf8_lossy(&b[..db])
                    .parse::<u64>()
                    .unwrap_or(0);
                if na != nb {
                    return na.cmp(&nb);
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_sort_naturally_with_ipv6_bracketed() {
        let p = |port: u16, ip: &str, host: u16| PortLine {
            private: Some(format!("{port}/tcp")),
            host_ip: ip.into(),
            host_port: host,
        };
        assert_eq!(
            ports(&[
                p(8080, "0.0.0.0", 1),
                p(80, "::", 8000),
                p(80, "0.0.0.0", 8000)
            ]),
            "80/tcp -> 0.0.0.0:8000\n80/tcp -> [::]:8000\n8080/tcp -> 0.0.0.0:1\n"
        );
    }
}
