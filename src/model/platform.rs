//! CPU platforms (`linux/amd64`, `linux/arm64/v8`): what a machine's processor runs, what an image's binaries
//! were built for, and which member of a multi-platform index a pull takes.
//!
//! A machine runs only images of its own architecture: a foreign image's first `exec` fails inside the
//! container (the kernel refuses the binary), which is where "built on the laptop, fails on the server" shows.
//! Parsing follows containerd's `platforms.Parse`/`Normalize` (`aarch64` → `arm64`, `arm64` gets variant `v8`,
//! `x86_64` → `amd64`), so the words Docker prints about platforms can be formed from the value.

use std::fmt;

/// One platform: operating system, architecture and (for ARM) the variant.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    /// `v8` for arm64, `v7` for arm; none for amd64.
    pub variant: Option<String>,
}

impl Default for Platform {
    fn default() -> Self {
        Platform::amd64()
    }
}

/// Why a platform string is refused (containerd's `platforms.Parse` errors).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlatformError {
    /// `linux/sparc`, `beos/amd64`, `a/b/c/d`.
    #[error("{0:?}: unknown operating system or architecture: invalid argument")]
    Unknown(String),
}

const ARCHITECTURES: &[&str] = &[
    "amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "mips64le",
];

impl Platform {
    /// `linux/amd64`, the default machine's.
    pub fn amd64() -> Platform {
        Platform {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
        }
    }

    /// `linux/arm64/v8`: what an arm64 host detects (an Apple-silicon laptop, a Graviton server) and what
    /// the official arm64 images record.
    pub fn arm64() -> Platform {
        Platform {
            os: "linux".into(),
            architecture: "arm64".into(),
            variant: Some("v8".into()),
        }
    }

    /// Parses `os/arch[/variant]` (or a bare `arch`) the way containerd normalises it.
    pub fn parse(text: &str) -> Result<Platform, PlatformError> {
        let unknown = || PlatformError::Unknown(text.to_string());
        let parts: Vec<&str> = text.split('/').collect();
        let (os, arch, variant) = match parts.as_slice() {
            [arch] => ("linux", *arch, None),
            [os, arch] => (*os, *arch, None),
            [os, arch, variant] => (*os, *arch, Some(*variant)),
            _ => return Err(unknown()),
        };
        let os = os.to_lowercase();
        if os != "linux" {
            return Err(unknown());
        }
        // containerd's `normalizeArch`: arm64's `v8` and arm's `v7` are the defaults and are dropped.
        let (arch, variant) = match (arch.to_lowercase().as_str(), variant) {
            ("x86_64" | "x86-64" | "amd64", v) => ("amd64".to_string(), v.map(str::to_string)),
            ("aarch64" | "arm64", None | Some("8" | "v8" | "v8.0")) => ("arm64".to_string(), None),
            ("aarch64" | "arm64", Some(v)) => ("arm64".to_string(), Some(v.to_string())),
            ("armhf" | "arm", None | Some("7" | "v7")) => ("arm".to_string(), None),
            ("i386", v) => ("386".to_string(), v.map(str::to_string)),
            (a, v) if ARCHITECTURES.contains(&a) => (a.to_string(), v.map(str::to_string)),
            _ => return Err(unknown()),
        };
        Ok(Platform {
            os,
            architecture: arch,
            variant,
        })
    }

    /// Does an image of this platform run natively on `host`? (Same OS and architecture; an arm64/v8
    /// binary runs on any arm64.)
    pub fn runs_on(&self, host: &Platform) -> bool {
        self.os == host.os && self.architecture == host.architecture
    }

    /// Is this the member a pull for `wanted` takes? Architecture and OS must agree; a variant only when
    /// both name one.
    pub fn matches(&self, wanted: &Platform) -> bool {
        self.runs_on(wanted)
            && match (&self.variant, &wanted.variant) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }

    /// `linux/amd64`, `linux/arm64`: without the variant (what `--platform` usually says).
    pub fn short(&self) -> String {
        format!("{}/{}", self.os, self.architecture)
    }

    /// What the daemon on a machine of this platform detects for itself (containerd `DefaultSpec`): arm64
    /// hosts add their CPU variant `v8`.
    pub fn host_default(&self) -> Platform {
        match (self.architecture.as_str(), &self.variant) {
            ("arm64", None) => Platform::arm64(),
            _ => self.clone(),
        }
    }

    /// The host platform moby's create warning names (`maximumSpec`): the default spec, and on amd64 the
    /// CPU's micro-architecture level (`v3` for the AVX2 servers and laptops dockdrill's machines stand for).
    pub fn host_maximum(&self) -> Platform {
        match (self.architecture.as_str(), &self.variant) {
            ("amd64", None) => Platform {
                variant: Some("v3".into()),
                ..self.clone()
            },
            _ => self.host_default(),
        }
    }

    /// The value as `linux/arm64` when it is written without a variant (a scenario's field, `--platform`).
    pub fn arm64_plain() -> Platform {
        Platform {
            variant: None,
            ..Platform::arm64()
        }
    }
}

/// `linux/arm64/v8`: every part (containerd's `FormatAll`).
impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// The path the kernel was asked to execute for `program`: a path as given, or where the official images
/// keep it on `$PATH` (busybox and coreutils in `/bin`, language runtimes in `/usr/local/bin`).
pub fn resolved_path(program: &str) -> String {
    if program.contains('/') {
        return program.to_string();
    }
    const IN_BIN: &[&str] = &[
        "sh", "ash", "bash", "echo", "sleep", "true", "false", "cat", "ls", "env", "pwd", "date",
        "hostname", "uname", "whoami", "id", "ps", "printf", "touch", "mkdir", "rm", "grep", "cp",
        "mv",
    ];
    if IN_BIN.contains(&program) {
        format!("/bin/{program}")
    } else {
        format!("/usr/local/bin/{program}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_normalises_like_containerd() {
        assert_eq!(Platform::parse("linux/arm64"), Ok(Platform::arm64_plain()));
        assert_eq!(
            Platform::parse("linux/aarch64/v8"),
            Ok(Platform::arm64_plain())
        );
        assert_eq!(Platform::parse("linux/x86_64"), Ok(Platform::amd64()));
        assert_eq!(Platform::parse("arm64"), Ok(Platform::arm64_plain()));
        assert_eq!(
            Platform::parse("linux/arm").map(|p| p.to_string()),
            Ok("linux/arm".into())
        );
        assert_eq!(Platform::arm64_plain().host_default(), Platform::arm64());
        assert_eq!(
            Platform::amd64().host_maximum().to_string(),
            "linux/amd64/v3"
        );
        assert_eq!(
            Platform::parse("linux/sparc"),
            Err(PlatformError::Unknown("linux/sparc".into()))
        );
        assert!(Platform::parse("windows/amd64").is_err());
        assert!(Platform::parse("linux/amd64,linux/arm64").is_err());
    }

    #[test]
    fn formats_and_matching() {
        assert_eq!(Platform::arm64().to_string(), "linux/arm64/v8");
        assert_eq!(Platform::arm64().short(), "linux/arm64");
        assert_eq!(Platform::amd64().to_string(), "linux/amd64");
        assert!(Platform::arm64().runs_on(&Platform::arm64()));
        assert!(!Platform::arm64().runs_on(&Platform::amd64()));
        assert!(Platform::arm64_plain().matches(&Platform::arm64()));
        assert!(Platform::arm64().matches(&Platform::arm64_plain()));
    }

    #[test]
    fn exec_paths() {
        assert_eq!(resolved_path("sh"), "/bin/sh");
        assert_eq!(resolved_path("node"), "/usr/local/bin/node");
        assert_eq!(resolved_path("/app/run"), "/app/run");
    }
}
