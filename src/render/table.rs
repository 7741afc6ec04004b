//! Table layout and the COMMAND column of `docker ps`.
//!
//! The Docker CLI renders tables through Go's `text/tabwriter` with
//! `minwidth=10, tabwidth=1, padding=3, padchar=' ', flags=0`
//! (docker/cli `cli/command/formatter/formatter.go`). Every row is the
//! template output with cells separated by tabs and ended by a newline, so
//! every cell except the last one of a row is padded; the last cell is
//! printed as-is (an empty last cell leaves the previous column's padding as
//! trailing spaces, as `docker history` shows with its empty COMMENT column).

const MIN_WIDTH: usize = 10;
const PADDING: usize = 3;

/// Renders rows (header first) the way Docker's tabwriter lays them out.
///
/// Each output line ends with `"\n"`. Widths count Unicode scalar values
/// (Go's tabwriter counts runes), so `…` counts as one. A tab or newline
/// inside a cell acts as a cell or line break, as it would in Docker.
pub fn render_table<S: AsRef<str>>(rows: &[Vec<S>]) -> String {
    // A cell holding a tab or a newline would split as tabwriter splits it: only then join and re-split.
    if rows
        .iter()
        .flatten()
        .any(|c| c.as_ref().contains(['\t', '\n']))
    {
        let mut text = String::new();
        for row in rows {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    text.push('\t');
                }
                text.push_str(cell.as_ref());
            }
            text.push('\n');
        }
        return tabwriter(&text);
    }
    let lines: Vec<Vec<&str>> = rows
        .iter()
        .map(|row| {
            if row.is_empty() {
                vec![""]
            } else {
                row.iter().map(AsRef::as_ref).collect()
            }
        })
        .collect();
    let mut out = String::new();
    if !format_uniform(&lines, &mut out) {
        let mut widths: Vec<usize> = Vec::new();
        format_block(&lines, 0, lines.len(), &mut widths, &mut out);
    }
    out
}

/// [`format_block`] when every line has the same number of cells (every listing): then each column but
/// the last is one block over all lines, so its width is the widest cell plus the padding (at least the
/// minimum width), found in one pass. Returns false, writing nothing, when the lines differ in length.
fn format_uniform(lines: &[Vec<&str>], out: &mut String) -> bool {
    let cells = lines.first().map_or(0, Vec::len);
    if lines.iter().any(|l| l.len() != cells) {
        return false;
    }
    let mut widths = vec![MIN_WIDTH; cells.saturating_sub(1)];
    let mut total = 0;
    for line in lines {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell_width(cell) + PADDING);
        }
        total += line.last().map_or(0, |c| c.len()) + 1;
    }
    out.reserve(total + widths.iter().sum::<usize>() * lines.len());
    write_lines(lines, 0, lines.len(), &widths, out);
    true
}

/// Go `text/tabwriter` (flags 0, minwidth 10, padding 3, padchar ' ') over a
/// complete text. Cells are terminated by `\t`; lines by `\n`. Text after the
/// last newline is kept as a final line without newline.
pub fn tabwriter(text: &str) -> String {
    // Split into lines of cells; the final cell of each line is unterminated.
    let mut lines: Vec<Vec<&str>> = Vec::new();
    let mut rest = text;
    let mut ends_with_newline = false;
    while !rest.is_empty() {
        let (line, next, had_nl) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..], true),
            None => (rest, "", false),
        };
        lines.push(line.split('\t').collect());
        ends_with_newline = had_nl;
        rest = next;
    }
    let mut out = String::new();
    let mut widths: Vec<usize> = Vec::new();
    format_block(&lines, 0, lines.len(), &mut widths, &mut out);
    if !ends_with_newline && out.ends_with('\n') {
        out.pop();
    }
    out
}

fn cell_width(cell: &str) -> usize {
    if cell.is_ascii() {
        cell.len()
    } else {
        cell.chars().count()
    }
}

