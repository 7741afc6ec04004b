//! Content addresses. Everything Docker identifies by content (image IDs, layer diff IDs, blob and manifest
//! digests) is a real sha256 here, so identical input gives identical IDs on every machine: that is both the
//! build cache and what makes a pulled image the same image everywhere.

use serde::{Serialize, Serializer};
use sha2::{Digest as _, Sha256};
use std::fmt;
use std::sync::Arc;

/// A `sha256:<64 hex>` content address. Shared text: every index that names an image or a layer (each
/// tag, each container, each set of users) holds one thin pointer to one copy, not a copy of its own.
/// Always 71 ASCII bytes (only [`Digest::of`] and [`Digest::parse`] make one), so its order is its text's.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Digest(Arc<[u8; LEN]>);

/// `sha256:` and 64 hex digits.
const LEN: usize = 71;

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Digest").field(&self.as_str()).finish()
    }
}

/// A digest is already uniformly distributed: hashing 8 of its bytes is as good as hashing all 71, and
/// digests are the keys of every index (layers, blobs, images), so this keeps each lookup cheap.
impl std::hash::Hash for Digest {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let b = &self.0[..];
        match b.get(7..15) {
            Some(head) => state.write(head),
            None => state.write(b),
        }
    }
}

impl Digest {
    /// The sha256 of `bytes`.
    pub fn of(bytes: &[u8]) -> Digest {
        let sum = Sha256::digest(bytes);
        let mut s = [0u8; LEN];
        s[..7].copy_from_slice(b"sha256:");
        for (i, b) in sum.iter().enumerate() {
            s[7 + 2 * i] = HEX[(b >> 4) as usize];
            s[8 + 2 * i] = HEX[(b & 0xf) as usize];
        }
        Digest(Arc::new(s))
    }

    /// The sha256 of several parts, each length-prefixed so that ("ab","c") and ("a","bc") differ.
    pub fn of_parts(parts: &[&[u8]]) -> Digest {
        let mut buf = Vec::new();
        for p in parts {
            buf.extend_from_slice(&(p.len() as u64).to_le_bytes());
            buf.extend_from_slice(p);
        }
        Digest::of(&buf)
    }

    /// Accepts `sha256:<64 lowercase hex>` only.
    pub fn parse(s: &str) -> Option<Digest> {
        let hex = s.strip_prefix("sha256:")?;
        if !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return None;
        }
        // 71 bytes in all, or no digest.
        Some(Digest(Arc::new(s.as_bytes().try_into().ok()?)))
    }

    /// The full `sha256:...` form.
    pub fn as_str(&self) -> &str {
        // Always ASCII (see the type), so this never falls back.
        std::str::from_utf8(&self.0[..]).unwrap_or_default()
    }

    /// The 64 hex digits.
    pub fn hex(&self) -> &str {
        std::str::from_utf8(&self.0[7..]).unwrap_or_default()
    }

    /// The 12-hex short form Docker prints (`stringid.TruncateID`): only those bytes are read.
    pub fn short(&self) -> &str {
        std::str::from_utf8(&self.0[7..19]).unwrap_or_default()
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Lowercase hex of arbitrary bytes (container IDs).
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 0xf) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_empty_is_the_well_known_value() {
        assert_eq!(
            Digest::of(b"").as_str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn short_is_twelve_hex() {
        let d = Digest::of(b"x");
        assert_eq!(d.short().len(), 12);
        assert!(d.hex().starts_with(d.short()));
    }

    #[test]
    fn parts_are_unambiguous() {
        assert_ne!(
            Digest::of_parts(&[b"ab", b"c"]),
            Digest::of_parts(&[b"a", b"bc"])
        );
    }

    #[test]
    fn a_digest_orders_prints_and_debugs_as_its_text() {
        let (a, b) = (Digest::of(b"a"), Digest::of(b"b"));
        assert_eq!(a.cmp(&b), a.as_str().cmp(b.as_str()));
        assert_eq!(format!("{a:?}"), format!("Digest({:?})", a.as_str()));
        assert_eq!(Digest::parse(a.as_str()), Some(a.clone()));
        assert_eq!(a.to_string().len(), 71);
    }

    #[test]
    fn parse_rejects_short_and_uppercase() {
        assert!(Digest::parse("sha256:abc").is_none());
        assert!(Digest::parse(&format!("sha256:{}", "A".repeat(64))).is_none());
        assert!(Digest::parse(&format!("sha256:{}", "a".repeat(64))).is_some());
    }
}
