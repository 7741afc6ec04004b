//! What Docker's CLI asks at a terminal before `docker login` can proceed without `-u` or `-p`, as the REPL
//! asks it: the prompts, the notes around them and the errors for empty answers (docker/cli
//! `cli/command/registry.go`, `PromptUserForCredentials`; the behaviour reference §14.1). The REPL reads
//! the answers itself (the password without echo) and then runs the login as `-u USER --password-stdin`
//! would, so the engine decides the outcome as for any other login.

/// Docker Hub's names for itself (a server given to `docker login`).
pub fn is_docker_hub(server: &str) -> bool {
    let s = server
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    matches!(
        s,
        "docker.io" | "index.docker.io" | "index.docker.io/v1" | "registry-1.docker.io"
    )
}

/// Printed on stdout before the username prompt for Docker Hub.
pub const HUB_INTRO: &str = "\
Log in with your Docker ID or email address to push and pull images from Docker Hub. If you don't have a Docker ID, head over to https://hub.docker.com/ to create one.
You can log in with your password or a Personal Access Token (PAT). Using a limited-scope PAT grants better security and is required for organizations using SSO. Learn more at https://docs.docker.com/go/access-tokens/
";

/// The username prompt.
pub const USERNAME: &str = "Username: ";

/// The password prompt (typed without echo).
pub const PASSWORD: &str = "Password: ";

/// The note on stderr before the password prompt for Docker Hub.
pub const PAT_NOTE: &str = "
 Info -> A Personal Access Token (PAT) can be used instead.
         To create a PAT, visit https://app.docker.com/settings

";

/// An empty username.
pub const USERNAME_REQUIRED: &str = "Error: Non-null Username Required";

/// An empty password.
pub const PASSWORD_REQUIRED: &str = "Error: Password Required";

/// What dockdrill says instead of Docker 28's web-based login (a device code for login.docker.com).
pub const WEB_LOGIN_NOTE: &str = "Docker 28 would start a web-based login here (a device code to confirm at login.docker.com); dockdrill asks for a username and password instead, as Docker does with DOCKER_CLI_DISABLE_OAUTH_LOGIN=1 (the accounts: alice / wonderland, bob / builder)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_names() {
        assert!(is_docker_hub("docker.io"));
        assert!(is_docker_hub("https://index.docker.io/v1/"));
        assert!(!is_docker_hub("localhost:5000"));
        assert!(!is_docker_hub("registry.example.com"));
    }
}
