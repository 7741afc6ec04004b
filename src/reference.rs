//! Image references as the Docker CLI and daemon understand them.
//!
//! This follows `github.com/distribution/reference` v0.6.0 (`ParseNormalizedNamed`,
//! `splitDockerDomain`, `Parse`, `FamiliarString`) and `github.com/opencontainers/go-digest`
//! (digest validation), the versions vendored by Docker 28.2.2. The grammar is matched by hand
//! instead of with regular expressions so the module stays std-only and runs in linear time;
//! the order of the checks mirrors the Go code because the *first* failing check decides which
//! error text the learner sees.

use crate::digest::Digest;
use std::fmt;
use std::sync::Arc;

/// The registry a name without a domain belongs to.
const DEFAULT_DOMAIN: &str = "docker.io";
/// Older spelling of Docker Hub that the normaliser rewrites to [`DEFAULT_DOMAIN`].
const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
/// Namespace of Docker Hub's official images, added to single-component Hub names.
const OFFICIAL_REPO_PREFIX: &str = "library/";
/// Tag implied by `TagNameOnly` when a reference names neither tag nor digest.
const DEFAULT_TAG: &str = "latest";
/// `RepositoryNameTotalLengthMax`: limit on the path (domain excluded, `library/` included).
const NAME_TOTAL_LENGTH_MAX: usize = 255;
/// The tag grammar allows one leading word character plus up to 127 more.
const TAG_MAX: usize = 128;

/// A parsed, normalised image reference (`docker.io/library/node:20`).
///
/// The domain and path are one shared string, the repository name (`domain/path`, what every lookup keys
/// by), split at a stored length; the tag and digest are shared too, so a clone copies no text and a
/// [`TagRef`] is made without one. The domain is empty only in the corner case where the first component
/// is not a valid host name but the whole name is a valid path (e.g. `a_b.c/app`), which the Go parser
/// also accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// `domain/path` (or `path` alone when the domain is empty).
    repo: RepoName,
    /// The domain's length in `repo`.
    domain_len: usize,
    tag: Option<Arc<str>>,
    digest: Option<Arc<str>>,
}

/// Ordered by domain, then path, tag and digest (as the parts compare, not the joined name).
impl Ord for ImageRef {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.domain(), self.path(), self.tag(), self.digest()).cmp(&(
            other.domain(),
            other.path(),
            other.tag(),
            other.digest(),
        ))
    }
}

impl PartialOrd for ImageRef {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The shared text of [`DEFAULT_TAG`], so adding it allocates nothing.
fn default_tag_text() -> Arc<str> {
    static LATEST: std::sync::OnceLock<Arc<str>> = std::sync::OnceLock::new();
    LATEST.get_or_init(|| Arc::from(DEFAULT_TAG)).clone()
}

/// Why a reference was rejected; `Display` gives Docker's exact wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// `ErrReferenceInvalidFormat`.
    InvalidFormat,
    /// The normaliser's lowercase check, which names the normalised path.
    Uppercase { normalized: String },
    /// Bare `ErrNameContainsUppercase` from `Parse` (reachable e.g. with `Foo_bar/app`, whose
    /// first component is treated as a domain but is not a valid host name).
    NameContainsUppercase,
    /// A 64-hex string is refused as a name so that it can never shadow an image ID.
    HexRepository { name: String },
    /// Path longer than 255 characters.
    NameTooLong,
    /// go-digest `ErrDigestInvalidFormat` (e.g. upper-case hex in a sha256 digest).
    DigestInvalidFormat,
    /// go-digest `ErrDigestInvalidLength` (e.g. a sha256 digest with 40 hex characters).
    DigestInvalidLength,
    /// go-digest `ErrDigestUnsupported` (e.g. `md5:`).
    DigestUnsupported,
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefError::InvalidFormat => f.write_str("invalid reference format"),
            RefError::Uppercase { normalized } => write!(
                f,
                "invalid reference format: repository name ({normalized}) must be lowercase"
            ),
            RefError::NameContainsUppercase => f.write_str("repository name must be lowercase"),
            RefError::HexRepository { name } => write!(
                f,
                "invalid repository name ({name}), cannot specify 64-byte hexadecimal strings"
            ),
            RefError::NameTooLong => write!(
                f,
                "repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
            ),
            RefError::DigestInvalidFormat => f.write_str("invalid checksum digest format"),
            RefError::DigestInvalidLength => f.write_str("invalid checksum digest length"),
            RefError::DigestUnsupported => f.write_str("unsupported digest algorithm"),
        }
    }
}

impl std::error::Error for RefError {}

