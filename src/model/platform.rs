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
    /// A lone word that is neither an OS nor an architecture containerd knows (`nonsense`).
    #[error("{0:?}: unknown operating system or architecture: invalid argument")]
    Unknown(String),
    /// A component with other characters than letters, digits, `_` and `-` (`linux/amd64,linux/arm64`).
    #[error(
        "{component:?} is an invalid component of {specifier:?}: platform specifier component must match \"^[A-Za-z0-9_-]+$\": invalid argument"
    )]
    InvalidComponent {
        component: String,
        specifier: String,
    },
    /// More than `os/arch/variant`.
    #[error("{0:?}: cannot parse platform specifier: invalid argument")]
    Unparsable(String),
}

/// Operating systems containerd knows (a lone `linux` is that OS on the default architecture).
const OSES: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "illumos",
    "ios",
    "js",
    "linux",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
];

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

    /// Parses `os/arch[/variant]` (or a bare OS or architecture) as containerd's `platforms.Parse` does: every
    /// component must be a word; an `os/arch` pair is taken as written (known or not), a lone word must be a
    /// known OS or architecture.
    pub fn parse(text: &str) -> Result<Platform, PlatformError> {
        let parts: Vec<&str> = text.split('/').collect();
        for part in &parts {
            let word = !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !word {
                return Err(PlatformError::InvalidComponent {
                    component: part.to_string(),
                    specifier: text.to_string(),
                });
            }
        }
        let (os, arch, variant) = match parts.as_slice() {
            [one] => {
                let lower = one.to_lowercase();
                if OSES.contains(&lower.as_str()) {
                    return Ok(Platform {
                        os: lower,
                        ..Platform::amd64()
                    });
                }
                let (arch, variant) = normalize_arch(&lower, None);
                if !ARCHITECTURES.contains(&arch.as_str()) {
                    return Err(PlatformError::Unknown(text.to_string()));
                }
                return Ok(Platform {
                    os: "linux".into(),
                    architecture: arch,
                    variant,
                });
            }
            [os, arch] => (*os, *arch, None),
            [os, arch, variant] => (*os, *arch, Some(*variant)),
            _ => return Err(PlatformError::Unparsable(text.to_string())),
        };
        let (architecture, variant) = normalize_arch(&arch.to_lowercase(), variant);
        Ok(Platform {
            os: match os.to_lowercase().as_str() {
                "macos" => "darwin".to_string(),
                o => o.to_string(),
            },
            architecture,
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

    /// The kernel's name for the CPU (`uname -m`, `docker info`'s Architecture).
    pub fn kernel_arch(&self) -> &'static str {
        match self.architecture.as_str() {
            "amd64" => "x86_64",
            "arm64" => "aarch64",
            "arm" => "armv7l",
            "386" => "i686",
            "ppc64le" => "ppc64le",
            "s390x" => "s390x",
            "riscv64" => "riscv64",
            _ => "unknown",
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

/// containerd's `normalizeArch`: common aliases, and arm64's `v8` and arm's `v7` dropped as the defaults.
fn normalize_arch(arch: &str, variant: Option<&str>) -> (String, Option<String>) {
    let variant = variant.map(str::to_lowercase);
    match (arch, variant.as_deref()) {
        ("x86_64" | "x86-64" | "amd64", _) => ("amd64".into(), variant),
        ("aarch64" | "arm64", None | Some("8" | "v8" | "v8.0")) => ("arm64".into(), None),
        ("aarch64" | "arm64", _) => ("arm64".into(), variant),
        ("armhf" | "arm", None | Some("7" | "v7")) => ("arm".into(), None),
        ("armel", _) => ("arm".into(), Some("v6".into())),
        ("i386" | "x86", _) => ("386".into(), variant),
        (a, _) => (a.to_string(), variant),
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
        // An os/arch pair is taken as written (the oracle: `pull --platform linux/sparc` is accepted).
        assert_eq!(
            Platform::parse("linux/sparc").map(|p| p.to_string()),
            Ok("linux/sparc".into())
        );
        assert_eq!(
            Platform::parse("nonsense"),
            Err(PlatformError::Unknown("nonsense".into()))
        );
        assert_eq!(
            Platform::parse("linux/amd64,linux/arm64").map_err(|e| e.to_string()),
            Err("\"amd64,linux\" is an invalid component of \"linux/amd64,linux/arm64\": platform specifier component must match \"^[A-Za-z0-9_-]+$\": invalid argument".into())
        );
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