/// Appends `n` spaces (a slice at a time, not a character at a time).
fn pad(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// Go tabwriter's recursive `format`: column blocks are runs of consecutive
/// lines that have a terminated cell in the current column.
fn format_block(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    out: &mut String,
) {
    let column = widths.len();
    let mut start = line0;
    let mut this = line0;
    while this < line1 {
        let has_cell = |l: usize| lines.get(l).is_some_and(|cells| column + 1 < cells.len());
        if !has_cell(this) {
            this += 1;
            continue;
        }
        write_lines(lines, start, this, widths, out);
        start = this;
        let mut width = MIN_WIDTH;
        while this < line1 && has_cell(this) {
            let w = lines
                .get(this)
                .and_then(|cells| cells.get(column))
                .map_or(0, |c| cell_width(c))
                + PADDING;
            width = width.max(w);
            this += 1;
        }
        widths.push(width);
        format_block(lines, start, this, widths, out);
        widths.pop();
        start = this;
    }
    write_lines(lines, start, line1, widths, out);
}

fn write_lines(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &[usize],
    out: &mut String,
) {
    for cells in lines.iter().take(line1).skip(line0) {
        for (j, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if let Some(w) = widths.get(j) {
                pad(out, w.saturating_sub(cell_width(cell)));
            }
        }
        out.push('\n');
    }
}

/// The COMMAND column of `docker ps` (without `--no-trunc`): the command is
/// cut to 20 display columns (19 + `…`) and then quoted like Go's `%q`.
///
/// `"sh -c 'exit 2'"`, `"echo 'Hello from my…"`, `"sh -c 'sleep 3600; …"`.
pub fn truncate_command(cmd: &str) -> String {
    go_quote(&ellipsis(cmd, 20))
}

/// The COMMAND column with `--no-trunc`: quoted, not cut.
pub fn quote_command(cmd: &str) -> String {
    go_quote(cmd)
}

/// The `Command` string the daemon reports for a container (moby
/// `container/view.go`): the path, then each argument, arguments containing
/// a space wrapped in single quotes, all joined by single spaces.
///
/// `["echo", "Hello from myimage2"]` gives `echo 'Hello from myimage2'`.
/// The path itself is never quoted; no arguments gives just the path.
pub fn ps_command_string(argv: &[String]) -> String {
    let Some((path, args)) = argv.split_first() else {
        return String::new();
    };
    let mut out = String::with_capacity(argv.iter().map(|a| a.len() + 3).sum());
    out.push_str(path);
    for a in args {
        out.push(' ');
        if a.contains(' ') {
            out.push('\'');
            out.push_str(a);
            out.push('\'');
        } else {
            out.push_str(a);
        }
    }
    out
}

/// docker/cli `formatter.Ellipsis`: fit `s` in `max_width` display columns,
/// ending with `…` when cut. East Asian wide and fullwidth characters count
/// as two columns.
pub fn ellipsis(s: &str, max_width: usize) -> String {
    if max_width == 0 {
        return String::new();
    }
    if s.is_ascii() && max_width > 1 {
        // ASCII fast path, as in Docker: one column per byte.
        if s.len() <= max_width {
            return s.to_string();
        }
        let mut cut = String::with_capacity(max_width + 2);
        cut.push_str(&s[..max_width - 1]);
        cut.push('…');
        return cut;
    }
    let chars: Vec<char> = s.chars().collect();
    if max_width == 1 {
        return chars.first().map(|c| c.to_string()).unwrap_or_default();
    }
    if s.len() == chars.len() {
        // ASCII fast path, as in Docker.
        if chars.len() <= max_width {
            return s.to_string();
        }
        let mut cut: String = chars.iter().take(max_width - 1).collect();
        cut.push('…');
        return cut;
    }
    let mut display = Vec::with_capacity(chars.len());
    let mut total = 0;
    for c in &chars {
        total += char_width(*c);
        display.push(total);
    }
    if total <= max_width {
        return s.to_string();
    }
    for i in 0..display.len() {
        let here = display.get(i).copied().unwrap_or(0);
        let next = display.get(i + 1).copied().unwrap_or(usize::MAX);
        if here < max_width && next >= max_width {
            let mut cut: String = chars.iter().take(i + 1).collect();
            cut.push('…');
            return cut;
        }
    }
    // First character alone is already too wide (Docker returns s here).
    s.to_string()
}

/// Display width: 2 for East Asian Wide / Fullwidth characters, else 1.
/// (Main ranges of Unicode's EastAsianWidth W and F classes.)
pub fn char_width(c: char) -> usize {
    let u = u32::from(c);
    let wide = matches!(u,
        0x1100..=0x115F
        | 0x231A..=0x231B
        | 0x2329..=0x232A
        | 0x23E9..=0x23EC
        | 0x23F0
        | 0x23F3
        | 0x25FD..=0x25FE
        | 0x2614..=0x2615
        | 0x2648..=0x2653
        | 0x267F
        | 0x2693
        | 0x26A1
        | 0x26AA..=0x26AB
        | 0x26BD..=0x26BE
        | 0x26C4..=0x26C5
        | 0x26CE
        | 0x26D4
        | 0x26EA
        | 0x26F2..=0x26F3
        | 0x26F5
        | 0x26FA
        | 0x26FD
        | 0x2705
        | 0x270A..=0x270B
        | 0x2728
        | 0x274C
        | 0x274E
        | 0x2753..=0x2755
        | 0x2757
        | 0x2795..=0x2797
        | 0x27B0
        | 0x27BF
        | 0x2B1B..=0x2B1C
        | 0x2B50
        | 0x2B55
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE10..=0xFE19
        | 0xFE30..=0xFE6F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x16FE0..=0x16FE4
        | 0x17000..=0x18CFF
        | 0x1B000..=0x1B2FF
        | 0x1F004
        | 0x1F0CF
        | 0x1F18E
        | 0x1F191..=0x1F19A
        | 0x1F200..=0x1F251
        | 0x1F260..=0x1F265
        | 0x1F300..=0x1F320
        | 0x1F32D..=0x1F335
        | 0x1F337..=0x1F37C
        | 0x1F37E..=0x1F393
        | 0x1F3A0..=0x1F3CA
        | 0x1F3CF..=0x1F3D3
        | 0x1F3E0..=0x1F3F0
        | 0x1F3F4
        | 0x1F3F8..=0x1F43E
        | 0x1F440
        | 0x1F442..=0x1F4FC
        | 0x1F4FF..=0x1F53D
        | 0x1F54B..=0x1F54E
        | 0x1F550..=0x1F567
        | 0x1F57A
        | 0x1F595..=0x1F596
        | 0x1F5A4
        | 0x1F5FB..=0x1F64F
        | 0x1F680..=0x1F6C5
        | 0x1F6CC
        | 0x1F6D0..=0x1F6D2
        | 0x1F6D5..=0x1F6D7
        | 0x1F6EB..=0x1F6EC
        | 0x1F6F4..=0x1F6FC
        | 0x1F7E0..=0x1F7EB
        | 0x1F90C..=0x1F93A
        | 0x1F93C..=0x1F945
        | 0x1F947..=0x1F9FF
        | 0x1FA70..=0x1FAFF
        | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD
    );
    if wide { 2 } else { 1 }
}

/// Go's `strconv.Quote`: double quotes, with `"` and `\` escaped and
/// non-printable characters written as Go escapes (`\n`, `\x1b`, `\u00a0`).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    // Runs of printable ASCII other than `"` and `\\` are copied as they are.
    let plain = |b: u8| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\';
    let mut rest = s;
    loop {
        let run = rest.bytes().position(|b| !plain(b)).unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = &rest[c.len_utf8()..];
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if is_go_printable(c) => out.push(c),
            c => {
                let u = u32::from(c);
                if u < 0x80 {
                    out.push_str(&format!("\\x{u:02x}"));
                } else if u < 0x10000 {
                    out.push_str(&format!("\\u{u:04x}"));
                } else {
                    out.push_str(&format!("\\U{u:08x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// Approximates Go's `strconv.IsPrint`: the ASCII space, letters, marks,
/// numbers, punctuation and symbols. Control, format, private-use and
/// non-ASCII space characters are not printable.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let u = u32::from(c);
    !matches!(u,
        0x00AD
        | 0x0600..=0x0605
        | 0x061C
        | 0x06DD
        | 0x070F
        | 0x180E
        | 0x200B..=0x200F
        | 0x202A..=0x202E
        | 0x2060..=0x2064
        | 0x2066..=0x206F
        | 0xD800..=0xDFFF
        | 0xE000..=0xF8FF
        | 0xFEFF
        | 0xFFF9..=0xFFFB
        | 0xFFFE..=0xFFFF
        | 0xF0000..=0x10FFFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(data: &[&[&str]]) -> Vec<Vec<String>> {
        data.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    const PS_HEADER: &[&str] = &[
        "CONTAINER ID",
        "IMAGE",
        "COMMAND",
        "CREATED",
        "STATUS",
        "PORTS",
        "NAMES",
    ];

    #[test]
    fn empty_tables_are_header_only() {
        assert_eq!(
            render_table(&rows(&[PS_HEADER])),
            "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n"
        );
        assert_eq!(
            render_table(&rows(&[&[
                "REPOSITORY",
                "TAG",
                "IMAGE ID",
                "CREATED",
                "SIZE"
            ]])),
            "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n"
        );
        assert_eq!(render_table::<String>(&[]), "");
    }

    #[test]
    fn ps_table_from_transcript() {
        let t = render_table(&rows(&[
            PS_HEADER,
            &[
                "a22f6086755e",
                "myimage",
                "\"sh -c 'exit 2'\"",
                "3 seconds ago",
                "Restarting (2) Less than a second ago",
                "",
                "restarting",
            ],
            &[
                "77fb37ba3674",
                "myimage",
                "\"sleep 3600\"",
                "5 seconds ago",
                "Up 5 seconds (Paused)",
                "",
                "paused",
            ],
            &[
                "636426d506b9",
                "myimage",
                "\"sleep 3600\"",
                "7 seconds ago",
                "Up 7 seconds",
                "",
                "adoring_haibt",
            ],
        ]));
        let expected = "\
CONTAINER ID   IMAGE     COMMAND            CREATED         STATUS                                  PORTS     NAMES
a22f6086755e   myimage   \"sh -c 'exit 2'\"   3 seconds ago   Restarting (2) Less than a second ago             restarting
77fb37ba3674   myimage   \"sleep 3600\"       5 seconds ago   Up 5 seconds (Paused)                             paused
636426d506b9   myimage   \"sleep 3600\"       7 seconds ago   Up 7 seconds                                      adoring_haibt
";
        assert_eq!(t, expected);
    }

    #[test]
    fn ps_long_image_and_ellipsis() {
        let t = render_table(&rows(&[
            PS_HEADER,
            &[
                "2f4c26979ce8",
                "registry.example:5000/a-very-long/repository-name-for-layout:some-long-tag",
                &truncate_command("sh -c 'sleep 3600; echo a very long command line'"),
                "1 second ago",
                "Up Less than a second",
                "",
                "long",
            ],
            &[
                "636426d506b9",
                "myimage",
                "\"sleep 3600\"",
                "14 seconds ago",
                "Up 14 seconds",
                "",
                "adoring_haibt",
            ],
        ]));
        let expected = "\
CONTAINER ID   IMAGE                                                                        COMMAND                  CREATED          STATUS                  PORTS     NAMES
2f4c26979ce8   registry.example:5000/a-very-long/repository-name-for-layout:some-long-tag   \"sh -c 'sleep 3600; …\"   1 second ago     Up Less than a second             long
636426d506b9   myimage                                                                      \"sleep 3600\"             14 seconds ago   Up 14 seconds                     adoring_haibt
";
        assert_eq!(t, expected);
    }

    #[test]
    fn images_digests_table_from_pull_transcript() {
        let t = render_table(&rows(&[
            &["REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"],
            &[
                "127.0.0.1:5000/myrepo",
                "latest",
                "sha256:0ddcfe2df4e92306fd374ef4d454aee69321b80782dc4666fde7ab5b4016413d",
                "aa84532e7029",
                "1 second ago",
                "1.99MB",
            ],
        ]));
        let expected = "\
REPOSITORY              TAG       DIGEST                                                                    IMAGE ID       CREATED        SIZE
127.0.0.1:5000/myrepo   latest    sha256:0ddcfe2df4e92306fd374ef4d454aee69321b80782dc4666fde7ab5b4016413d   aa84532e7029   1 second ago   1.99MB
";
        assert_eq!(t, expected);
    }

    #[test]
    fn history_keeps_padding_before_empty_last_cell() {
        let t = render_table(&rows(&[
            &["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"],
            &[
                "fe662e6b22cf",
                "4 seconds ago",
                "/bin/sh -c #(nop)  CMD [\"cat\" \"/app/app.txt\"]",
                "0B",
                "",
            ],
            &[
                "3cdbc45eb176",
                "4 seconds ago",
                "/bin/sh -c #(nop) COPY file:e39da7f1cc9e39d8…",
                "15B",
                "",
            ],
            &[
                "586aa4ff9735",
                "6 seconds ago",
                "/bin/sh -c #(nop) COPY file:73e2b2d48642b21b…",
                "1.98MB",
                "",
            ],
        ]));
        let expected = "\
IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT
fe662e6b22cf   4 seconds ago   /bin/sh -c #(nop)  CMD [\"cat\" \"/app/app.txt\"]   0B        
3cdbc45eb176   4 seconds ago   /bin/sh -c #(nop) COPY file:e39da7f1cc9e39d8…   15B       
586aa4ff9735   6 seconds ago   /bin/sh -c #(nop) COPY file:73e2b2d48642b21b…   1.98MB    
";
        assert_eq!(t, expected);
    }

    #[test]
    fn single_column_and_ragged_rows() {
        assert_eq!(render_table(&rows(&[&["NAMES"], &["web"]])), "NAMES\nweb\n");
        // A shorter row ends the column block (Go tabwriter semantics).
        let t = tabwriter("a\tb\tc\nlonger-cell\tx\n");
        assert_eq!(t, "a             b         c\nlonger-cell   x\n");
        assert_eq!(tabwriter("x\ty"), "x         y");
    }

    #[test]
    fn command_column() {
        let argv = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            truncate_command(&ps_command_string(&argv(&["sh", "-c", "exit 2"]))),
            "\"sh -c 'exit 2'\""
        );
        assert_eq!(
            truncate_command(&ps_command_string(&argv(&["echo", "Hello from myimage2"]))),
            "\"echo 'Hello from my…\""
        );
        assert_eq!(
            truncate_command(&ps_command_string(&argv(&[
                "echo", "override", "the", "CMD"
            ]))),
            "\"echo override the C…\""
        );
        assert_eq!(
            truncate_command(&ps_command_string(&argv(&[
                "sh",
                "-c",
                "sleep 3600; echo a very long command line"
            ]))),
            "\"sh -c 'sleep 3600; …\""
        );
        assert_eq!(
            truncate_command(&ps_command_string(&argv(&["sleep", "3600"]))),
            "\"sleep 3600\""
        );
        assert_eq!(
            truncate_command(&ps_command_string(&argv(&[
                "/docker-entrypoint.sh",
                "nginx",
                "-g",
                "daemon off;"
            ]))),
            "\"/docker-entrypoint.…\""
        );
        assert_eq!(ps_command_string(&argv(&["true"])), "true");
        assert_eq!(ps_command_string(&[]), "");
        assert_eq!(truncate_command(""), "\"\"");
        assert_eq!(
            truncate_command("12345678901234567890"),
            "\"12345678901234567890\""
        );
        assert_eq!(
            truncate_command("123456789012345678901"),
            "\"1234567890123456789…\""
        );
        assert_eq!(
            quote_command("sh -c 'sleep 3600; echo a very long command line'"),
            "\"sh -c 'sleep 3600; echo a very long command line'\""
        );
    }

    #[test]
    fn quoting_and_wide_chars() {
        assert_eq!(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(go_quote("a\tb\n\u{1b}"), "\"a\\tb\\n\\x1b\"");
        assert_eq!(go_quote("é\u{a0}"), "\"é\\u00a0\"");
        assert_eq!(go_quote("日本"), "\"日本\"");
        // 10 wide chars = 20 columns: fits.
        assert_eq!(ellipsis("日本語日本語日本語日", 20), "日本語日本語日本語日");
        // 11 wide chars: 9 of them (18 columns) fit before the ellipsis.
        assert_eq!(
            ellipsis("日本語日本語日本語日本", 20),
            "日本語日本語日本語…"
        );
        assert_eq!(
            ellipsis("é23456789012345678901", 20),
            "é234567890123456789…"
        );
        assert_eq!(ellipsis("abc", 1), "a");
        assert_eq!(ellipsis("abc", 0), "");
    }

    #[test]
    fn a_uniform_table_is_laid_out_as_the_recursive_format_does() {
        let tables: [&[&[&str]]; 4] = [
            &[&["REPOSITORY", "TAG", "SIZE"], &["alice/app", "1", "7.8MB"]],
            &[&["a", "b"], &["a long first cell", ""], &["", "x"]],
            &[&["only"], &["one column"]],
            &[&["é…", "wide 漢字 cell", "z"], &["x", "y", "last"]],
        ];
        for t in tables {
            let lines: Vec<Vec<&str>> = t.iter().map(|r| r.to_vec()).collect();
            let mut fast = String::new();
            assert!(format_uniform(&lines, &mut fast));
            let mut slow = String::new();
            format_block(&lines, 0, lines.len(), &mut Vec::new(), &mut slow);
            assert_eq!(fast, slow);
        }
        let ragged: Vec<Vec<&str>> = vec![vec!["a", "b"], vec!["c"]];
        let mut out = String::new();
        assert!(!format_uniform(&ragged, &mut out));
        assert!(out.is_empty());
    }

    #[test]
    fn go_quote_copies_plain_runs_and_escapes_the_rest() {
        assert_eq!(go_quote("node server.js"), "\"node server.js\"");
        assert_eq!(go_quote("docker-entrypoint.s…"), "\"docker-entrypoint.s…\"");
        assert_eq!(go_quote("a\"b\\c\td\u{7f}"), "\"a\\\"b\\\\c\\td\\x7f\"");
        assert_eq!(go_quote(""), "\"\"");
    }
}