impl ImageRef {
    /// Parses like `ParseNormalizedNamed`: `node` -> `docker.io/library/node`, no default tag.
    ///
    /// A script names the same few references line after line (`tag`, `push`, `pull`, `run`, `rmi` of one
    /// image), so the last few answers are kept (per thread; a clone shares the text) and given again.
    pub fn parse(s: &str) -> Result<ImageRef, RefError> {
        const KEPT: usize = 8;
        type Kept = (usize, Vec<(Box<str>, Result<ImageRef, RefError>)>);
        thread_local! {
            static RECENT: std::cell::RefCell<Kept> = const { std::cell::RefCell::new((0, Vec::new())) };
        }
        RECENT.with_borrow_mut(|(next, kept)| {
            if let Some((_, answer)) = kept.iter().find(|(text, _)| **text == *s) {
                return answer.clone();
            }
            let answer = ImageRef::parse_uncached(s);
            if s.len() > NAME_TOTAL_LENGTH_MAX * 2 {
                // Only names of a sensible length are kept.
            } else if kept.len() < KEPT {
                kept.push((s.into(), answer.clone()));
            } else if let Some(slot) = kept.get_mut(*next) {
                *slot = (s.into(), answer.clone());
                *next = (*next + 1) % KEPT;
            }
            answer
        })
    }

    fn parse_uncached(s: &str) -> Result<ImageRef, RefError> {
        // An image ID must never be mistaken for a repository name, so it is refused first.
        if is_full_id(s) {
            return Err(RefError::HexRepository {
                name: s.to_string(),
            });
        }
        let (domain, official, remainder) = split_docker_domain(s);
        let prefix = if official { OFFICIAL_REPO_PREFIX } else { "" };
        // The normaliser checks case on everything before the first ':' of the remainder (so a
        // digest's algorithm can end up in the message, exactly as in Go).
        let remote = remainder
            .as_bytes()
            .iter()
            .position(|&c| c == b':')
            .map_or(remainder, |i| &remainder[..i]);
        // Go's strings.ToLower is Unicode-aware, so compare against a full lowercase mapping.
        if has_upper(remote) {
            return Err(RefError::Uppercase {
                normalized: format!("{prefix}{remote}"),
            });
        }
        let mut full = String::with_capacity(domain.len() + 1 + prefix.len() + remainder.len());
        full.push_str(domain);
        full.push('/');
        full.push_str(prefix);
        full.push_str(remainder);
        parse_full(&full)
    }

    /// Adds tag `latest` when neither tag nor digest is present (`TagNameOnly`).
    pub fn with_default_tag(mut self) -> ImageRef {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some(default_tag_text());
        }
        self
    }

    /// The same reference with tag `tag` (which the caller has validated).
    pub fn with_tag(mut self, tag: &str) -> ImageRef {
        self.tag = Some(Arc::from(tag));
        self
    }

    /// The registry host (`docker.io`, `localhost:5000`); empty for the rare domain-less name.
    pub fn domain(&self) -> &str {
        &self.repo.as_str()[..self.domain_len]
    }

    /// The tag, when the reference has one.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest as written (`sha256:…`), when the reference has one.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// Canonical repository name: `docker.io/library/node`, `localhost:5000/app`.
    pub fn repo_full(&self) -> String {
        self.repo.as_str().to_string()
    }

    /// Repository name as the CLI prints it: Hub's domain and a lone `library/` are dropped.
    pub fn repo_familiar(&self) -> String {
        self.repo.familiar().to_string()
    }

    /// Canonical form with `:tag` and/or `@digest` as present.
    pub fn full(&self) -> String {
        self.with_suffixes(self.repo_full())
    }

    /// Familiar form with `:tag` and/or `@digest` as present.
    pub fn familiar(&self) -> String {
        self.with_suffixes(self.repo_familiar())
    }

    /// The typed repository name.
    pub fn repo_name(&self) -> RepoName {
        self.repo.clone()
    }

    /// The typed repository name, borrowed.
    pub fn repo(&self) -> &RepoName {
        &self.repo
    }

    /// The tag reference, when the reference has a tag.
    pub fn tag_ref(&self) -> Option<TagRef> {
        Some(TagRef {
            repo: self.repo.clone(),
            tag: self.tag.clone()?,
        })
    }

    /// The tag as a key for a map of [`TagRef`]s, without building one.
    pub fn tag_key(&self) -> Option<(&str, &str)> {
        Some((self.repo.as_str(), self.tag.as_deref()?))
    }

    /// The tag [`with_default_tag`](Self::with_default_tag) would give, without copying the reference.
    pub fn default_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some(DEFAULT_TAG),
            (None, Some(_)) => None,
        }
    }

    /// [`tag_ref`](Self::tag_ref) of the reference with its default tag.
    pub fn default_tag_ref(&self) -> Option<TagRef> {
        let tag = match (&self.tag, &self.digest) {
            (Some(t), _) => t.clone(),
            (None, None) => default_tag_text(),
            (None, Some(_)) => return None,
        };
        Some(TagRef {
            repo: self.repo.clone(),
            tag,
        })
    }

    /// The digest reference, when the reference has a (valid) digest.
    pub fn digest_ref(&self) -> Option<DigestRef> {
        let digest = Digest::parse(self.digest.as_deref()?)?;
        Some(DigestRef {
            repo: self.repo.clone(),
            digest,
        })
    }

    /// True when the reference points at Docker Hub.
    pub fn is_docker_hub(&self) -> bool {
        self.domain() == DEFAULT_DOMAIN
    }

    /// The path inside the registry (`library/node`, `alice/app`, `app` on localhost:5000).
    pub fn path(&self) -> &str {
        let repo = self.repo.as_str();
        if self.domain_len == 0 {
            repo
        } else {
            &repo[self.domain_len + 1..]
        }
    }

    fn with_suffixes(&self, mut s: String) -> String {
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }
}

