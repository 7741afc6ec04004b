//! `docker images --tree` as docker/cli 28.2 prints it (`cli/command/image/tree.go`, `internal/tui`):
//! the experimental warning, the legend pushed to the right edge, then fixed-width columns, the first as
//! narrow as the names allow. Off a terminal the width is 80 and nothing is coloured.

use super::units::human_size_precision3;
use crate::event::ImageTree;

/// Spaces between two columns.
const SPACING: usize = 3;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

/// tui `Ellipsis`: the first `length - 1` characters and `…` once the text reaches `length` characters.
fn ellipsis(s: &str, length: usize) -> String {
    if s.chars().count() >= length && length > 0 {
        let mut out: String = s.chars().take(length - 1).collect();
        out.push('…');
        out
    } else {
        s.to_string()
    }
}

fn cell(s: &str, width: usize, align: Align) -> String {
    let len = s.chars().count();
    if len > width {
        return ellipsis(s, width);
    }
    let fill = " ".repeat(width - len);
    match align {
        Align::Left => format!("{s}{fill}"),
        Align::Right => format!("{fill}{s}"),
    }
}

/// The whole output (stdout); `terminal` is the terminal's width when stdout is one.
pub fn text(t: &ImageTree, terminal: Option<usize>) -> String {
    let width = terminal.unwrap_or(80).max(20);
    let mut out = String::from(
        "WARNING: This is an experimental feature. The output may change and shouldn't be depended on.\n",
    );
    let legend = " Info ->  U In Use ";
    out.push_str(&" ".repeat(width.saturating_sub(legend.chars().count())));
    out.push_str(legend);
    out.push_str("\n\n");
    // No per-platform child marks an image in use (the classic store reports none), so EXTRA has no chip.
    let mut columns: Vec<(&str, usize, Align)> = vec![
        ("Image", 0, Align::Left),
        ("ID", 12, Align::Left),
        ("Disk usage", 10, Align::Right),
        ("Content size", 12, Align::Right),
        ("Extra", "Extra".len(), Align::Left),
    ];
    // `adjustColumns`: the first column gets what the others leave, down to 12, and no more than its widest
    // name needs; columns that would squeeze it further are dropped.
    let mut name_width = width;
    let mut keep = columns.len();
    for (idx, (_, w, _)) in columns.iter().enumerate().skip(1) {
        let d = w + SPACING;
        if name_width < d + 12 {
            keep = idx;
            break;
        }
        name_width -= d;
    }
    columns.truncate(keep);
    let widest = t
        .images
        .iter()
        .flat_map(|i| i.names.iter())
        .map(|n| n.len())
        .fold("Image".len(), usize::max);
    columns[0].1 = name_width.min(widest);
    let header: Vec<String> = columns
        .iter()
        .map(|(title, w, a)| cell(&title.to_uppercase(), *w, *a))
        .collect();
    out.push_str(&header.join(&" ".repeat(SPACING)));
    out.push('\n');
    for image in &t.images {
        let mut names = image.names.clone();
        // Longest first (a stable sort here; Go's is not, for names of one length).
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        match names.split_last() {
            None => out.push_str(&cell("<untagged>", columns[0].1, Align::Left)),
            Some((last, rest)) => {
                for n in rest {
                    out.push_str(&ellipsis(n, terminal.unwrap_or(0)));
                    out.push('\n');
                }
                out.push_str(&cell(last, columns[0].1, Align::Left));
            }
        }
        let id = image.id.short().to_string();
        let values = [
            id,
            human_size_precision3(image.size),
            human_size_precision3(0),
            String::new(),
        ];
        for ((_, w, a), v) in columns.iter().skip(1).zip(values.iter()) {
            out.push_str(&" ".repeat(SPACING));
            out.push_str(&cell(v, *w, *a));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::Digest;
    use crate::event::TreeImage;

    #[test]
    fn columns_fit_the_names_and_the_legend_sits_right() {
        let t = ImageTree {
            images: vec![
                TreeImage {
                    names: vec![
                        "alpine:latest".into(),
                        "registry.example.com/alpine:3".into(),
                    ],
                    id: Digest::of(b"a"),
                    size: 7_830_000,
                },
                TreeImage {
                    names: vec![],
                    id: Digest::of(b"b"),
                    size: 1_000,
                },
            ],
        };
        let text = text(&t, None);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1].len(), 80);
        assert!(lines[1].ends_with(" Info ->  U In Use "));
        assert_eq!(lines[2], "");
        assert_eq!(
            lines[3],
            "IMAGE                           ID             DISK USAGE   CONTENT SIZE   EXTRA"
        );
        assert_eq!(lines[4], "registry.example.com/alpine:3");
        assert!(lines[5].starts_with("alpine:latest                   "));
        assert!(lines[5].ends_with("    7.83MB             0B        "));
        assert!(lines[6].starts_with("<untagged>"));
    }

    #[test]
    fn ellipsis_cuts_at_the_length() {
        assert_eq!(ellipsis("abcdef", 4), "abc…");
        assert_eq!(ellipsis("abc", 4), "abc");
        assert_eq!(ellipsis("abcd", 4), "abc…");
    }
}
