//! Containers: a writable instance of one image on one machine. Containers are never shared: another
//! machine only ever sees images that went through a registry.

use crate::digest::Digest;
use crate::model::registry::Registry;
use serde::Serialize;

/// Which stream a line of process output went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One line a container's process wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub stream: Stream,
    pub text: String,
}

/// What the main process does when asked to stop with SIGTERM.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnTerm {
    /// Exits by itself with this code (nginx, redis: graceful shutdown).
    Exit(i32),
    /// Ignores it, as any program without a handler does as PID 1 (`sleep`, `node`): killed after the timeout.
    Ignore,
}

/// The container life cycle as `inspect .State.Status` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    Created,
    Running {
        started: u64,
        /// When the process ends by itself (`sleep 5`), if ever.
        ends_at: Option<u64>,
        /// Exit code it ends with at `ends_at`.
        end_code: i32,
        on_term: OnTerm,
    },
    Paused {
        started: u64,
    },
    Exited {
        code: i32,
        started: u64,
        finished: u64,
    },
}

/// A published port (`-p 8080:80`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PortBinding {
    /// The address bound: as given, or `0.0.0.0` (with `[::]` beside it) when none was.
    pub host_ip: String,
    /// The port bound (an ephemeral one when none, `0` or a range was given).
    pub host_port: u16,
    pub container_port: u16,
    pub proto: String,
    /// The host address as typed (`""` when none): `HostConfig.PortBindings` keeps it.
    pub spec_ip: String,
    /// The host port as typed (`""`, `"0"`, `"8000"`, `"8000-8001"`).
    pub spec_port: String,
}

shared_text! {
    /// A container's ID (64 hex digits) as the container keeps it: one shared copy that what reports the
    /// container points to; the store's indexes name it by its [`IdKey`].
    ContainerId
}

impl ContainerId {
    /// How many pointers to this copy there are (a test counts who holds it).
    #[cfg(test)]
    pub fn copies(&self) -> usize {
        std::sync::Arc::strong_count(&self.0)
    }
}

/// The first 16 of a container ID's 64 hex digits, as a number: what the store's indexes key a container
/// by. A number is copied with a node of a persistent map and compared where it lies, where a shared ID is
/// a pointer to follow and a count to change — in a large world, memory the command would not otherwise
/// touch, on every node the first change after a clone (an undo step) copies. Ordered as the IDs are, so
/// the indexes list containers in ID order. The store never holds two IDs with one key:
/// [`crate::model::world::World::new_shared_id`] draws again on that (2^-64) chance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdKey(u64);

impl IdKey {
    /// The key of an ID (or of an ID prefix of at least 16 digits); `None` when its first 16 characters
    /// are not lowercase hex digits, which no container ID is.
    pub fn of(id: &str) -> Option<IdKey> {
        let (high, low) = words(id)?;
        Some(IdKey(hex8(high)? << 32 | hex8(low)?))
    }

    /// The key to look an ID up by: [`IdKey::of`]'s for an ID, some key for anything else of 16 bytes or
    /// more, without checking the digits — the lookup compares the whole ID with what it finds, and a
    /// stored ID is hex. Half the work of `of`, and lookups are most of a container command's keys.
    pub fn to_find(id: &str) -> Option<IdKey> {
        let (high, low) = words(id)?;
        Some(IdKey(pack8(high) << 32 | pack8(low)))
    }

    /// The keys of the IDs that start with `prefix` (1 to 16 lowercase hex digits), first and last: the
    /// prefix padded with `0`s, and with the free digits all `f`.
    pub fn prefix_range(prefix: &str) -> Option<(IdKey, IdKey)> {
        if prefix.is_empty() || prefix.len() > 16 {
            return None;
        }
        let mut padded = *b"0000000000000000";
        padded[..prefix.len()].copy_from_slice(prefix.as_bytes());
        let low = IdKey::of(std::str::from_utf8(&padded).ok()?)?.0;
        let free = 4 * (16 - prefix.len() as u32);
        let high = low | 1u64.checked_shl(free).map_or(u64::MAX, |b| b - 1);
        Some((IdKey(low), IdKey(high)))
    }
}

/// The first 16 bytes of `id` as two big-endian words.
fn words(id: &str) -> Option<(u64, u64)> {
    let (high, low) = id.as_bytes().get(..16)?.split_at(8);
    let word = |b: &[u8]| <[u8; 8]>::try_from(b).map_or(0, u64::from_be_bytes);
    Some((word(high), word(low)))
}

