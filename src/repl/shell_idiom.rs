//! Shell idioms the REPL does not simulate. A learner used to a real shell types `docker rm -f $(docker ps
//! -aq)` or `docker images | grep my`; dockdrill has no shell, so those words would reach Docker's parser and
//! earn a Docker error that misleads (`unknown shorthand flag: 'a' in -aq)`). Such a line is not run: one
//! `[dockdrill]` note says what is not simulated and what to type instead.
//!
//! Only characters outside quotes count (`echo 'a | b' > notes.txt` is fine), and the file helpers'
//! own redirections (`echo TEXT > FILE`, `>> FILE`) are supported.

/// A shell construct found in a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idiom {
    /// `$(…)` or backticks.
    Substitution,
    /// `|`.
    Pipe,
    /// `&&`, `||` or `;`.
    Sequence,
    /// `>`, `>>`, `<`, `2>`, `&>` other than `echo … > FILE`.
    Redirection,
    /// `&` at the end: a background job.
    Background,
}

/// The first shell idiom in `line` outside quotes, if any.
pub fn find(line: &str) -> Option<Idiom> {
    let chars: Vec<char> = line.chars().collect();
    let first_word = line.split_whitespace().next().unwrap_or("");
    let echo = first_word == "echo";
    // `docker save IMAGE > FILE` and `docker load < FILE` are simulated (the runner redirects them).
    let mut words = line.split_whitespace();
    let (w0, w1, w2) = (words.next(), words.next(), words.next());
    let docker_io = w0 == Some("docker")
        && (matches!(w1, Some("save" | "load"))
            || w1 == Some("image") && matches!(w2, Some("save" | "load")));
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match quote {
            Some('\'') => {
                if c == '\'' {
                    quote = None;
                }
            }
            Some(_) => match c {
                '"' => quote = None,
                '\\' => i += 1,
                '$' if next == Some('(') => return Some(Idiom::Substitution),
                '`' => return Some(Idiom::Substitution),
                _ => {}
            },
            None => match c {
                '\'' | '"' => quote = Some(c),
                '\\' => i += 1,
                '$' if next == Some('(') => return Some(Idiom::Substitution),
                '`' => return Some(Idiom::Substitution),
                '|' => {
                    return Some(if next == Some('|') {
                        Idiom::Sequence
                    } else {
                        Idiom::Pipe
                    });
                }
                ';' => return Some(Idiom::Sequence),
                '&' if next == Some('&') => return Some(Idiom::Sequence),
                '&' if next == Some('>') => return Some(Idiom::Redirection),
                '&' => return Some(Idiom::Background),
                '<' if !docker_io => return Some(Idiom::Redirection),
                '>' => {
                    // `echo TEXT > FILE` and `>> FILE` are the helpers' own; `2>` and the rest are not.
                    let fd = i > 0 && chars[i - 1].is_ascii_digit();
                    if !(echo || docker_io) || fd {
                        return Some(Idiom::Redirection);
                    }
                    if next == Some('>') {
                        i += 1;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// The note for `idiom` found in `line`: what is not simulated and what to type instead.
pub fn note(idiom: Idiom, line: &str) -> String {
    let docker = line.trim_start().starts_with("docker ");
    let first: String = line
        .split(['|', ';', '&', '>', '<'])
        .next()
        .unwrap_or("")
        .split("$(")
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    match idiom {
        Idiom::Substitution => {
            let removing = line.contains(" rm ") || line.contains(" rmi ");
            let instead = if line.contains("rmi") {
                "to remove images no container uses, `docker image prune -a -f`; or name them: `docker rmi myimage alpine`"
            } else if removing {
                "to remove every stopped container, `docker container prune -f`; or name them: `docker rm -f web db`"
            } else {
                "run the inner command on its own line, then type the names or IDs it printed"
            };
            format!(
                "dockdrill has no shell: command substitution (`$(…)`, backticks) is not simulated, so this line was not run. Instead: {instead}"
            )
        }
        Idiom::Pipe => {
            let instead = if docker {
                format!(
                    "`{first}` on its own line (its output is short here); `docker images REPOSITORY`, `--filter` and `--format` narrow what a listing prints"
                )
            } else {
                format!("`{first}` on its own line")
            };
            format!(
                "dockdrill has no shell: pipes (`|`) are not simulated, so this line was not run. Instead: {instead}"
            )
        }
        Idiom::Sequence => format!(
            "dockdrill has no shell: several commands on one line (`&&`, `||`, `;`) are not simulated, so this line was not run. Instead: type them one per line, starting with `{first}`"
        ),
        Idiom::Redirection => format!(
            "dockdrill has no shell: redirections are not simulated (only `echo TEXT > FILE` and `echo TEXT >> FILE` are), so this line was not run. Instead: `{first}` on its own line"
        ),
        Idiom::Background => format!(
            "dockdrill has no shell: background jobs (`&`) are not simulated, so this line was not run. Instead: `{first}`; `docker run -d` runs a container in the background"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idioms_outside_quotes() {
        assert_eq!(
            find("docker rm -f $(docker ps -aq)"),
            Some(Idiom::Substitution)
        );
        assert_eq!(find("docker rm `docker ps -q`"), Some(Idiom::Substitution));
        assert_eq!(find("docker images | grep my"), Some(Idiom::Pipe));
        assert_eq!(
            find("docker build . && docker run x"),
            Some(Idiom::Sequence)
        );
        assert_eq!(find("docker ps; docker images"), Some(Idiom::Sequence));
        assert_eq!(find("docker ps || true"), Some(Idiom::Sequence));
        assert_eq!(find("docker images > list.txt"), Some(Idiom::Redirection));
        assert_eq!(find("echo hi 2> err.txt"), Some(Idiom::Redirection));
        assert_eq!(
            find("docker login -u bob --password-stdin < pw"),
            Some(Idiom::Redirection)
        );
        assert_eq!(find("docker run -d nginx &"), Some(Idiom::Background));
    }

    #[test]
    fn supported_lines_are_left_alone() {
        for line in [
            "echo hello > notes.txt",
            "echo more >> notes.txt",
            "docker run alpine sh -c 'echo a | wc -c; echo $(date)'",
            "docker run alpine echo \"a && b\"",
            "sed -i 's/version 1/version 2/' server.js",
            "docker ps --format '{{.Names}}'",
            "docker run -e A=\\; alpine env",
        ] {
            assert_eq!(find(line), None, "{line}");
        }
    }

    #[test]
    fn notes_say_what_to_type_instead() {
        let n = note(Idiom::Substitution, "docker rm -f $(docker ps -aq)");
        assert!(n.contains("`docker container prune -f`"), "{n}");
        let n = note(Idiom::Pipe, "docker images | grep my");
        assert!(n.contains("`docker images` on its own line"), "{n}");
        let n = note(Idiom::Sequence, "docker build -t app . && docker run app");
        assert!(n.contains("starting with `docker build -t app .`"), "{n}");
    }
}