/// A canonical repository name (`docker.io/library/node`, `localhost:5000/app`): what the model keys tags
/// and digests by. Shared, so a clone is a pointer copy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RepoName(Arc<str>);

impl RepoName {
    /// From a canonical name (as `ImageRef::repo_full` gives it).
    pub fn new(full: &str) -> RepoName {
        RepoName(Arc::from(full))
    }

    /// The canonical name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name as the CLI prints it: Docker Hub's domain and a lone `library/` dropped (`node`,
    /// `alice/app`, `localhost:5000/app`). The one place the familiar form is made.
    pub fn familiar(&self) -> &str {
        let Some(rest) = self.0.strip_prefix("docker.io/") else {
            return &self.0;
        };
        match rest.strip_prefix(OFFICIAL_REPO_PREFIX) {
            Some(name) if !name.contains('/') => name,
            _ => rest,
        }
    }

    /// The registry host (`docker.io`), empty for the rare domain-less name.
    pub fn domain(&self) -> &str {
        self.0.split_once('/').map_or("", |(d, _)| d)
    }

    /// The path inside the registry (`library/node`).
    pub fn path(&self) -> &str {
        self.0.split_once('/').map_or(&self.0, |(_, p)| p)
    }
}

impl fmt::Display for RepoName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A tag reference: a repository and a tag (`docker.io/library/node:20`). Ordered by repository, then
/// tag, so one repository's tags are one range of a set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TagRef {
    pub repo: RepoName,
    pub tag: Arc<str>,
}

impl TagRef {
    /// `repo:tag`.
    pub fn new(repo: RepoName, tag: &str) -> TagRef {
        TagRef {
            repo,
            tag: Arc::from(tag),
        }
    }

    /// `node:20`, `alice/app:1.0`.
    pub fn familiar(&self) -> String {
        joined(self.repo.familiar(), ':', &self.tag)
    }
}

/// `a` and `b` joined by `sep`, in one allocation of the right size.
fn joined(a: &str, sep: char, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + 1 + b.len());
    s.push_str(a);
    s.push(sep);
    s.push_str(b);
    s
}

/// A tag reference as a borrowed pair `(canonical repository, tag)`, so a map keyed by [`TagRef`] can be
/// asked without allocating one (`map.get(&("docker.io/library/node", "20") as &dyn TagKey)`). Hash, order
/// and equality agree with `TagRef`'s (the repository's text, then the tag's).
pub trait TagKey {
    /// The canonical repository name and the tag.
    fn parts(&self) -> (&str, &str);
}

impl TagKey for TagRef {
    fn parts(&self) -> (&str, &str) {
        (self.repo.as_str(), &self.tag)
    }
}

impl TagKey for (&str, &str) {
    fn parts(&self) -> (&str, &str) {
        (self.0, self.1)
    }
}

/// A daemon's layer source record, `(registry, repository)`, asked the same way (`layer_sources`).
impl TagKey for (String, String) {
    fn parts(&self) -> (&str, &str) {
        (&self.0, &self.1)
    }
}

impl<'a> std::borrow::Borrow<dyn TagKey + 'a> for (String, String) {
    fn borrow(&self) -> &(dyn TagKey + 'a) {
        self
    }
}

impl<'a> std::borrow::Borrow<dyn TagKey + 'a> for TagRef {
    fn borrow(&self) -> &(dyn TagKey + 'a) {
        self
    }
}

impl std::hash::Hash for dyn TagKey + '_ {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // What the derived `Hash` of `TagRef` feeds: the repository's `str`, then the tag's.
        let (repo, tag) = self.parts();
        repo.hash(state);
        tag.hash(state);
    }
}

impl PartialEq for dyn TagKey + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for dyn TagKey + '_ {}

impl PartialOrd for dyn TagKey + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn TagKey + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.parts().cmp(&other.parts())
    }
}

impl fmt::Display for TagRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.repo, self.tag)
    }
}

/// A digest reference: a repository and a manifest digest (`docker.io/library/node@sha256:…`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DigestRef {
    pub repo: RepoName,
    pub digest: Digest,
}

