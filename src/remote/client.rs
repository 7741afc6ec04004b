//! A blocking client for the OCI distribution API, as the Docker daemon uses it.
//!
//! The calls are the daemon's: `GET /v2/` first (it tells whether and how to authenticate), `HEAD` a blob
//! before uploading it, a cross-repository mount `POST …/blobs/uploads/?mount=&from=` (201 mounted, 202 an
//! upload session to use instead), a monolithic upload (`POST` then `PUT …?digest=`), `PUT`/`GET` of
//! manifests, `GET` of blobs and the tag list. Authentication follows the registry's `WWW-Authenticate`
//! challenge: Basic (htpasswd) or Bearer (a token from the realm, with service and scope, per the
//! distribution token spec). Transient failures of a layer transfer are retried as the daemon retries
//! them (moby `distribution/xfer`: 5 attempts, waiting 5, 10, 15, 20 seconds; `retryOnError` says which
//! errors are final). Every exchange is kept as a [`WireCall`] for `explain`.
//!
//! Errors carry data; their `Display` is the text the daemon's Go error would print, because that is what
//! a learner sees in `Error response from daemon: …`.

use crate::digest::Digest;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// A username and password for one registry.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials({}, ***)", self.username)
    }
}

/// One HTTP exchange, as `explain` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireCall {
    pub method: Method,
    /// The path and query on the registry (or the token realm's URL).
    pub path: String,
    /// The status code, or `None` when nothing answered.
    pub status: Option<u16>,
}

impl fmt::Display for WireCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.status {
            Some(s) => write!(f, "{} {} → {s}", self.method.upper(), self.path),
            None => write!(f, "{} {} → no answer", self.method.upper(), self.path),
        }
    }
}

/// The HTTP methods the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
}

impl Method {
    /// `GET`.
    pub fn upper(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }

    /// `Get`: how Go's `url.Error` names the method.
    pub fn go(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Head => "Head",
            Method::Post => "Post",
            Method::Put => "Put",
        }
    }
}

/// Why nothing answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dial {
    /// Nothing listens on the port.
    Refused { addr: String },
    /// The name does not resolve.
    NoSuchHost { name: String },
    /// No answer in time.
    Timeout { addr: String },
    /// The TLS handshake failed (a self-signed certificate, an http server behind https).
    Tls { why: String },
    /// Anything else the transport reported.
    Other { why: String },
}

impl fmt::Display for Dial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dial::Refused { addr } => write!(f, "dial tcp {addr}: connect: connection refused"),
            Dial::NoSuchHost { name } => write!(f, "dial tcp: lookup {name}: no such host"),
            Dial::Timeout { addr } => write!(f, "dial tcp {addr}: i/o timeout"),
            Dial::Tls { why } => write!(f, "tls: {why}"),
            Dial::Other { why } => f.write_str(why),
        }
    }
}

/// One entry of a registry's `{"errors":[{"code","message"}]}` answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorEntry {
    pub code: String,
    pub message: String,
}

/// What went wrong talking to a registry.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// Nothing answered (Go: `Get "http://host/v2/": dial tcp …`).
    #[error("{} \"{url}\": {dial}", method.go())]
    Unreachable {
        method: Method,
        url: String,
        dial: Dial,
    },
    /// The registry wants Basic credentials and none were given (docker's `ErrNoBasicAuthCredentials`).
    #[error("{} \"{url}\": no basic auth credentials", method.go())]
    NoBasicAuthCredentials { method: Method, url: String },
    /// `docker login` was refused.
    #[error("login attempt to {url} failed with status: {status} {reason}")]
    LoginRefused {
        url: String,
        status: u16,
        reason: String,
    },
    /// The token server refused the credentials.
    #[error("Get \"{url}\": unauthorized: {message}")]
    TokenRefused { url: String, message: String },
    /// The registry answered with errcode entries (Go prints the first as `code: message`, lower case).
    #[error("{}", errcode_text(.errors))]
    Registry {
        status: u16,
        errors: Vec<ErrorEntry>,
    },
    /// An answer without an error body (a 5xx from the registry or a proxy).
    #[error("received unexpected HTTP status: {status} {reason}")]
    UnexpectedStatus { status: u16, reason: String },
    /// A blob or manifest whose bytes do not hash to the digest asked for.
    #[error("digest mismatch: expected {expected}, got {got}")]
    DigestMismatch { expected: Digest, got: Digest },
    /// The URL given for a registry is not one.
    #[error("invalid registry URL `{url}`: {why}")]
    BadUrl { url: String, why: String },
}

fn errcode_text(errors: &[ErrorEntry]) -> String {
    match errors.first() {
        Some(e) => format!("{}: {}", e.code.to_lowercase().replace('_', " "), e.message),
        None => "unknown error".into(),
    }
}