/// The value of eight lowercase hex digits read as one big-endian word, all eight bytes at once (this runs
/// several times per container command): each byte is checked to be `0-9` or `a-f`, turned into its
/// digit's value, and the eight nibbles packed into 32 bits.
fn hex8(x: u64) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES << 7;
    if x & HIGH != 0 {
        return None;
    }
    // With every byte below 0x80, adding 0x80 - n sets a byte's high bit exactly when the byte is >= n.
    let at_least = |n: u64| (x + (0x80 - n) * ONES) & HIGH;
    let digit = at_least(0x30) & !at_least(0x3a);
    let letter = at_least(0x61) & !at_least(0x67);
    (digit | letter == HIGH).then(|| pack8(x))
}

/// Eight hex digits' values packed into 32 bits, the first digit highest. '0'-'9' are 0x30-0x39 and 'a'-'f'
/// are 0x61-0x66: a digit's value is its low nibble, plus 9 where bit 6 (a letter's) is set.
fn pack8(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let v = (x & (0x0f * ONES)) + ((x >> 6) & ONES) * 9;
    let v = (v | v >> 4) & 0x00ff_00ff_00ff_00ff;
    let v = (v | v >> 8) & 0x0000_ffff_0000_ffff;
    (v | v >> 16) & 0xffff_ffff
}

#[cfg(test)]
mod id_key_tests {
    use super::IdKey;

    /// The word-at-a-time parse agrees with a digit-by-digit one for every byte at every position.
    #[test]
    fn a_key_is_the_value_of_the_first_sixteen_digits_and_nothing_else_parses() {
        for position in 0..16 {
            for byte in 0..=255u8 {
                let mut id = *b"0123456789abcdef0123";
                id[position] = byte;
                let naive = id[..16].iter().try_fold(0u64, |k, &d| {
                    let v = (d as char)
                        .to_digit(16)
                        .filter(|_| !d.is_ascii_uppercase())?;
                    Some(k << 4 | u64::from(v))
                });
                let text = String::from_utf8_lossy(&id).into_owned();
                let parsed = IdKey::of(&text).map(|k| k.0);
                if parsed.is_some() {
                    assert_eq!(
                        IdKey::to_find(&text),
                        IdKey::of(&text),
                        "a lookup finds an ID by its key"
                    );
                }
                if byte.is_ascii() {
                    assert_eq!(parsed, naive, "byte {byte:#x} at {position}");
                } else {
                    assert_eq!(parsed, None, "byte {byte:#x} at {position}");
                }
            }
        }
    }

    #[test]
    fn keys_order_as_the_ids_do_and_a_prefix_names_its_keys() {
        let ids = [
            "0f00000000000000aa",
            "a000000000000000",
            "a00000000000000f77",
            "ff",
        ];
        let keys: Vec<_> = ids.iter().map(|i| IdKey::of(i)).collect();
        assert_eq!(keys[3], None, "shorter than a key");
        assert!(keys[0] < keys[1] && keys[1] < keys[2]);
        assert_eq!(IdKey::of("A000000000000000"), None, "IDs are lowercase");
        assert_eq!(IdKey::of("g000000000000000"), None);

        let Some((low, high)) = IdKey::prefix_range("a0") else {
            panic!("a0 is a prefix");
        };
        assert_eq!(Some(low), IdKey::of("a000000000000000"));
        assert_eq!(Some(high), IdKey::of("a0ffffffffffffff"));
        let Some((low, high)) = IdKey::prefix_range("f") else {
            panic!("f is a prefix");
        };
        assert_eq!(
            (Some(low), Some(high)),
            (IdKey::of("f000000000000000"), IdKey::of("ffffffffffffffff"))
        );
        let whole = IdKey::prefix_range("0123456789abcdef");
        assert_eq!(whole.map(|r| r.0), IdKey::of("0123456789abcdef"));
        assert_eq!(whole.map(|r| r.1), IdKey::of("0123456789abcdef"));
        assert_eq!(IdKey::prefix_range(""), None);
        assert_eq!(
            IdKey::prefix_range("0123456789abcdef0"),
            None,
            "longer than a key"
        );
        assert_eq!(IdKey::prefix_range("web"), None, "not hex");
    }
}

/// The process a container runs: `Path` and `Args` (one shared part rather than two, which keeps the
/// container small).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cmdline {
    pub path: Box<str>,
    pub args: Box<[String]>,
}

impl Cmdline {
    /// The program (`Path`, empty when there is none) and its arguments.
    pub fn from_argv(argv: &[String]) -> Cmdline {
        Cmdline {
            path: argv.first().map_or("", String::as_str).into(),
            args: argv.get(1..).unwrap_or_default().into(),
        }
    }