impl DigestRef {
    /// `node@sha256:…`.
    pub fn familiar(&self) -> String {
        joined(self.repo.familiar(), '@', self.digest.as_str())
    }
}

impl fmt::Display for DigestRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.repo, self.digest)
    }
}

/// A name the local store keeps for an image: a tag or a digest reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StoredRef {
    Tag(TagRef),
    Digest(DigestRef),
}

impl StoredRef {
    /// The familiar form (`node:20`, `node@sha256:…`).
    pub fn familiar(&self) -> String {
        match self {
            StoredRef::Tag(t) => t.familiar(),
            StoredRef::Digest(d) => d.familiar(),
        }
    }

    /// The repository it is in.
    pub fn repo(&self) -> &RepoName {
        match self {
            StoredRef::Tag(t) => &t.repo,
            StoredRef::Digest(d) => &d.repo,
        }
    }
}

impl fmt::Display for StoredRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoredRef::Tag(t) => t.fmt(f),
            StoredRef::Digest(d) => d.fmt(f),
        }
    }
}

/// An image argument as typed (`docker rmi X`, `docker run X`): the daemon tries it as a reference first,
/// then as an image ID, so both readings are kept. Parsed once, where the command line is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageArg {
    /// The word as typed.
    pub raw: String,
    /// It as a reference (no default tag added).
    pub parsed: Result<ImageRef, RefError>,
}

impl ImageArg {
    /// Parses `raw` as a reference, keeping the word.
    pub fn new(raw: impl Into<String>) -> ImageArg {
        let raw = raw.into();
        let parsed = ImageRef::parse(&raw);
        ImageArg { raw, parsed }
    }

    /// The reference with its default tag (`node` → `docker.io/library/node:latest`), if it parsed.
    pub fn tagged(&self) -> Option<ImageRef> {
        self.parsed.clone().ok().map(ImageRef::with_default_tag)
    }

    /// How the daemon echoes the argument in `No such image: …`: the familiar reference with its default
    /// tag, or the word itself when it is no reference.
    pub fn shown(&self) -> String {
        self.tagged()
            .map(|r| r.familiar())
            .unwrap_or_else(|| self.raw.clone())
    }
}

impl fmt::Display for ImageArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// Validates a tag on its own per the grammar `[\w][\w.-]{0,127}`.
pub fn is_valid_tag(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        Some(&c) if is_word(c) => {}
        _ => return false,
    }
    b.len() <= TAG_MAX && b.iter().all(|&c| is_word(c) || c == b'.' || c == b'-')
}

/// True for a full image ID: exactly 64 lowercase hex characters (the check
/// `ParseNormalizedNamed` uses to refuse such names).
pub fn is_full_id(s: &str) -> bool {
    s.len() == 64 && is_lower_hex(s)
}

/// True for a 64-hex string or a shorter prefix usable as an image-ID prefix: 1 to 64
/// lowercase hex characters (IDs are always printed in lowercase).
pub fn is_id_prefix(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && is_lower_hex(s)
}

