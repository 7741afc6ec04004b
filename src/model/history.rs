//! An image's history, shared between the images of one build.
//!
//! Each build step makes an image whose history is its parent's plus one entry. Copying the whole list at
//! every step made a 2,000-instruction Dockerfile hold two million entries (about a gigabyte); instead a
//! history is a persistent list: a new image points at its parent's entries and adds one node, so the
//! images of a build share every entry they have in common, and cloning a history is one reference count.

use super::image::HistoryEntry;
use std::fmt;
use std::sync::Arc;

/// The entries of an image's history, oldest first; cloning and [`History::push`] cost O(1).
#[derive(Clone, Default)]
pub struct History {
    last: Option<Arc<Node>>,
    len: usize,
}

struct Node {
    entry: HistoryEntry,
    prev: Option<Arc<Node>>,
}

impl History {
    /// An empty history.
    pub fn new() -> History {
        History::default()
    }

    /// Adds an entry after the others (earlier holders of the same list do not see it).
    pub fn push(&mut self, entry: HistoryEntry) {
        let prev = self.last.take();
        self.last = Some(Arc::new(Node { entry, prev }));
        self.len += 1;
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// No entries?
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The newest entry.
    pub fn last(&self) -> Option<&HistoryEntry> {
        self.last.as_deref().map(|n| &n.entry)
    }

    /// The entries, oldest first (reversible: `docker history` lists newest first).
    pub fn iter(&self) -> std::iter::Rev<std::vec::IntoIter<&HistoryEntry>> {
        let mut newest_first = Vec::with_capacity(self.len);
        let mut cur = self.last.as_deref();
        while let Some(node) = cur {
            newest_first.push(&node.entry);
            cur = node.prev.as_deref();
        }
        newest_first.into_iter().rev()
    }
}

impl Drop for History {
    /// Unlinks node by node: dropping a long list recursively could overflow the stack.
    fn drop(&mut self) {
        let mut cur = self.last.take();
        while let Some(node) = cur {
            match Arc::try_unwrap(node) {
                Ok(mut n) => cur = n.prev.take(),
                Err(_) => break,
            }
        }
    }
}

impl From<Vec<HistoryEntry>> for History {
    fn from(entries: Vec<HistoryEntry>) -> History {
        entries.into_iter().collect()
    }
}

impl FromIterator<HistoryEntry> for History {
    fn from_iter<I: IntoIterator<Item = HistoryEntry>>(entries: I) -> History {
        let mut h = History::new();
        for e in entries {
            h.push(e);
        }
        h
    }
}

impl PartialEq for History {
    fn eq(&self, other: &History) -> bool {
        let same_list = match (&self.last, &other.last) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        same_list || (self.len == other.len && self.iter().eq(other.iter()))
    }
}

impl Eq for History {}

impl fmt::Debug for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u64) -> HistoryEntry {
        HistoryEntry {
            created: n,
            created_by: format!("step {n}"),
            empty_layer: true,
            comment: String::new(),
            size: 0,
        }
    }

    #[test]
    fn a_child_shares_its_parents_entries_and_adds_its_own() {
        let parent: History = (0..3).map(entry).collect();
        let mut child = parent.clone();
        child.push(entry(3));
        assert_eq!(parent.len(), 3);
        assert_eq!(child.len(), 4);
        let created: Vec<u64> = child.iter().map(|e| e.created).collect();
        assert_eq!(created, vec![0, 1, 2, 3]);
        assert_eq!(child.iter().next_back().map(|e| e.created), Some(3));
        assert_ne!(parent, child);
        assert_eq!(parent, (0..3).map(entry).collect::<History>());
    }

    #[test]
    fn a_long_history_drops_without_recursion() {
        let mut h = History::new();
        for n in 0..200_000 {
            h.push(entry(n));
        }
        drop(h);
    }
}