    /// Is this the command line `argv` (as [`Cmdline::from_argv`] would make it)?
    pub fn is_argv(&self, argv: &[String]) -> bool {
        match argv.split_first() {
            Some((path, args)) => *self.path == **path && *self.args == *args,
            None => self.path.is_empty() && self.args.is_empty(),
        }
    }
}

/// One container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    /// 64 hex digits.
    pub id: ContainerId,
    /// Without the leading slash (shared with the store's name index).
    pub name: std::sync::Arc<str>,
    pub image: Digest,
    /// The image itself: a container keeps its image's content even if the image is deleted (`rmi -f`).
    pub image_data: std::sync::Arc<crate::model::image::Image>,
    /// The image reference as typed at create time (`ps` shows it until it drifts). Shared: the store
    /// gives containers created with the same words one copy ([`ContainerStore::insert`](super::machine::ContainerStore::insert)).
    pub image_ref: std::sync::Arc<crate::reference::ImageArg>,
    /// `Path` and `Args`: shared like `image_ref` with a recent container's when equal.
    pub cmdline: std::sync::Arc<Cmdline>,
    pub created: u64,
    pub state: State,
    pub auto_remove: bool,
    pub interactive: bool,
    pub tty: bool,
    pub logs: Vec<LogLine>,
    /// A `registry` container serves a registry from its own storage (no volume: gone with the container).
    pub registry: Option<Box<Registry>>,
    /// Its creation sequence number on its machine (`ps` lists by it), set by the store when it is added.
    pub seq: u64,
    /// Its endpoints by network name: the default bridge's while it runs, and those `docker network
    /// connect` or `--network` gave it. Inline, since every running container has one.
    pub networks: crate::model::objects::Endpoints,
    /// Settings and records that few containers have (see [`Rare`]); read through the accessors below.
    pub rare: Rare,
}

/// What a container rarely has: published ports, labels, `-u`, `-h`, `--network`, `-e`, mount points, a
/// failed start. Kept behind one pointer that stays empty while every field is at its default, so the
/// 100,000 containers of a long script do not each carry some 200 bytes of empty fields inline.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RareFields {
    pub ports: Vec<PortBinding>,
    /// `Config.Labels`: the image's labels with `--label` values over them (what `ps -f label=` reads).
    pub labels: std::collections::BTreeMap<String, String>,
    /// `run -u`, if given (else the image's `USER`).
    pub user: Option<String>,
    /// `run -h, --hostname`, if given (else the short container ID).
    pub hostname: Option<String>,
    /// `run --network NAME`, if given: looked up when the container starts, as the daemon does.
    pub network: Option<String>,
    /// `Config.Env` when `-e` changed the image's: `None` is the image's own environment, read through
    /// `image_data` rather than copied into every container ([`Container::env`]).
    pub env_given: Option<Box<[String]>>,
    /// Mount points in the order given on the command line (image `VOLUME`s after them).
    pub mounts: Vec<crate::model::objects::MountPoint>,
    /// Disconnected from the network it was created on (`bridge` or `--network`).
    pub left_primary: bool,
    /// An exit code recorded by a failed start (127 for a missing executable).
    pub start_error: Option<(i32, crate::docker_error::DockerError)>,
}

impl RareFields {
    /// Every field at its default (field by field: cheaper than comparing with [`RareFields::default`]).
    fn is_default(&self) -> bool {
        let RareFields {
            ports,
            labels,
            user,
            hostname,
            network,
            env_given,
            mounts,
            left_primary,
            start_error,
        } = self;
        ports.is_empty()
            && labels.is_empty()
            && user.is_none()
            && hostname.is_none()
            && network.is_none()
            && env_given.is_none()
            && mounts.is_empty()
            && !left_primary
            && start_error.is_none()
    }
}

/// Every field at its default: what a container without [`RareFields`] reads.
static NO_RARE_FIELDS: RareFields = RareFields {
    ports: Vec::new(),
    labels: std::collections::BTreeMap::new(),
    user: None,
    hostname: None,
    network: None,
    env_given: None,
    mounts: Vec::new(),
    left_primary: false,
    start_error: None,
};

/// A container's [`RareFields`]: no allocation while all are at their defaults. Equal when the fields are
/// (an empty box equals none), so it never shows in a comparison of containers.
#[derive(Clone, Default)]
pub struct Rare(Option<Box<RareFields>>);

impl Rare {
    /// Holds `fields`, allocating only when one differs from its default.
    pub fn new(fields: RareFields) -> Rare {
        if fields.is_default() {
            Rare(None)
        } else {
            Rare(Some(Box::new(fields)))
        }
    }

