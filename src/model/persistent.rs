//! What the persistent maps (`imbl`) lack beside `std`'s: `retain`. The world's stores are persistent so
//! that a clone (each undo step) shares their structure; this keeps the engine's code that filters a store
//! the same as it was with `BTreeMap`/`BTreeSet`.

use imbl::{OrdMap, OrdSet};

/// `retain` for the persistent maps and sets, as `BTreeMap::retain` and `BTreeSet::retain` do it: keeps
/// the entries `keep` says yes to. Only the entries removed are touched (the rest stays shared).
pub trait Retain<T: ?Sized> {
    /// Removes every entry `keep` rejects.
    fn retain<F>(&mut self, keep: F)
    where
        F: FnMut(&T) -> bool;
}

/// The key and value of a map entry, as `retain`'s closure sees them.
pub trait RetainMap<K, V> {
    /// Removes every entry `keep` rejects.
    fn retain<F>(&mut self, keep: F)
    where
        F: FnMut(&K, &V) -> bool;
}

impl<K: Ord + Clone, V: Clone> RetainMap<K, V> for OrdMap<K, V> {
    fn retain<F>(&mut self, mut keep: F)
    where
        F: FnMut(&K, &V) -> bool,
    {
        let gone: Vec<K> = self
            .iter()
            .filter(|(k, v)| !keep(k, v))
            .map(|(k, _)| k.clone())
            .collect();
        for k in gone {
            self.remove(&k);
        }
    }
}

impl<A: Ord + Clone> Retain<A> for OrdSet<A> {
    fn retain<F>(&mut self, mut keep: F)
    where
        F: FnMut(&A) -> bool,
    {
        let gone: Vec<A> = self.iter().filter(|a| !keep(a)).cloned().collect();
        for a in gone {
            self.remove(&a);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retain_keeps_what_the_closure_accepts_and_leaves_a_clone_alone() {
        let mut m: OrdMap<u32, &str> = (0..100u32).map(|i| (i, "x")).collect();
        let before = m.clone();
        m.retain(|k, _| k % 3 == 0);
        assert_eq!(
            m.keys().copied().collect::<Vec<_>>(),
            (0..100u32).step_by(3).collect::<Vec<_>>()
        );
        assert_eq!(before.len(), 100);
        let mut s: OrdSet<String> = ["a/b", "a/c", "b"].iter().map(|s| s.to_string()).collect();
        s.retain(|k| !k.starts_with("a/"));
        assert_eq!(s.iter().cloned().collect::<Vec<_>>(), ["b"]);
    }
}
