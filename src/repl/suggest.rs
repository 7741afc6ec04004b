//! "Did you mean": the nearest known word to a typo, by edit distance (a swap of two neighbouring letters
//! costs one, as in `dokcer`). Short words need a closer match than long ones, so `ls` never suggests `ps`.

/// The closest of `known` to `typed`, when it is close enough to be what was meant.
pub fn closest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let exact = typed;
    let typed = typed.to_lowercase();
    let allowed = match typed.chars().count() {
        0..=2 => 0,
        3..=4 => 1,
        _ => 2,
    };
    known
        .into_iter()
        .filter(|k| *k != exact)
        .map(|k| (distance(&typed, k), k))
        .filter(|(d, _)| *d <= allowed)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[n][m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_and_slips() {
        assert_eq!(distance("dokcer", "docker"), 1);
        assert_eq!(distance("psh", "ps"), 1);
        assert_eq!(distance("stat", "state"), 1);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn the_nearest_close_word() {
        let words = ["docker", "state", "explain", "ps", "push", "pull"];
        assert_eq!(closest("dokcer", words), Some("docker"));
        assert_eq!(closest("stat", words), Some("state"));
        assert_eq!(closest("psh", words), Some("ps"));
        assert_eq!(closest("Docker", words), Some("docker"));
        assert_eq!(closest("banana", words), None);
        // Two letters must match exactly: `ls` is not a typo of `ps`.
        assert_eq!(closest("ls", words), None);
    }
}