    /// The fields (the defaults when none was set).
    pub fn get(&self) -> &RareFields {
        self.0.as_deref().unwrap_or(&NO_RARE_FIELDS)
    }

    /// The fields, to change (allocated on the first change).
    pub fn get_mut(&mut self) -> &mut RareFields {
        self.0.get_or_insert_with(Box::default)
    }
}

impl PartialEq for Rare {
    fn eq(&self, other: &Rare) -> bool {
        self.get() == other.get()
    }
}

impl Eq for Rare {}

impl std::fmt::Debug for Rare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl Container {
    /// `Config.Env`: the image's environment with `-e` values over it.
    pub fn env(&self) -> &[String] {
        self.env_given().unwrap_or(&self.image_data.config.env)
    }

    /// `Config.Env` when `-e` changed the image's.
    pub fn env_given(&self) -> Option<&[String]> {
        self.rare.get().env_given.as_deref()
    }

    /// The published ports (`-p`).
    pub fn ports(&self) -> &[PortBinding] {
        &self.rare.get().ports
    }

    /// `Config.Labels`: the image's labels with `--label` values over them.
    pub fn labels(&self) -> &std::collections::BTreeMap<String, String> {
        &self.rare.get().labels
    }

    /// `run -u`, if given.
    pub fn user(&self) -> Option<&str> {
        self.rare.get().user.as_deref()
    }

    /// `run -h`, if given ([`Container::host_name`] is the name its processes see).
    pub fn hostname(&self) -> Option<&str> {
        self.rare.get().hostname.as_deref()
    }

    /// `run --network`, if given.
    pub fn network(&self) -> Option<&str> {
        self.rare.get().network.as_deref()
    }

    /// Mount points, in the order given (image `VOLUME`s after them).
    pub fn mounts(&self) -> &[crate::model::objects::MountPoint] {
        &self.rare.get().mounts
    }

    /// Disconnected from the network it was created on.
    pub fn left_primary(&self) -> bool {
        self.rare.get().left_primary
    }

    /// The exit code and error of a failed start.
    pub fn start_error(&self) -> Option<&(i32, crate::docker_error::DockerError)> {
        self.rare.get().start_error.as_ref()
    }

    /// The full command line (`Path` + `Args`).
    pub fn argv(&self) -> Vec<String> {
        let Cmdline { path, args } = &*self.cmdline;
        let mut v = Vec::with_capacity(args.len() + 1);
        if !path.is_empty() {
            v.push(path.to_string());
        }
        v.extend(args.iter().cloned());
        v
    }

    /// `Path`: the program.
    pub fn path(&self) -> &str {
        &self.cmdline.path
    }

    /// `Args`: its arguments.
    pub fn args(&self) -> &[String] {
        &self.cmdline.args
    }

    /// 12-hex short ID.
    /// The host name its processes see: `-h` or the short ID.
    pub fn host_name(&self) -> &str {
        self.hostname().unwrap_or_else(|| self.short_id())
    }

    pub fn short_id(&self) -> &str {
        self.id.get(..12).unwrap_or(&self.id)
    }

    /// True while the process runs (paused counts as running for `ps`).
    pub fn is_running(&self) -> bool {
        matches!(self.state, State::Running { .. } | State::Paused { .. })
    }

    /// `inspect .State.Status`.
    pub fn status_word(&self) -> &'static str {
        match self.state {
            State::Created => "created",
            State::Running { .. } => "running",
            State::Paused { .. } => "paused",
            State::Exited { .. } => "exited",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The store keeps each container in an `Arc` (two counters more): at most 176 bytes inline makes it
    /// one 192-byte allocation, an allocator size class (it was 376 bytes, in a 448-byte class).
    #[test]
    fn a_container_fits_a_small_allocation() {
        let size = std::mem::size_of::<Container>();
        assert!(size <= 176, "Container is {size} bytes");
    }

    /// Rare fields at their defaults cost no allocation, and a box emptied again equals none.
    #[test]
    fn rare_fields_allocate_only_when_set() {
        assert!(Rare::new(RareFields::default()).0.is_none());
        let user = RareFields {
            user: Some("nobody".into()),
            ..RareFields::default()
        };
        let mut rare = Rare::new(user.clone());
        assert!(rare.0.is_some());
        assert_eq!(rare.get(), &user);
        assert_ne!(rare, Rare::default());
        rare.get_mut().user = None;
        assert!(rare.0.is_some());
        assert_eq!(rare, Rare::default(), "an emptied box equals none");
        let mut set = Rare::default();
        set.get_mut().left_primary = true;
        assert!(set.get().left_primary);
    }
}
