//! Real registries over the OCI distribution API.
//!
//! Everything else in dockdrill is simulated in memory; this module is the one place that speaks to a real
//! registry (the CNCF distribution registry a class runs, or any OCI one). It sits at the edge: the engine
//! sees a registry only through [`api::RegistryApi`], which the in-memory [`crate::model::registry::Registry`]
//! implements as well, and the answers it gets back (blob present, mounted, uploaded, manifest written) are
//! data the engine turns into Docker's lines. Every HTTP exchange is recorded as a [`api::WireCall`] so
//! `explain` can show the wire.
//!
//! - [`tarball`]: deterministic gzipped tar layers;
//! - [`oci`]: an [`crate::model::image::Image`] as an OCI manifest, config and layer blobs, and back;
//! - [`client`]: the blocking HTTP client (ping, HEAD, mount, upload, manifests, tags; Basic and Bearer
//!   auth; Docker's retries);
//! - [`api`]: the interface and its two implementations.

pub mod api;
pub mod client;
pub mod oci;
pub mod tarball;