fn is_lower_hex(s: &str) -> bool {
    s.bytes()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// Does lowercasing change `s`? (Go's `strings.ToLower` is Unicode-aware; ASCII is the common case.)
fn has_upper(s: &str) -> bool {
    if s.is_ascii() {
        s.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        s.to_lowercase() != s
    }
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `splitDockerDomain`: decides whether the first component is a registry host. Returns the domain,
/// whether `library/` goes before the remainder (an official image), and the remainder.
fn split_docker_domain(name: &str) -> (&str, bool, &str) {
    let Some(slash) = name.as_bytes().iter().position(|&c| c == b'/') else {
        return (DEFAULT_DOMAIN, true, name);
    };
    let (maybe_domain, maybe_remote) = (&name[..slash], &name[slash + 1..]);
    let (domain, remote) = if maybe_domain == "localhost"
        || maybe_domain.bytes().any(|c| c == b'.' || c == b':')
        || has_upper(maybe_domain)
    {
        let d = if maybe_domain == LEGACY_DEFAULT_DOMAIN {
            DEFAULT_DOMAIN
        } else {
            maybe_domain
        };
        (d, maybe_remote)
    } else {
        (DEFAULT_DOMAIN, name)
    };
    (
        domain,
        domain == DEFAULT_DOMAIN && !remote.as_bytes().contains(&b'/'),
        remote,
    )
}

/// `Parse` on the already normalised string: grammar, then length, then digest validity.
fn parse_full(s: &str) -> Result<ImageRef, RefError> {
    let Some((domain, path, tag, digest)) = match_reference(s) else {
        // Go retries the match on the lowercased string to pick the more helpful message.
        if match_reference(&s.to_lowercase()).is_some() {
            return Err(RefError::NameContainsUppercase);
        }
        return Err(RefError::InvalidFormat);
    };
    if path.len() > NAME_TOTAL_LENGTH_MAX {
        return Err(RefError::NameTooLong);
    }
    if let Some(d) = digest {
        validate_digest(d)?;
    }
    // `s` is `domain/path` followed by the tag and digest, or `path` alone when there is no domain.
    let repo_len = if domain.is_empty() {
        path.len()
    } else {
        domain.len() + 1 + path.len()
    };
    Ok(ImageRef {
        repo: RepoName::new(&s[..repo_len]),
        domain_len: domain.len(),
        tag: tag.map(Arc::from),
        digest: digest.map(Arc::from),
    })
}

type Parts<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>);

/// Full-string match of `name [":" tag] ["@" digest]`, returning the captured parts.
fn match_reference(s: &str) -> Option<Parts<'_>> {
    // Neither name nor tag can contain '@', so the first '@' starts the digest.
    let (before, digest) = match s.as_bytes().iter().position(|&c| c == b'@') {
        Some(i) => {
            let d = &s[i + 1..];
            if !is_digest_grammar(d) {
                return None;
            }
            (&s[..i], Some(d))
        }
        None => (s, None),
    };
    // A ':' followed by a '/' belongs to a domain port; otherwise the last ':' starts the tag. Walking
    // back from the end, whichever of the two comes first decides.
    let mut name = before;
    let mut tag = None;
    for (i, &c) in before.as_bytes().iter().enumerate().rev() {
        if c == b'/' {
            break;
        }
        if c == b':' {
            name = &before[..i];
            tag = Some(&before[i + 1..]);
            break;
        }
    }
    if let Some(t) = tag
        && !is_valid_tag(t)
    {
        return None;
    }
    let (domain, path) = match_name(name)?;
    Some((domain, path, tag, digest))
}

/// `[domain "/"] remote-name`, preferring the domain branch like Go's leftmost-first regexp.
fn match_name(name: &str) -> Option<(&str, &str)> {
    if let Some(slash) = name.as_bytes().iter().position(|&c| c == b'/') {
        let (first, rest) = (&name[..slash], &name[slash + 1..]);
        if is_domain_and_port(first) && is_remote_name(rest) {
            return Some((first, rest));
        }
    }
    if is_remote_name(name) {
        return Some(("", name));
    }
    None
}

/// `host [":" port]` where host is a dotted DNS name (any case) or a bracketed IPv6 address.
fn is_domain_and_port(s: &str) -> bool {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return false;
        };
        let inner = &rest[..end];
        if inner.is_empty() || !inner.bytes().all(|c| c.is_ascii_hexdigit() || c == b':') {
            return false;
        }
        (None, &rest[end + 1..])
    } else {
        match s.as_bytes().iter().position(|&c| c == b':') {
            Some(i) => (Some(&s[..i]), &s[i..]),
            None => (Some(s), ""),
        }
    };
    if let Some(h) = host
        && !h.as_bytes().split(|&c| c == b'.').all(is_domain_component)
    {
        return false;
    }
    if port.is_empty() {
        return true;
    }
    match port.strip_prefix(':') {
        Some(p) => !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

/// `[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`.
fn is_domain_component(b: &[u8]) -> bool {
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if f.is_ascii_alphanumeric() && l.is_ascii_alphanumeric() => {
            b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
        }
        _ => false,
    }
}

fn is_remote_name(s: &str) -> bool {
    s.as_bytes().split(|&c| c == b'/').all(is_path_component)
}

