//! The world: machines, registries and the clock. It is plain data, cloned for quiz options and for every
//! undo step. Every store is a persistent map (`imbl`): a clone shares all of its structure and costs a few
//! pointer copies whatever the world's size, and a change afterwards copies only the path to what it changes.
//! Images and containers sit behind `Arc`, so even that path copies pointers, not layers or logs.

use crate::clock::WORLD_EPOCH;
use crate::model::hub::docker_hub;
use crate::model::image::{FileBytes, Files};
use crate::model::machine::{Machine, MachineName};
use crate::model::registry::Registry;
use crate::remote::api::RemoteHandle;
use imbl::{OrdMap, OrdSet};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// The machine lines without a `HOST$ ` prefix run on.
pub const DEFAULT_MACHINE: &str = "default";

/// Everything that exists.
#[derive(Clone, Debug)]
pub struct World {
    pub now: u64,
    /// Each machine behind its own `Arc`: the first change after a clone (an undo step, a scenario's
    /// start) copies the map's path to it, and a node of the path then copies pointers, not whole machines.
    pub machines: OrdMap<MachineName, Arc<Machine>>,
    /// Registries reachable by name from every machine (`docker.io`, `registry.example.com`).
    pub registries: OrdMap<String, Registry>,
    /// Processes that end by themselves: (time, machine, container), the machine's name shared with it
    /// and the container named by its ID's key.
    pub timers: OrdSet<(u64, MachineName, crate::model::container::IdKey)>,
    /// Files every new machine starts with in its working folder.
    pub starter_files: Arc<crate::model::folder::Folder>,
    /// Real registries by `host:port`, reached over HTTP (installed by the front end with `--registry URL`;
    /// empty by default, so the default world needs no network). A host here shadows a simulated one.
    pub remotes: BTreeMap<String, RemoteHandle>,
}

/// The sample app every machine's working folder holds, so `docker build -t myimage .` works at once.
pub const SAMPLE_DOCKERFILE: &str = "FROM node:22-alpine\nWORKDIR /app\nCOPY package.json .\nRUN npm install\nCOPY . .\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n";
/// The sample app's package manifest.
pub const SAMPLE_PACKAGE_JSON: &str = "{\n  \"name\": \"hello-docker\",\n  \"version\": \"1.0.0\",\n  \"main\": \"server.js\",\n  \"scripts\": { \"start\": \"node server.js\" },\n  \"dependencies\": {}\n}\n";
/// The sample app's server: it prints a banner, which is how a learner sees which version a container runs.
pub const SAMPLE_SERVER_JS: &str = "const http = require(\"http\");\nconst port = 3000;\nhttp.createServer((req, res) => res.end(\"Hello from version 1\\n\")).listen(port);\nconsole.log(\"Server version 1 listening on port 3000\");\n";

fn sample_files() -> Files {
    let mut f = Files::new();
    f.insert(
        "Dockerfile".into(),
        FileBytes::from(SAMPLE_DOCKERFILE.as_bytes()),
    );
    f.insert(
        "package.json".into(),
        FileBytes::from(SAMPLE_PACKAGE_JSON.as_bytes()),
    );
    f.insert(
        "server.js".into(),
        FileBytes::from(SAMPLE_SERVER_JS.as_bytes()),
    );
    f
}

impl Default for World {
    fn default() -> World {
        World::new()
    }
}

impl World {
    /// The default world: Docker Hub with the official images and the learner accounts, and one machine.
    pub fn new() -> World {
        static TEMPLATE: OnceLock<World> = OnceLock::new();
        TEMPLATE
            .get_or_init(|| {
                let mut registries = OrdMap::new();
                registries.insert("docker.io".to_string(), docker_hub());
                let mut w = World {
                    now: WORLD_EPOCH,
                    machines: OrdMap::new(),
                    registries,
                    timers: OrdSet::new(),
                    starter_files: Arc::new(sample_files().into()),
                    remotes: BTreeMap::new(),
                };
                w.machine(DEFAULT_MACHINE);
                w
            })
            .clone()
    }