impl ClientError {
    /// The first errcode, if the registry sent one (`MANIFEST_UNKNOWN`, `DENIED`, …).
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Registry { errors, .. } => errors.first().map(|e| e.code.as_str()),
            _ => None,
        }
    }

    /// Does the daemon retry a layer transfer after this error? (moby `retryOnError`.)
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Unreachable { .. } | ClientError::UnexpectedStatus { .. } => true,
            ClientError::Registry { .. } => !matches!(
                self.code(),
                Some(
                    "UNAUTHORIZED"
                        | "UNSUPPORTED"
                        | "DENIED"
                        | "TOOMANYREQUESTS"
                        | "NAME_UNKNOWN"
                        | "BLOB_UNKNOWN"
                )
            ),
            _ => false,
        }
    }
}

/// How often and how patiently a layer transfer is retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all (Docker: 5).
    pub attempts: u32,
    /// The wait after the n-th failure is n × this (Docker: 5 s).
    pub unit: Duration,
}

impl RetryPolicy {
    /// The daemon's policy.
    pub const DOCKER: RetryPolicy = RetryPolicy {
        attempts: 5,
        unit: Duration::from_secs(5),
    };
}

/// An answer from the registry.
#[derive(Debug)]
struct Answer {
    status: u16,
    reason: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// The authentication a registry asked for on `GET /v2/`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Challenge {
    None,
    Basic,
    Bearer {
        realm: String,
        service: Option<String>,
    },
}

/// Parses `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`.
fn parse_challenge(header: &str) -> (Challenge, Option<String>) {
    let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
    let mut params: HashMap<String, String> = HashMap::new();
    let mut rest = rest.trim();
    while !rest.is_empty() {
        let Some((key, after)) = rest.split_once('=') else {
            break;
        };
        let key = key
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let (value, tail) = if let Some(quoted) = after.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            }
        } else {
            match after.find(',') {
                Some(end) => (&after[..end], &after[end..]),
                None => (after, ""),
            }
        };
        params.insert(key, value.to_string());
        rest = tail.trim_start_matches(',').trim();
    }
    if scheme.eq_ignore_ascii_case("bearer") {
        let realm = params.get("realm").cloned().unwrap_or_default();
        (
            Challenge::Bearer {
                realm,
                service: params.get("service").cloned(),
            },
            params.get("scope").cloned(),
        )
    } else if scheme.eq_ignore_ascii_case("basic") {
        (Challenge::Basic, None)
    } else {
        (Challenge::None, None)
    }
}

/// A registry's base URL, split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryUrl {
    /// `http` or `https`.
    pub scheme: String,
    /// `host:port` (or `host`): the registry host dockdrill references name.
    pub host: String,
}

impl RegistryUrl {
    /// Parses `http://127.0.0.1:5000`, `https://registry.school.example` or a bare `host:port` (http for
    /// loopback hosts, https otherwise, as the daemon's insecure-registry default does).
    pub fn parse(url: &str) -> Result<RegistryUrl, ClientError> {
        let bad = |why: &str| ClientError::BadUrl {
            url: url.to_string(),
            why: why.to_string(),
        };
        let (scheme, rest) = match url.split_once("://") {
            Some((s, r)) if s == "http" || s == "https" => (s.to_string(), r),
            Some(_) => return Err(bad("the scheme must be http or https")),
            None => (String::new(), url),
        };
        let host = rest.trim_end_matches('/');
        if host.is_empty() || host.contains('/') || host.contains('@') || host.contains(' ') {
            return Err(bad(
                "give only scheme, host and port, e.g. http://127.0.0.1:5000",
            ));
        }
        if let Some((_, port)) = host.rsplit_once(':')
            && !host.ends_with(']')
            && port.parse::<u16>().is_err()
        {
            return Err(bad("the port is not a number"));
        }
        let scheme = if scheme.is_empty() {
            if is_loopback(host) { "http" } else { "https" }.to_string()
        } else {
            scheme
        };
        Ok(RegistryUrl {
            scheme,
            host: host.to_ascii_lowercase(),
        })
    }

    /// `http://127.0.0.1:5000`.
    pub fn base(&self) -> String {
        format!("{}://{}", self.scheme, self.host)
    }
}

fn is_loopback(host: &str) -> bool {
    let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
    name == "localhost" || name.starts_with("127.") || name == "[::1]"
}

/// The blocking client for one registry.
pub struct Client {
    url: RegistryUrl,
    agent: ureq::Agent,
    retry: RetryPolicy,
    calls: Vec<WireCall>,
    challenge: Option<Challenge>,
    /// (username, scope) → token.
    tokens: HashMap<(String, String), String>,
    /// Sleeps between retries (replaced in tests).
    sleep: fn(Duration),
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("url", &self.url).finish()
    }
}