/// `[a-z0-9]+ (([._]|__|[-]+) [a-z0-9]+)*`.
fn is_path_component(b: &[u8]) -> bool {
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    let (Some(&f), Some(&l)) = (b.first(), b.last()) else {
        return false;
    };
    if !alnum(f) || !alnum(l) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        // A run of separator characters between two alphanumerics.
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &b[start..i];
        let ok = sep == b"." || sep == b"_" || sep == b"__" || sep.iter().all(|&x| x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[[:xdigit:]]{32,}`.
fn is_digest_grammar(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    if hex.len() < 32 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return false;
    }
    alg.split(['-', '_', '+', '.']).all(|part| {
        let b = part.as_bytes();
        matches!(b.first(), Some(c) if c.is_ascii_alphabetic())
            && b.iter().all(|c| c.is_ascii_alphanumeric())
    })
}

/// go-digest `Validate`: only sha256/sha384/sha512 are available in Docker.
fn validate_digest(d: &str) -> Result<(), RefError> {
    let Some((alg, hex)) = d.split_once(':') else {
        return Err(RefError::DigestInvalidFormat);
    };
    let size = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => {
            // Unknown algorithms are "unsupported" only if they look like a digest at all.
            let alg_ok = alg.split(['.', '+', '_', '-']).all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
            let hex_ok = hex
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'=' || c == b'_' || c == b'-');
            return Err(if alg_ok && hex_ok {
                RefError::DigestUnsupported
            } else {
                RefError::DigestInvalidFormat
            });
        }
    };
    if hex.len() != size {
        return Err(RefError::DigestInvalidLength);
    }
    if !is_lower_hex(hex) {
        return Err(RefError::DigestInvalidFormat);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const D64: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// (input, repo_full, tag, digest, familiar)
    type Row<'a> = (String, &'a str, Option<&'a str>, Option<&'a str>, String);

    #[test]
    fn parses_valid_references() {
        let dig = format!("sha256:{D64}");
        let t128 = "t".repeat(128);
        let cases: Vec<Row> = vec![
            (
                "node".into(),
                "docker.io/library/node",
                None,
                None,
                "node".into(),
            ),
            (
                "node:20".into(),
                "docker.io/library/node",
                Some("20"),
                None,
                "node:20".into(),
            ),
            (
                "alice/app:1.0".into(),
                "docker.io/alice/app",
                Some("1.0"),
                None,
                "alice/app:1.0".into(),
            ),
            (
                "localhost:5000/app".into(),
                "localhost:5000/app",
                None,
                None,
                "localhost:5000/app".into(),
            ),
            (
                "ghcr.io/o/app".into(),
                "ghcr.io/o/app",
                None,
                None,
                "ghcr.io/o/app".into(),
            ),
            (
                "localhost/app".into(),
                "localhost/app",
                None,
                None,
                "localhost/app".into(),
            ),
            (
                "docker.io/node".into(),
                "docker.io/library/node",
                None,
                None,
                "node".into(),
            ),
            (
                "index.docker.io/library/node".into(),
                "docker.io/library/node",
                None,
                None,
                "node".into(),
            ),
            (
                "index.docker.io/node".into(),
                "docker.io/library/node",
                None,
                None,
                "node".into(),
            ),
            (
                "docker.io/library/node:20".into(),
                "docker.io/library/node",
                Some("20"),
                None,
                "node:20".into(),
            ),
            (
                "docker.io/library/a/b".into(),
                "docker.io/library/a/b",
                None,
                None,
                "library/a/b".into(),
            ),
            (
                "127.0.0.1:5000/user/app".into(),
                "127.0.0.1:5000/user/app",
                None,
                None,
                "127.0.0.1:5000/user/app".into(),
            ),
            (
                "sha256:abc".into(),
                "docker.io/library/sha256",
                Some("abc"),
                None,
                "sha256:abc".into(),
            ),
            (
                "a__b".into(),
                "docker.io/library/a__b",
                None,
                None,
                "a__b".into(),
            ),
            (
                "a--b".into(),
                "docker.io/library/a--b",
                None,
                None,
                "a--b".into(),
            ),
            (
                "a.b_c-d".into(),
                "docker.io/library/a.b_c-d",
                None,
                None,
                "a.b_c-d".into(),
            ),
            (
                "Registry.example.com/app".into(),
                "Registry.example.com/app",
                None,
                None,
                "Registry.example.com/app".into(),
            ),
            ("Foo/bar".into(), "Foo/bar", None, None, "Foo/bar".into()),
            (
                "[::1]:5000/app".into(),
                "[::1]:5000/app",
                None,
                None,
                "[::1]:5000/app".into(),
            ),
            (
                "a_b.c/app".into(),
                "a_b.c/app",
                None,
                None,
                "a_b.c/app".into(),
            ),
            (
                "localhost:5000".into(),
                "docker.io/library/localhost",
                Some("5000"),
                None,
                "localhost:5000".into(),
            ),
            (
                "app:Latest_V.1-x".into(),
                "docker.io/library/app",
                Some("Latest_V.1-x"),
                None,
                "app:Latest_V.1-x".into(),
            ),
            (
                format!("node@{dig}"),
                "docker.io/library/node",
                None,
                Some(dig.as_str()),
                format!("node@{dig}"),
            ),
            (
                format!("localhost:5000/app:1.0@{dig}"),
                "localhost:5000/app",
                Some("1.0"),
                Some(dig.as_str()),
                format!("localhost:5000/app:1.0@{dig}"),
            ),
            (
                format!("a:{t128}"),
                "docker.io/library/a",
                Some(t128.as_str()),
                None,
                format!("a:{t128}"),
            ),
        ];
        for (input, repo, tag, digest, familiar) in cases {
            let r = ImageRef::parse(&input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(r.repo_full(), repo, "{input}");
            assert_eq!(r.tag.as_deref(), tag, "{input}");
            assert_eq!(r.digest.as_deref(), digest, "{input}");
            assert_eq!(r.familiar(), familiar, "{input}");
        }
    }

    #[test]
    fn rejects_invalid_references() {
        let long_path = "a".repeat(248); // + "library/" = 256
        let cases: Vec<(String, String)> = vec![
            ("".into(), "invalid reference format".into()),
            ("myapp:".into(), "invalid reference format".into()),
            ("a:".into(), "invalid reference format".into()),
            ("a@".into(), "invalid reference format".into()),
            (":tag".into(), "invalid reference format".into()),
            ("a//b".into(), "invalid reference format".into()),
            ("-a".into(), "invalid reference format".into()),
            ("a-".into(), "invalid reference format".into()),
            ("a_-b".into(), "invalid reference format".into()),
            ("a___b".into(), "invalid reference format".into()),
            ("a..b".into(), "invalid reference format".into()),
            ("app:.bad".into(), "invalid reference format".into()),
            ("app:-bad".into(), "invalid reference format".into()),
            ("app@sha256:abc".into(), "invalid reference format".into()),
            ("a/".into(), "invalid reference format".into()),
            ("/a".into(), "invalid reference format".into()),
            ("a b".into(), "invalid reference format".into()),
            ("a:b:c".into(), "invalid reference format".into()),
            ("localhost:50a0/app".into(), "invalid reference format".into()),
            ("ex-.com/app".into(), "invalid reference format".into()),
            (format!("a:{}", "t".repeat(129)), "invalid reference format".into()),
            ("MyApp".into(), "invalid reference format: repository name (library/MyApp) must be lowercase".into()),
            ("user/MyApp".into(), "invalid reference format: repository name (user/MyApp) must be lowercase".into()),
            ("localhost:5000/App".into(), "invalid reference format: repository name (App) must be lowercase".into()),
            ("MyApp:1.0".into(), "invalid reference format: repository name (library/MyApp) must be lowercase".into()),
            ("Foo_bar/app".into(), "repository name must be lowercase".into()),
            ("É".into(), "invalid reference format: repository name (library/É) must be lowercase".into()),
            ("é".into(), "invalid reference format".into()),
            ("MyApp@sha256:abc".into(), "invalid reference format: repository name (library/MyApp@sha256) must be lowercase".into()),
            (D64.into(), format!("invalid repository name ({D64}), cannot specify 64-byte hexadecimal strings")),
            (long_path.clone(), "repository name must not be more than 255 characters".into()),
            (format!("app@sha256:{}", &D64[..40]), "invalid checksum digest length".into()),
            (format!("app@sha256:{}", D64.to_uppercase()), "invalid checksum digest format".into()),
            (format!("app@md5:{D64}"), "unsupported digest algorithm".into()),
        ];
        for (input, msg) in cases {
            match ImageRef::parse(&input) {
                Ok(r) => panic!("{input:?} unexpectedly parsed as {r:?}"),
                Err(e) => assert_eq!(e.to_string(), msg, "{input:?}"),
            }
        }
        // 247 + "library/" = 255 is still fine.
        assert!(ImageRef::parse(&"a".repeat(247)).is_ok());
    }

    #[test]
    fn canonical_and_familiar_with_default_tag() {
        let cases = [
            ("node", "docker.io/library/node:latest", "node:latest"),
            ("alice/app:1.0", "docker.io/alice/app:1.0", "alice/app:1.0"),
            (
                "localhost:5000/app",
                "localhost:5000/app:latest",
                "localhost:5000/app:latest",
            ),
            (
                "ghcr.io/o/app",
                "ghcr.io/o/app:latest",
                "ghcr.io/o/app:latest",
            ),
            (
                "localhost/app",
                "localhost/app:latest",
                "localhost/app:latest",
            ),
        ];
        for (input, full, familiar) in cases {
            let r = ImageRef::parse(input).unwrap().with_default_tag();
            assert_eq!(r.full(), full);
            assert_eq!(r.familiar(), familiar);
        }
        let dig = format!("sha256:{D64}");
        let r = ImageRef::parse(&format!("node@{dig}"))
            .unwrap()
            .with_default_tag();
        assert_eq!(r.tag, None, "a digest suppresses the default tag");
    }

    /// A map keyed by `TagRef` is asked with borrowed text and finds exactly what the owned key finds.
    #[test]
    fn tag_keys_find_what_tag_refs_find() {
        let mut map = std::collections::HashMap::new();
        let mut ordered = std::collections::BTreeMap::new();
        for (i, word) in ["node:20", "alice/app", "localhost:5000/x:1", "a_b.c/app:v"]
            .into_iter()
            .enumerate()
        {
            let r = ImageRef::parse(word).map(ImageRef::with_default_tag);
            let t = r.as_ref().ok().and_then(ImageRef::tag_ref);
            let Some(t) = t else {
                panic!("{word} is a tag reference");
            };
            map.insert(t.clone(), i);
            ordered.insert(t, i);
        }
        let get = |repo: &str, tag: &str| {
            let key = (repo, tag);
            (
                map.get(&key as &dyn TagKey).copied(),
                ordered.get(&key as &dyn TagKey).copied(),
            )
        };
        assert_eq!(get("docker.io/library/node", "20"), (Some(0), Some(0)));
        assert_eq!(get("docker.io/alice/app", "latest"), (Some(1), Some(1)));
        assert_eq!(get("localhost:5000/x", "1"), (Some(2), Some(2)));
        assert_eq!(get("a_b.c/app", "v"), (Some(3), Some(3)));
        assert_eq!(get("docker.io/library/node", "2"), (None, None));
        assert_eq!(get("docker.io/library/nod", "e:20"), (None, None));
        let r = ImageRef::parse("node").ok();
        assert_eq!(
            r.as_ref().and_then(ImageRef::default_tag_ref),
            r.and_then(|r| r.with_default_tag().tag_ref())
        );
    }

    #[test]
    fn accessors() {
        let r = ImageRef::parse("node").unwrap();
        assert!(r.is_docker_hub());
        assert_eq!(r.path(), "library/node");
        assert_eq!(r.repo_familiar(), "node");
        let r = ImageRef::parse("localhost:5000/app").unwrap();
        assert!(!r.is_docker_hub());
        assert_eq!(r.path(), "app");
        assert_eq!(r.domain(), "localhost:5000");
        let r = ImageRef::parse("alice/app").unwrap();
        assert_eq!(r.path(), "alice/app");
        assert_eq!(r.repo_familiar(), "alice/app");
    }

    #[test]
    fn tags_and_ids() {
        for (t, ok) in [
            ("latest", true),
            ("1.0", true),
            ("_x", true),
            ("V1-rc.2", true),
            ("", false),
            (".x", false),
            ("-x", false),
            ("a b", false),
            ("a:b", false),
            ("a/b", false),
        ] {
            assert_eq!(is_valid_tag(t), ok, "{t:?}");
        }
        assert!(is_valid_tag(&"a".repeat(128)));
        assert!(!is_valid_tag(&"a".repeat(129)));
        assert!(is_full_id(D64));
        assert!(!is_full_id(&D64[..63]));
        assert!(!is_full_id(&D64.to_uppercase()));
        for (p, ok) in [
            ("a", true),
            ("0123abc", true),
            ("", false),
            ("xyz", false),
            ("ABC", false),
        ] {
            assert_eq!(is_id_prefix(p), ok, "{p:?}");
        }
        assert!(is_id_prefix(D64));
        assert!(!is_id_prefix(&format!("{D64}0")));
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "@", ":", "/", "[", "[]/a", "[::1/a", "a@b:", "é", "a/é", "ǅ/x", "\u{0}", "a@:", "::/a",
        ] {
            let _ = ImageRef::parse(s);
        }
    }

    #[test]
    fn the_domain_and_path_are_the_shared_name_split() {
        let r = ImageRef::parse("localhost:5000/team/app:1").unwrap();
        assert_eq!(
            (r.domain(), r.path(), r.tag(), r.digest()),
            ("localhost:5000", "team/app", Some("1"), None)
        );
        assert_eq!(r.repo().as_str(), "localhost:5000/team/app");
        // The domain-less corner case: the whole name is the path.
        let r = ImageRef::parse("a_b.c/app").unwrap();
        assert_eq!((r.domain(), r.path()), ("", "a_b.c/app"));
        assert_eq!(r.repo().as_str(), "a_b.c/app");
        let r = ImageRef::parse("node").unwrap().with_default_tag();
        assert_eq!(
            r.tag_ref().unwrap().to_string(),
            "docker.io/library/node:latest"
        );
        assert_eq!(r.default_tag_ref(), r.tag_ref());
    }

    #[test]
    fn references_order_by_domain_then_path_not_by_the_joined_name() {
        // "a.io/x" < "a.io.b/x" as parts ("a.io" is a prefix of "a.io.b"), though '.' < '/' joined.
        let short = ImageRef::parse("a.io/x").unwrap();
        let long = ImageRef::parse("a.io.b/x").unwrap();
        assert!(short < long);
        assert!(short.repo().as_str() > long.repo().as_str());
        let tagged = ImageRef::parse("a.io/x:1").unwrap();
        assert!(short < tagged);
    }

    #[test]
    fn a_kept_answer_is_the_answer() {
        // More texts than are kept, twice over, each asked again: the same answer as a fresh parse.
        let texts: Vec<String> = (0..20)
            .map(|i| format!("alice/app:{i}"))
            .chain(["Bad/Name".to_string(), "x@md5:00".to_string()])
            .collect();
        for _ in 0..2 {
            for t in &texts {
                assert_eq!(ImageRef::parse(t), ImageRef::parse_uncached(t), "{t}");
                assert_eq!(ImageRef::parse(t), ImageRef::parse_uncached(t), "{t}");
            }
        }
    }
}
