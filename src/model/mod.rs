//! The world's data: images, containers, machines and registries. The rules that change them live in
//! `engine`; this module keeps the data and its indexes consistent.

/// A name or ID many indexes point to: a newtype over one shared, thin pointer (an `Arc<str>` would be two
/// words in every index entry) to a boxed `str` (exactly its bytes: a 32-byte shared part where a `String`
/// would make it 40). Ordered, hashed, borrowed and printed as its text, so the indexes are asked with a
/// `&str`. One definition for every such type, so they cannot drift apart.
macro_rules! shared_text {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(std::sync::Arc<Box<str>>);

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                $name(std::sync::Arc::new(text.into()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// FNV-1a over `text`: a fixed, fast hash of short text (a machine's name seeding its IDs, a container's name
/// in the name index), the same in every run.
pub(crate) fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

pub mod builder;
pub mod container;
pub mod folder;
pub mod history;
pub mod hub;
pub mod image;
pub mod machine;
pub mod manifest_list;
pub mod objects;
pub mod persistent;
pub mod platform;
pub mod process;
pub mod registry;
pub mod tarball;
pub mod users;
pub mod world;