    /// Makes references to the registry at `url` (its `host:port`) go to that real registry; returns the
    /// host.
    pub fn add_remote(&mut self, url: &str) -> Result<String, crate::remote::client::ClientError> {
        let handle = RemoteHandle::connect(url)?;
        let host = handle.host();
        self.remotes.insert(host.clone(), handle);
        Ok(host)
    }

    /// The machine called `name`, if the world has it (reading never creates one).
    pub fn get_machine(&self, name: &str) -> Option<&Machine> {
        self.machines.get(name).map(|m| &**m)
    }

    /// The machine called `name`, created with the starter files on first use.
    pub fn machine(&mut self, name: &str) -> &mut Machine {
        if !self.machines.contains_key(name) {
            let mut m = Machine::new(name);
            m.files = (*self.starter_files).clone();
            self.machines.insert(m.name.clone(), Arc::new(m));
        }
        self.machines
            .get_mut(name)
            .map(Arc::make_mut)
            .unwrap_or_else(|| unreachable!("machine inserted above"))
    }

    /// Whether a line may run on `name`: an existing machine always; a new one only while the world holds
    /// fewer than [`crate::limits::MAX_MACHINES`] (a script of a million `HOSTn$` lines must not build a
    /// million machines).
    pub fn admit(&self, name: &str) -> Result<(), crate::limits::LimitExceeded> {
        if self.machines.len() < crate::limits::MAX_MACHINES || self.machines.contains_key(name) {
            Ok(())
        } else {
            Err(crate::limits::LimitExceeded::Machines {
                host: name.to_string(),
            })
        }
    }

    /// A fresh ID on `machine` as text (anonymous volumes, networks): see [`World::new_shared_id`].
    pub fn new_container_id(&mut self, machine: &str) -> String {
        self.new_shared_id(machine).to_string()
    }

    /// A fresh container ID on `machine`, as the store shares it: 64 hex digits whose 12-digit prefix is
    /// never all digits, and whose first 16 (its [`crate::model::container::IdKey`]) no container holds.
    pub fn new_shared_id(&mut self, machine: &str) -> crate::model::container::ContainerId {
        let m = self.machine(machine);
        loop {
            m.counter += 1;
            // A seeded generator, like Docker's random IDs but repeatable: 256 bits from splitmix64.
            let mut state = super::fnv1a(&m.name) ^ m.counter.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let mut id = [0u8; 64];
            for word in id.chunks_exact_mut(16) {
                state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^= z >> 31;
                for (i, d) in word.iter_mut().enumerate() {
                    *d = b"0123456789abcdef"[((z >> (60 - 4 * i)) & 0xf) as usize];
                }
            }
            // Only hex digits were written.
            let id = std::str::from_utf8(&id).unwrap_or_default();
            if !id.as_bytes()[..12].iter().all(u8::is_ascii_digit) && !m.containers.key_taken(id) {
                return id.into();
            }
        }
    }

    /// A Docker-style name not yet used on `machine` (`adjective_surname`, a digit appended on collision).
    pub fn new_container_name(&mut self, machine: &str) -> String {
        let m = self.machine(machine);
        m.counter += 1;
        let seed = m.counter ^ super::fnv1a(machine);
        for retry in 0..6 {
            let name = crate::names::generate(seed, retry);
            if !m.containers.name_taken(&name) {
                return name;
            }
        }
        format!("{}_{}", crate::names::generate(seed, 0), m.counter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_ids_are_64_hex_and_deterministic() {
        let mut a = World::new();
        let mut b = World::new();
        let ia = a.new_container_id("default");
        assert_eq!(ia.len(), 64);
        assert!(
            ia.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(ia, b.new_container_id("default"));
        assert_ne!(ia, a.new_container_id("default"));
        assert_eq!(&*World::new().new_shared_id("default"), ia);
    }

    #[test]
    fn machines_start_with_the_sample_app() {
        let mut w = World::new();
        assert!(w.machine("laptop").files.contains_key("Dockerfile"));
        assert!(w.machine("laptop").images.images.is_empty());
    }
}
