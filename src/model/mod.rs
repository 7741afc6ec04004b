//! The world's data: images, containers, machines and registries. The rules that change them live in
//! `engine`; this module keeps the data and its indexes consistent.

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