impl Client {
    /// A client for the registry at `url`, with Docker's retry policy.
    pub fn new(url: RegistryUrl) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(60)))
            .max_redirects(4)
            .user_agent(concat!("dockdrill/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            url,
            agent: config.into(),
            retry: RetryPolicy::DOCKER,
            calls: Vec::new(),
            challenge: None,
            tokens: HashMap::new(),
            sleep: std::thread::sleep,
        }
    }

    /// Replaces the retry policy (tests use a zero wait).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Client {
        self.retry = retry;
        self
    }

    /// The registry's URL.
    pub fn url(&self) -> &RegistryUrl {
        &self.url
    }

    /// The exchanges since the last call of this method.
    pub fn take_calls(&mut self) -> Vec<WireCall> {
        std::mem::take(&mut self.calls)
    }

    fn full_url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}{path}", self.url.base())
        }
    }

    /// The path `explain` shows: the registry's own upload-session state (`_state=…`, an opaque token)
    /// is left out, the digest a `PUT` closes the upload with is kept.
    fn display_path(&self, url: &str) -> String {
        let path = url
            .strip_prefix(&self.url.base())
            .map_or_else(|| url.to_string(), str::to_string);
        match path.split_once('?') {
            Some((head, query)) if query.contains("_state=") => {
                let kept: Vec<&str> = query
                    .split('&')
                    .filter(|p| !p.starts_with("_state="))
                    .collect();
                if kept.is_empty() {
                    head.to_string()
                } else {
                    format!("{head}?{}", kept.join("&"))
                }
            }
            _ => path,
        }
    }

    /// One HTTP exchange, recorded.
    fn exchange(
        &mut self,
        method: Method,
        url: &str,
        headers: &[(&str, String)],
        body: Option<&[u8]>,
    ) -> Result<Answer, ClientError> {
        let result = match method {
            Method::Get => {
                let mut r = self.agent.get(url);
                for (k, v) in headers {
                    r = r.header(*k, v);
                }
                r.call()
            }
            Method::Head => {
                let mut r = self.agent.head(url);
                for (k, v) in headers {
                    r = r.header(*k, v);
                }
                r.call()
            }
            Method::Post => {
                let mut r = self.agent.post(url);
                for (k, v) in headers {
                    r = r.header(*k, v);
                }
                match body {
                    Some(b) => r.send(b),
                    None => r.send_empty(),
                }
            }
            Method::Put => {
                let mut r = self.agent.put(url);
                for (k, v) in headers {
                    r = r.header(*k, v);
                }
                match body {
                    Some(b) => r.send(b),
                    None => r.send_empty(),
                }
            }
        };
        let path = self.display_path(url);
        match result {
            Ok(mut resp) => {
                let status = resp.status().as_u16();
                let reason = resp.status().canonical_reason().unwrap_or("").to_string();
                let headers = resp
                    .headers()
                    .iter()
                    .filter_map(|(k, v)| {
                        v.to_str()
                            .ok()
                            .map(|v| (k.as_str().to_ascii_lowercase(), v.to_string()))
                    })
                    .collect();
                let body = if method == Method::Head {
                    Vec::new()
                } else {
                    resp.body_mut()
                        .with_config()
                        .limit(64 << 20)
                        .read_to_vec()
                        .unwrap_or_default()
                };
                self.calls.push(WireCall {
                    method,
                    path,
                    status: Some(status),
                });
                Ok(Answer {
                    status,
                    reason,
                    headers,
                    body,
                })
            }
            Err(e) => {
                self.calls.push(WireCall {
                    method,
                    path,
                    status: None,
                });
                Err(ClientError::Unreachable {
                    method,
                    url: url.to_string(),
                    dial: self.dial_error(&e),
                })
            }
        }
    }

    fn dial_error(&self, e: &ureq::Error) -> Dial {
        let addr = self.socket_addr();
        match e {
            ureq::Error::HostNotFound => Dial::NoSuchHost {
                name: self
                    .url
                    .host
                    .rsplit_once(':')
                    .map_or(self.url.host.as_str(), |(h, _)| h)
                    .to_string(),
            },
            ureq::Error::Timeout(_) => Dial::Timeout { addr },
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                Dial::Refused { addr }
            }
            ureq::Error::ConnectionFailed => Dial::Refused { addr },
            ureq::Error::Tls(why) => Dial::Tls {
                why: (*why).to_string(),
            },
            #[cfg(not(target_arch = "wasm32"))]
            ureq::Error::Rustls(r) => Dial::Tls { why: r.to_string() },
            other => Dial::Other {
                why: other.to_string(),
            },
        }
    }

    /// `127.0.0.1:5000`, with the scheme's default port when none is given.
    fn socket_addr(&self) -> String {
        let h = &self.url.host;
        if h.rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
            && !h.ends_with(']')
        {
            h.clone()
        } else {
            format!("{h}:{}", if self.url.scheme == "https" { 443 } else { 80 })
        }
    }

    /// `GET /v2/`: is the registry there, and how does it want to be authenticated?
    pub fn ping(&mut self) -> Result<(), ClientError> {
        if self.challenge.is_some() {
            return Ok(());
        }
        let url = self.full_url("/v2/");
        let a = self.exchange(Method::Get, &url, &[], None)?;
        let challenge = match a.status {
            200..=299 => Challenge::None,
            401 => parse_challenge(a.header("www-authenticate").unwrap_or("")).0,
            _ => return Err(error_of(&a)),
        };
        self.challenge = Some(challenge);
        Ok(())
    }

    /// `docker login`'s check: the credentials are accepted (or the registry needs none).
    pub fn login(&mut self, creds: &Credentials) -> Result<(), ClientError> {
        self.ping()?;
        let url = self.full_url("/v2/");
        match self.challenge.clone() {
            None | Some(Challenge::None) => Ok(()),
            Some(Challenge::Basic) => {
                let a = self.exchange(Method::Get, &url, &[basic(creds)], None)?;
                if (200..300).contains(&a.status) {
                    Ok(())
                } else {
                    Err(ClientError::LoginRefused {
                        url,
                        status: a.status,
                        reason: a.reason,
                    })
                }
            }
            Some(Challenge::Bearer { realm, service }) => {
                self.token(Some(creds), &realm, service.as_deref(), None)?;
                Ok(())
            }
        }
    }

    /// Fetches a token from the realm (anonymously when `creds` is None).
    fn token(
        &mut self,
        creds: Option<&Credentials>,
        realm: &str,
        service: Option<&str>,
        scope: Option<&str>,
    ) -> Result<String, ClientError> {
        let user = creds.map(|c| c.username.clone()).unwrap_or_default();
        let key = (user, scope.unwrap_or("").to_string());
        if let Some(t) = self.tokens.get(&key) {
            return Ok(t.clone());
        }
        let mut url = realm.to_string();
        let mut sep = if url.contains('?') { '&' } else { '?' };
        for (k, v) in [("service", service), ("scope", scope)] {
            if let Some(v) = v {
                url.push(sep);
                url.push_str(k);
                url.push('=');
                url.push_str(&query_escape(v));
                sep = '&';
            }
        }
        if creds.is_some() {
            url.push(sep);
            url.push_str("client_id=docker&offline_token=true");
        }
        let headers: Vec<(&str, String)> = creds.map(basic).into_iter().collect();
        let a = self.exchange(Method::Get, &url, &headers, None)?;
        if a.status == 401 || a.status == 403 {
            let message = error_entries(&a.body).first().map_or_else(
                || "authentication required".to_string(),
                |e| e.message.clone(),
            );
            return Err(ClientError::TokenRefused {
                url: self.full_url("/v2/"),
                message,
            });
        }
        if !(200..300).contains(&a.status) {
            return Err(error_of(&a));
        }
        let v: serde_json::Value = serde_json::from_slice(&a.body).unwrap_or_default();
        let token = v
            .get("token")
            .or_else(|| v.get("access_token"))
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string();
        self.tokens.insert(key, token.clone());
        Ok(token)
    }

    /// The Authorization header to send for `scope`, from what the registry asked for on ping.
    fn auth_header(
        &mut self,
        creds: Option<&Credentials>,
        scope: &str,
    ) -> Result<Vec<(&'static str, String)>, ClientError> {
        match self.challenge.clone() {
            Some(Challenge::Basic) => Ok(creds.map(basic).into_iter().collect()),
            Some(Challenge::Bearer { realm, service }) => {
                let t = self.token(creds, &realm, service.as_deref(), Some(scope))?;
                Ok(vec![("Authorization", format!("Bearer {t}"))])
            }
            _ => Ok(Vec::new()),
        }
    }

    /// A request to the API: ping first, authenticate as the registry asks, and answer 401s in Docker's
    /// words (or with a fresh token for the scope the challenge names).
    fn request(
        &mut self,
        method: Method,
        path: &str,
        creds: Option<&Credentials>,
        scope: &str,
        extra: &[(&'static str, String)],
        body: Option<&[u8]>,
    ) -> Result<Answer, ClientError> {
        self.ping()?;
        let url = self.full_url(path);
        if self.challenge == Some(Challenge::Basic) && creds.is_none() {
            return Err(ClientError::NoBasicAuthCredentials { method, url });
        }
        let mut headers = self.auth_header(creds, scope)?;
        headers.extend(extra.iter().cloned());
        let a = self.exchange(method, &url, &headers, body)?;
        if a.status != 401 {
            return Ok(a);
        }
        // A token for another scope than the one asked for (a mount also needs pull on the source).
        if let (Challenge::Bearer { realm, service }, Some(wanted)) =
            parse_challenge(a.header("www-authenticate").unwrap_or(""))
            && wanted != scope
        {
            let t = self.token(creds, &realm, service.as_deref(), Some(&wanted))?;
            let mut headers = vec![("Authorization", format!("Bearer {t}"))];
            headers.extend(extra.iter().cloned());
            return self.exchange(method, &url, &headers, body);
        }
        Ok(a)
    }

    /// `HEAD /v2/<repo>/blobs/<digest>`: 200 present, 404 absent.
    pub fn has_blob(
        &mut self,
        repo: &str,
        digest: &Digest,
        creds: Option<&Credentials>,
    ) -> Result<bool, ClientError> {
        let a = self.request(
            Method::Head,
            &format!("/v2/{repo}/blobs/{digest}"),
            creds,
            &push_scope(repo),
            &[],
            None,
        )?;
        match a.status {
            200..=299 => Ok(true),
            404 => Ok(false),
            _ => Err(error_of(&a)),
        }
    }

    /// Cross-repository mount. `Ok(None)` = mounted (201); `Ok(Some(location))` = the registry opened an
    /// upload session instead (202), which the caller uploads into.
    pub fn mount(
        &mut self,
        repo: &str,
        digest: &Digest,
        from: &str,
        creds: Option<&Credentials>,
    ) -> Result<Option<String>, ClientError> {
        let scope = format!("{} repository:{from}:pull", push_scope(repo));
        let a = self.request(
            Method::Post,
            &format!("/v2/{repo}/blobs/uploads/?mount={digest}&from={from}"),
            creds,
            &scope,
            &[],
            None,
        )?;
        match a.status {
            201 => Ok(None),
            202 => Ok(Some(a.header("location").unwrap_or_default().to_string())),
            _ => Err(error_of(&a)),
        }
    }

    /// A monolithic upload: `POST` opens a session (unless `session` is one from a declined mount), `PUT
    /// …?digest=` sends the bytes and closes it. Retried as the daemon retries a layer.
    pub fn upload(
        &mut self,
        repo: &str,
        digest: &Digest,
        bytes: &[u8],
        session: Option<String>,
        creds: Option<&Credentials>,
    ) -> Result<(), ClientError> {
        let mut session = session;
        self.retrying(|c| {
            let location = match session.take().filter(|s| !s.is_empty()) {
                Some(l) => l,
                None => {
                    let a = c.request(
                        Method::Post,
                        &format!("/v2/{repo}/blobs/uploads/"),
                        creds,
                        &push_scope(repo),
                        &[],
                        None,
                    )?;
                    if a.status != 202 {
                        return Err(error_of(&a));
                    }
                    a.header("location").unwrap_or_default().to_string()
                }
            };
            let sep = if location.contains('?') { '&' } else { '?' };
            let put = format!("{location}{sep}digest={digest}");
            let a = c.request(
                Method::Put,
                &put,
                creds,
                &push_scope(repo),
                &[
                    ("Content-Type", "application/octet-stream".into()),
                    ("Content-Length", bytes.len().to_string()),
                ],
                Some(bytes),
            )?;
            if a.status == 201 {
                Ok(())
            } else {
                Err(error_of(&a))
            }
        })
    }

    /// `PUT /v2/<repo>/manifests/<tag>`; returns the digest the registry computed.
    pub fn put_manifest(
        &mut self,
        repo: &str,
        tag: &str,
        media_type: &str,
        bytes: &[u8],
        creds: Option<&Credentials>,
    ) -> Result<Digest, ClientError> {
        let a = self.request(
            Method::Put,
            &format!("/v2/{repo}/manifests/{tag}"),
            creds,
            &push_scope(repo),
            &[("Content-Type", media_type.to_string())],
            Some(bytes),
        )?;
        if a.status != 201 {
            return Err(error_of(&a));
        }
        let ours = Digest::of(bytes);
        match a.header("docker-content-digest").and_then(Digest::parse) {
            Some(d) if d != ours => Err(ClientError::DigestMismatch {
                expected: ours,
                got: d,
            }),
            _ => Ok(ours),
        }
    }

    /// `GET /v2/<repo>/manifests/<reference>`: the manifest bytes and their digest (checked against the
    /// reference when it is a digest).
    pub fn get_manifest(
        &mut self,
        repo: &str,
        reference: &str,
        creds: Option<&Credentials>,
    ) -> Result<(Digest, Vec<u8>), ClientError> {
        let accept = [
            super::oci::MANIFEST_MEDIA_TYPE,
            super::oci::DOCKER_MANIFEST_MEDIA_TYPE,
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
        ]
        .join(", ");
        // Like the daemon's resolver: a tag is resolved with HEAD, the manifest fetched by its digest.
        let mut target = reference.to_string();
        if Digest::parse(reference).is_none() {
            let a = self.request(
                Method::Head,
                &format!("/v2/{repo}/manifests/{reference}"),
                creds,
                &pull_scope(repo),
                &[("Accept", accept.clone())],
                None,
            )?;
            if a.status != 200 {
                return Err(error_of(&a));
            }
            if let Some(d) = a.header("docker-content-digest").and_then(Digest::parse) {
                target = d.to_string();
            }
        }
        let a = self.request(
            Method::Get,
            &format!("/v2/{repo}/manifests/{target}"),
            creds,
            &pull_scope(repo),
            &[("Accept", accept)],
            None,
        )?;
        if a.status != 200 {
            return Err(error_of(&a));
        }
        let digest = Digest::of(&a.body);
        if let Some(want) = Digest::parse(&target)
            && want != digest
        {
            return Err(ClientError::DigestMismatch {
                expected: want,
                got: digest,
            });
        }
        Ok((digest, a.body))
    }

    /// `GET /v2/<repo>/blobs/<digest>`, checked against the digest; retried as the daemon retries a layer.
    pub fn get_blob(
        &mut self,
        repo: &str,
        digest: &Digest,
        creds: Option<&Credentials>,
    ) -> Result<Vec<u8>, ClientError> {
        self.retrying(|c| {
            let a = c.request(
                Method::Get,
                &format!("/v2/{repo}/blobs/{digest}"),
                creds,
                &pull_scope(repo),
                &[],
                None,
            )?;
            if a.status != 200 {
                return Err(error_of(&a));
            }
            let got = Digest::of(&a.body);
            if got != *digest {
                return Err(ClientError::DigestMismatch {
                    expected: digest.clone(),
                    got,
                });
            }
            Ok(a.body)
        })
    }

    /// `GET /v2/<repo>/tags/list`.
    pub fn tags(
        &mut self,
        repo: &str,
        creds: Option<&Credentials>,
    ) -> Result<Vec<String>, ClientError> {
        let a = self.request(
            Method::Get,
            &format!("/v2/{repo}/tags/list"),
            creds,
            &pull_scope(repo),
            &[],
            None,
        )?;
        if a.status != 200 {
            return Err(error_of(&a));
        }
        let v: serde_json::Value = serde_json::from_slice(&a.body).unwrap_or_default();
        let mut tags: Vec<String> = v
            .get("tags")
            .and_then(serde_json::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        tags.sort();
        Ok(tags)
    }

    /// Runs `op` under the retry policy: transient errors are tried again after n × unit.
    fn retrying<T>(
        &mut self,
        mut op: impl FnMut(&mut Client) -> Result<T, ClientError>,
    ) -> Result<T, ClientError> {
        let mut failures = 0;
        loop {
            match op(self) {
                Ok(v) => return Ok(v),
                Err(e) => {
                    failures += 1;
                    if !e.is_transient() || failures >= self.retry.attempts {
                        return Err(e);
                    }
                    (self.sleep)(self.retry.unit * failures);
                }
            }
        }
    }
}

fn basic(creds: &Credentials) -> (&'static str, String) {
    let raw = format!("{}:{}", creds.username, creds.password);
    ("Authorization", format!("Basic {}", BASE64.encode(raw)))
}

fn push_scope(repo: &str) -> String {
    format!("repository:{repo}:pull,push")
}

fn pull_scope(repo: &str) -> String {
    format!("repository:{repo}:pull")
}

fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char);
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn error_entries(body: &[u8]) -> Vec<ErrorEntry> {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    v.get("errors")
        .and_then(serde_json::Value::as_array)
        .map(|errs| {
            errs.iter()
                .map(|e| ErrorEntry {
                    code: e
                        .get("code")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("UNKNOWN")
                        .to_string(),
                    message: e
                        .get("message")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The error an answer stands for: the registry's errcode entries for a 4xx with a body (distribution's
/// `HandleErrorResponse`), otherwise an unexpected status.
fn error_of(a: &Answer) -> ClientError {
    let errors = error_entries(&a.body);
    if (400..500).contains(&a.status) && !errors.is_empty() {
        return ClientError::Registry {
            status: a.status,
            errors,
        };
    }
    if a.status == 401 {
        return ClientError::Registry {
            status: 401,
            errors: vec![ErrorEntry {
                code: "UNAUTHORIZED".into(),
                message: "authentication required".into(),
            }],
        };
    }
    if a.status == 404 {
        // A HEAD has no body: distribution's client reports the blob or manifest as unknown.
        return ClientError::Registry {
            status: 404,
            errors: vec![ErrorEntry {
                code: "MANIFEST_UNKNOWN".into(),
                message: "manifest unknown".into(),
            }],
        };
    }
    ClientError::UnexpectedStatus {
        status: a.status,
        reason: a.reason.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    #[test]
    fn bearer_challenges_parse() {
        let (c, scope) = parse_challenge(
            r#"Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull""#,
        );
        assert_eq!(
            c,
            Challenge::Bearer {
                realm: "https://auth.example/token".into(),
                service: Some("registry.example".into())
            }
        );
        assert_eq!(scope.as_deref(), Some("repository:a/b:pull"));
        assert_eq!(
            parse_challenge(r#"Basic realm="Registry Realm""#).0,
            Challenge::Basic
        );
    }

    #[test]
    fn urls_parse_with_docker_s_default_scheme() {
        let u = RegistryUrl::parse("127.0.0.1:5000").expect("parses");
        assert_eq!(
            (u.scheme.as_str(), u.host.as_str()),
            ("http", "127.0.0.1:5000")
        );
        let u = RegistryUrl::parse("registry.school.example").expect("parses");
        assert_eq!(u.base(), "https://registry.school.example");
        let u = RegistryUrl::parse("https://10.0.0.5:5000/").expect("parses");
        assert_eq!(u.host, "10.0.0.5:5000");
        assert!(RegistryUrl::parse("ftp://x").is_err());
        assert!(RegistryUrl::parse("http://x/path").is_err());
        assert!(RegistryUrl::parse("http://x:port").is_err());
    }

    #[test]
    fn errors_read_as_docker_prints_them() {
        let e = ClientError::Registry {
            status: 404,
            errors: vec![ErrorEntry {
                code: "MANIFEST_UNKNOWN".into(),
                message: "manifest unknown".into(),
            }],
        };
        assert_eq!(e.to_string(), "manifest unknown: manifest unknown");
        let e = ClientError::Unreachable {
            method: Method::Get,
            url: "http://127.0.0.1:5999/v2/".into(),
            dial: Dial::Refused {
                addr: "127.0.0.1:5999".into(),
            },
        };
        assert_eq!(
            e.to_string(),
            "Get \"http://127.0.0.1:5999/v2/\": dial tcp 127.0.0.1:5999: connect: connection refused"
        );
        let e = ClientError::UnexpectedStatus {
            status: 500,
            reason: "Internal Server Error".into(),
        };
        assert_eq!(
            e.to_string(),
            "received unexpected HTTP status: 500 Internal Server Error"
        );
        assert!(e.is_transient());
    }

    #[test]
    fn a_refused_connection_reads_as_the_daemon_s_dial_error() {
        // Bind then drop a listener: the port is free and nothing listens on it.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or(1);
        let url = RegistryUrl::parse(&format!("http://127.0.0.1:{port}")).expect("url");
        let mut c = Client::new(url);
        let e = c.ping().expect_err("nothing listens");
        assert_eq!(
            e.to_string(),
            format!(
                "Get \"http://127.0.0.1:{port}/v2/\": dial tcp 127.0.0.1:{port}: connect: connection refused"
            )
        );
        assert_eq!(c.take_calls()[0].status, None);
    }

    /// A loopback server answering each request with the next scripted status (the last one repeats).
    fn scripted(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            let mut i = 0;
            for stream in listener.incoming().take(32) {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let mut len = 0usize;
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                    if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; len];
                let _ = reader.read_exact(&mut body);
                log.lock().expect("lock").push(line.trim().to_string());
                let status = statuses[i.min(statuses.len() - 1)];
                i += 1;
                let extra = if status == 202 {
                    format!("Location: http://{addr}/v2/r/blobs/uploads/u1\r\n")
                } else {
                    String::new()
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        (format!("http://{addr}"), seen)
    }

    #[test]
    fn a_5xx_on_a_layer_upload_is_tried_five_times_in_all() {
        // ping 200, then every request 500.
        let (url, seen) = scripted(vec![200, 500]);
        let mut c = Client::new(RegistryUrl::parse(&url).expect("url")).with_retry(RetryPolicy {
            attempts: 5,
            unit: Duration::ZERO,
        });
        c.sleep = |_| {};
        let e = c
            .upload("r", &Digest::of(b"x"), b"x", None, None)
            .expect_err("always 500");
        assert_eq!(
            e,
            ClientError::UnexpectedStatus {
                status: 500,
                reason: "Internal Server Error".into()
            }
        );
        let posts = seen
            .lock()
            .expect("lock")
            .iter()
            .filter(|l| l.starts_with("POST"))
            .count();
        assert_eq!(posts, 5);
    }

    #[test]
    fn a_transient_failure_then_success_uploads_once() {
        // ping 200, POST 500, POST 202, PUT 201.
        let (url, seen) = scripted(vec![200, 500, 202, 201]);
        let mut c = Client::new(RegistryUrl::parse(&url).expect("url"));
        c.sleep = |_| {};
        c.upload("r", &Digest::of(b"x"), b"x", None, None)
            .expect("second try works");
        let lines = seen.lock().expect("lock").clone();
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert!(lines[3].starts_with("PUT /v2/r/blobs/uploads/u1?digest=sha256:"));
        let statuses: Vec<Option<u16>> = c.take_calls().iter().map(|w| w.status).collect();
        assert_eq!(statuses, vec![Some(200), Some(500), Some(202), Some(201)]);
    }

    /// A registry with a token server on one loopback port: `/v2/…` wants `Bearer good-token`, `/token`
    /// hands it out to `user:pass` (and checks service and scope).
    fn bearer_registry() -> (String, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(16) {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let mut auth = String::new();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                    if let Some(v) = h
                        .strip_prefix("authorization: ")
                        .or(h.strip_prefix("Authorization: "))
                    {
                        auth = v.trim().to_string();
                    }
                }
                let path = line.split(' ').nth(1).unwrap_or("").to_string();
                log.lock().expect("lock").push(format!("{path} [{auth}]"));
                let good_basic = format!("Basic {}", BASE64.encode("user:pass"));
                let (status, extra, body) = if path.starts_with("/token") {
                    if auth == good_basic && path.contains("service=test-registry") {
                        (200, String::new(), r#"{"token":"good-token"}"#.to_string())
                    } else {
                        (401, String::new(), r#"{"errors":[{"code":"UNAUTHORIZED","message":"incorrect username or password"}]}"#.to_string())
                    }
                } else if auth == "Bearer good-token" {
                    (
                        200,
                        "Docker-Content-Digest: sha256:0000\r\n".to_string(),
                        r#"{"tags":["v1"]}"#.to_string(),
                    )
                } else {
                    let scope = if path == "/v2/" {
                        String::new()
                    } else {
                        ",scope=\"repository:team/app:pull\"".to_string()
                    };
                    (
                        401,
                        format!(
                            "WWW-Authenticate: Bearer realm=\"http://{addr}/token\",service=\"test-registry\"{scope}\r\n"
                        ),
                        String::new(),
                    )
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        (format!("http://{addr}"), seen)
    }

    #[test]
    fn bearer_auth_fetches_a_token_for_the_scope_and_sends_it() {
        let (url, seen) = bearer_registry();
        let mut c = Client::new(RegistryUrl::parse(&url).expect("url"));
        let creds = Credentials {
            username: "user".into(),
            password: "pass".into(),
        };
        assert_eq!(
            c.tags("team/app", Some(&creds)).expect("tags"),
            vec!["v1".to_string()]
        );
        let lines = seen.lock().expect("lock").clone();
        assert!(
            lines[1]
                .starts_with("/token?service=test-registry&scope=repository%3Ateam%2Fapp%3Apull"),
            "{lines:?}"
        );
        assert!(lines[2].ends_with("[Bearer good-token]"), "{lines:?}");
        let bad = Credentials {
            username: "user".into(),
            password: "nope".into(),
        };
        let mut c = Client::new(RegistryUrl::parse(&url).expect("url"));
        let e = c.login(&bad).expect_err("refused");
        assert_eq!(
            e.to_string(),
            format!("Get \"{url}/v2/\": unauthorized: incorrect username or password")
        );
    }

    #[test]
    fn a_basic_auth_registry_without_credentials_says_so_before_sending() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        std::thread::spawn(move || {
            if let Some(Ok(mut s)) = listener.incoming().next() {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf);
                let _ = write!(
                    s,
                    "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"Registry Realm\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        let mut c = Client::new(RegistryUrl::parse(&format!("http://{addr}")).expect("url"));
        let e = c
            .get_manifest("user/app", "latest", None)
            .expect_err("no creds");
        assert_eq!(
            e.to_string(),
            format!(
                "Head \"http://{addr}/v2/user/app/manifests/latest\": no basic auth credentials"
            )
        );
    }
}
