//! `docker search TERM`: the simulated Docker Hub's public repositories whose name contains the term.
//! Official images come first (they are what a learner should pick), then the others by stars and name.
//! Descriptions of the official images are Docker Hub's; the star counts are dockdrill's own fixed
//! figures (the real ones change daily), so a replay reads the same every time.
//!
//! Rules from moby 28 `registry/search.go`: at most 25 results unless `--limit` (1 to 100) says otherwise;
//! the filters are `is-official`, `is-automated` and `stars`.

use super::Outcome;
use crate::event::{DockerError, Event, SearchListing, SearchRow};
use crate::model::world::World;

/// Official repositories: (name, Docker Hub's description, stars in the model).
const OFFICIAL: &[(&str, &str, u64)] = &[
    (
        "alpine",
        "A minimal Docker image based on Alpine Linux with a complete package index and only 5 MB in size!",
        11_000,
    ),
    ("busybox", "Busybox base image.", 3_400),
    ("nginx", "Official build of Nginx.", 20_800),
    (
        "node",
        "Node.js is a JavaScript-based platform for server-side and networking applications.",
        13_900,
    ),
    (
        "python",
        "Python is an interpreted, interactive, object-oriented, open-source programming language.",
        10_100,
    ),
    (
        "redis",
        "Redis is the world’s fastest data platform for caching, vector search, and NoSQL databases.",
        13_300,
    ),
    (
        "registry",
        "Distribution implementation for storing and distributing of container images and artifacts",
        4_200,
    ),
    (
        "ubuntu",
        "Ubuntu is a Debian-based Linux operating system based on free software.",
        17_600,
    ),
];

/// The daemon's default and largest result counts.
const DEFAULT_LIMIT: i64 = 25;
const MAX_LIMIT: i64 = 100;

/// `docker search`.
#[allow(clippy::too_many_arguments)]
pub fn search(
    world: &World,
    term: &str,
    limit: Option<i64>,
    filters: &[String],
    (no_trunc, format): (bool, Option<&str>),
    path: &str,
    out: &mut Outcome,
) {
    let Some(filters) = super::parse_filters(
        filters,
        &["is-official", "is-automated", "stars"],
        path,
        out,
    ) else {
        return;
    };
    // 0 (the flag's default) is the daemon's default too.
    let limit = limit.filter(|l| *l != 0).unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return out.error(DockerError::SearchLimit { limit }, 1);
    }
    let mut rows: Vec<SearchRow> = Vec::new();
    if let Some(hub) = world.registries.get("docker.io") {
        let mut paths: Vec<&String> = hub.repos.keys().collect();
        paths.sort();
        for p in paths {
            let repo = &hub.repos[p];
            if repo.private || repo.tags.is_empty() {
                continue;
            }
            let name = p.strip_prefix("library/").unwrap_or(p);
            if !name.contains(&term.to_lowercase()) {
                continue;
            }
            let official = OFFICIAL
                .iter()
                .find(|o| o.0 == name && p.starts_with("library/"));
            rows.push(SearchRow {
                name: name.to_string(),
                description: official.map_or(String::new(), |o| o.1.to_string()),
                stars: official.map_or(0, |o| o.2),
                official: official.is_some(),
            });
        }
    }
    rows.sort_by(|a, b| {
        (!a.official, std::cmp::Reverse(a.stars), &a.name).cmp(&(
            !b.official,
            std::cmp::Reverse(b.stars),
            &b.name,
        ))
    });
    for (k, v) in &filters {
        match k.as_str() {
            "is-official" => {
                let want = v == "true" || v == "1";
                rows.retain(|r| r.official == want);
            }
            // Automated builds ended in 2021: nothing is automated.
            "is-automated" if v == "true" || v == "1" => rows.clear(),
            "stars" => match v.parse::<i64>() {
                Ok(n) => rows.retain(|r| i64::try_from(r.stars).unwrap_or(i64::MAX) >= n),
                Err(_) => {
                    return out.error(
                        DockerError::InvalidFilterValue {
                            key: k.clone(),
                            value: v.clone(),
                            problem: crate::docker_error::FilterProblem::NotANumber,
                        },
                        1,
                    );
                }
            },
            _ => {}
        }
    }
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    out.push(Event::Search(SearchListing {
        rows,
        no_trunc,
        format: format.map(str::to_string),
    }));
}

#[cfg(test)]
mod tests {
    use crate::engine::run_test_line as run;
    use crate::event::{DockerError, Event};
    use crate::model::world::World;

    /// moby v28.2.2 `registry/search_session.go`: 0 is the default (25); outside 1..=100 is refused.
    /// `registry/search.go`: `stars=` takes a number (`strconv.Atoi`).
    #[test]
    fn limit_zero_is_the_default_and_stars_take_a_number() {
        let mut w = World::new();
        let o = run(&mut w, "docker search --limit 0 busybox");
        assert!(matches!(o.events.first(), Some(Event::Search(_))), "{o:?}");
        let o = run(&mut w, "docker search --limit 101 busybox");
        assert_eq!(o.refusal(), Some(&DockerError::SearchLimit { limit: 101 }));
        let o = run(&mut w, "docker search -f stars=abc busybox");
        assert!(matches!(
            o.refusal(),
            Some(DockerError::InvalidFilterValue { key, .. }) if key == "stars"
        ));
        let o = run(&mut w, "docker search -f stars=-1 busybox");
        assert!(matches!(o.events.first(), Some(Event::Search(_))), "{o:?}");
    }
}
