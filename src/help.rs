//! `--help` texts, usage lines and short descriptions of Docker CLI 28.2.2.
//!
//! Captured from the docker CLI 28.2.2 client (build e6534b4) with its help
//! template (docker/cli `cli/cobra.go`) and pflag's `FlagUsagesWrapped(79)`
//! (80-column default when stdin is not a terminal), talking to an engine
//! that reports API 1.50, `OSType: linux`, no experimental features and an
//! inactive swarm, i.e. a default Docker Engine 28.2.2 on Linux: Windows-only
//! flags (`--cpu-count`, `--io-maxiops`, ...) and the manager-only swarm
//! commands are hidden, as they are there.
//!
//! - `build` is the legacy builder's help (no buildx plugin installed). On
//!   that path the real client also prints the legacy-builder DEPRECATED
//!   notice on stderr first (see [`LEGACY_BUILDER_NOTICE`]).
//! - The top-level help (`docker --help`) shows the client config defaults
//!   for `HOME=/root` (`/root/.docker`).
//! - Every text ends with a newline and has no trailing spaces.

/// What `docker build` (legacy builder) prints on stderr before anything
/// else, including before its `--help` output and usage errors.
pub const LEGACY_BUILDER_NOTICE: &str =
    "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
            Install the buildx component to build images with BuildKit:
            https://docs.docker.com/go/buildx/

";

macro_rules! body_build {
    () => {
        r#"
Build an image from a Dockerfile

Aliases:
  docker image build, docker build, docker builder build

Options:
      --add-host list           Add a custom host-to-IP mapping ("host:ip")
      --build-arg list          Set build-time variables
      --cache-from strings      Images to consider as cache sources
      --cgroup-parent string    Set the parent cgroup for the "RUN"
                                instructions during build
      --compress                Compress the build context using gzip
      --cpu-period int          Limit the CPU CFS (Completely Fair
                                Scheduler) period
      --cpu-quota int           Limit the CPU CFS (Completely Fair
                                Scheduler) quota
  -c, --cpu-shares int          CPU shares (relative weight)
      --cpuset-cpus string      CPUs in which to allow execution (0-3, 0,1)
      --cpuset-mems string      MEMs in which to allow execution (0-3, 0,1)
      --disable-content-trust   Skip image verification (default true)
  -f, --file string             Name of the Dockerfile (Default is
                                "PATH/Dockerfile")
      --force-rm                Always remove intermediate containers
      --iidfile string          Write the image ID to the file
      --isolation string        Container isolation technology
      --label list              Set metadata for an image
  -m, --memory bytes            Memory limit
      --memory-swap bytes       Swap limit equal to memory plus swap: -1
                                to enable unlimited swap
      --network string          Set the networking mode for the RUN
                                instructions during build (default "default")
      --no-cache                Do not use cache when building the image
      --platform string         Set platform if server is multi-platform
                                capable
      --pull                    Always attempt to pull a newer version of
                                the image
  -q, --quiet                   Suppress the build output and print image
                                ID on success
      --rm                      Remove intermediate containers after a
                                successful build (default true)
      --security-opt strings    Security options
      --shm-size bytes          Size of "/dev/shm"
  -t, --tag list                Name and optionally a tag in the
                                "name:tag" format
      --target string           Set the target build stage to build.
      --ulimit ulimit           Ulimit options (default [])
"#
    };
}

macro_rules! body_commit {
    () => {
        r#"
Create a new image from a container's changes

Aliases:
  docker container commit, docker commit

Options:
  -a, --author string    Author (e.g., "John Hannibal Smith
                         <hannibal@a-team.com>")
  -c, --change list      Apply Dockerfile instruction to the created image
  -m, --message string   Commit message
  -p, --pause            Pause container during commit (default true)
"#
    };
}

macro_rules! body_container {
    () => {
        r#"
Manage containers

Commands:
  attach      Attach local standard input, output, and error streams to a running container
  commit      Create a new image from a container's changes
  cp          Copy files/folders between a container and the local filesystem
  create      Create a new container
  diff        Inspect changes to files or directories on a container's filesystem
  exec        Execute a command in a running container
  export      Export a container's filesystem as a tar archive
  inspect     Display detailed information on one or more containers
  kill        Kill one or more running containers
  logs        Fetch the logs of a container
  ls          List containers
  pause       Pause all processes within one or more containers
  port        List port mappings or a specific mapping for the container
  prune       Remove all stopped containers
  rename      Rename a container
  restart     Restart one or more containers
  rm          Remove one or more containers
  run         Create and run a new container from an image
  start       Start one or more stopped containers
  stats       Display a live stream of container(s) resource usage statistics
  stop        Stop one or more running containers
  top         Display the running processes of a container
  unpause     Unpause all processes within one or more containers
  update      Update configuration of one or more containers
  wait        Block until one or more containers stop, then print their exit codes

Run 'docker container COMMAND --help' for more information on a command.
"#
    };
}

macro_rules! body_container_create {
    () => {
        r#"
Create a new container

Aliases:
  docker container create, docker create

Options:
      --add-host list                    Add a custom host-to-IP mapping
                                         (host:ip)
      --annotation map                   Add an annotation to the
                                         container (passed through to the
                                         OCI runtime) (default map[])
  -a, --attach list                      Attach to STDIN, STDOUT or STDERR
      --blkio-weight uint16              Block IO (relative weight),
                                         between 10 and 1000, or 0 to
                                         disable (default 0)
      --blkio-weight-device list         Block IO weight (relative device
                                         weight) (default [])
      --cap-add list                     Add Linux capabilities
      --cap-drop list                    Drop Linux capabilities
      --cgroup-parent string             Optional parent cgroup for the
                                         container
      --cgroupns string                  Cgroup namespace to use
                                         (host|private)
                                         'host':    Run the container in
                                         the Docker host's cgroup
                                         namespace
                                         'private': Run the container in
                                         its own private cgroup namespace
                                         '':        Use the cgroup
                                         namespace as configured by the
                                                    default-cgroupns-mode
                                         option on the daemon (default)
      --cidfile string                   Write the container ID to the file
      --cpu-period int                   Limit CPU CFS (Completely Fair
                                         Scheduler) period
      --cpu-quota int                    Limit CPU CFS (Completely Fair
                                         Scheduler) quota
      --cpu-rt-period int                Limit CPU real-time period in
                                         microseconds
      --cpu-rt-runtime int               Limit CPU real-time runtime in
                                         microseconds
  -c, --cpu-shares int                   CPU shares (relative weight)
      --cpus decimal                     Number of CPUs
      --cpuset-cpus string               CPUs in which to allow execution
                                         (0-3, 0,1)
      --cpuset-mems string               MEMs in which to allow execution
                                         (0-3, 0,1)
      --device list                      Add a host device to the container
      --device-cgroup-rule list          Add a rule to the cgroup allowed
                                         devices list
      --device-read-bps list             Limit read rate (bytes per
                                         second) from a device (default [])
      --device-read-iops list            Limit read rate (IO per second)
                                         from a device (default [])
      --device-write-bps list            Limit write rate (bytes per
                                         second) to a device (default [])
      --device-write-iops list           Limit write rate (IO per second)
                                         to a device (default [])
      --disable-content-trust            Skip image verification (default
                                         true)
      --dns list                         Set custom DNS servers
      --dns-option list                  Set DNS options
      --dns-search list                  Set custom DNS search domains
      --domainname string                Container NIS domain name
      --entrypoint string                Overwrite the default ENTRYPOINT
                                         of the image
  -e, --env list                         Set environment variables
      --env-file list                    Read in a file of environment
                                         variables
      --expose list                      Expose a port or a range of ports
      --gpus gpu-request                 GPU devices to add to the
                                         container ('all' to pass all GPUs)
      --group-add list                   Add additional groups to join
      --health-cmd string                Command to run to check health
      --health-interval duration         Time between running the check
                                         (ms|s|m|h) (default 0s)
      --health-retries int               Consecutive failures needed to
                                         report unhealthy
      --health-start-interval duration   Time between running the check
                                         during the start period
                                         (ms|s|m|h) (default 0s)
      --health-start-period duration     Start period for the container
                                         to initialize before starting
                                         health-retries countdown
                                         (ms|s|m|h) (default 0s)
      --health-timeout duration          Maximum time to allow one check
                                         to run (ms|s|m|h) (default 0s)
      --help                             Print usage
  -h, --hostname string                  Container host name
      --init                             Run an init inside the container
                                         that forwards signals and reaps
                                         processes
  -i, --interactive                      Keep STDIN open even if not attached
      --ip string                        IPv4 address (e.g., 172.30.100.104)
      --ip6 string                       IPv6 address (e.g., 2001:db8::33)
      --ipc string                       IPC mode to use
      --isolation string                 Container isolation technology
      --kernel-memory bytes              Kernel memory limit
  -l, --label list                       Set meta data on a container
      --label-file list                  Read in a line delimited file of
                                         labels
      --link list                        Add link to another container
      --link-local-ip list               Container IPv4/IPv6 link-local
                                         addresses
      --log-driver string                Logging driver for the container
      --log-opt list                     Log driver options
      --mac-address string               Container MAC address (e.g.,
                                         92:d0:c6:0a:29:33)
  -m, --memory bytes                     Memory limit
      --memory-reservation bytes         Memory soft limit
      --memory-swap bytes                Swap limit equal to memory plus
                                         swap: '-1' to enable unlimited swap
      --memory-swappiness int            Tune container memory swappiness
                                         (0 to 100) (default -1)
      --mount mount                      Attach a filesystem mount to the
                                         container
      --name string                      Assign a name to the container
      --network network                  Connect a container to a network
      --network-alias list               Add network-scoped alias for the
                                         container
      --no-healthcheck                   Disable any container-specified
                                         HEALTHCHECK
      --oom-kill-disable                 Disable OOM Killer
      --oom-score-adj int                Tune host's OOM preferences
                                         (-1000 to 1000)
      --pid string                       PID namespace to use
      --pids-limit int                   Tune container pids limit (set
                                         -1 for unlimited)
      --platform string                  Set platform if server is
                                         multi-platform capable
      --privileged                       Give extended privileges to this
                                         container
  -p, --publish list                     Publish a container's port(s) to
                                         the host
  -P, --publish-all                      Publish all exposed ports to
                                         random ports
      --pull string                      Pull image before creating
                                         ("always", "|missing", "never")
                                         (default "missing")
  -q, --quiet                            Suppress the pull output
      --read-only                        Mount the container's root
                                         filesystem as read only
      --restart string                   Restart policy to apply when a
                                         container exits (default "no")
      --rm                               Automatically remove the
                                         container and its associated
                                         anonymous volumes when it exits
      --runtime string                   Runtime to use for this container
      --security-opt list                Security Options
      --shm-size bytes                   Size of /dev/shm
      --stop-signal string               Signal to stop the container
      --stop-timeout int                 Timeout (in seconds) to stop a
                                         container
      --storage-opt list                 Storage driver options for the
                                         container
      --sysctl map                       Sysctl options (default map[])
      --tmpfs list                       Mount a tmpfs directory
  -t, --tty                              Allocate a pseudo-TTY
      --ulimit ulimit                    Ulimit options (default [])
      --use-api-socket                   Bind mount Docker API socket and
                                         required auth
  -u, --user string                      Username or UID (format:
                                         <name|uid>[:<group|gid>])
      --userns string                    User namespace to use
      --uts string                       UTS namespace to use
  -v, --volume list                      Bind mount a volume
      --volume-driver string             Optional volume driver for the
                                         container
      --volumes-from list                Mount volumes from the specified
                                         container(s)
  -w, --workdir string                   Working directory inside the
                                         container
"#
    };
}

macro_rules! body_container_exec {
    () => {
        r#"
Execute a command in a running container

Aliases:
  docker container exec, docker exec

Options:
  -d, --detach               Detached mode: run command in the background
      --detach-keys string   Override the key sequence for detaching a
                             container
  -e, --env list             Set environment variables
      --env-file list        Read in a file of environment variables
  -i, --interactive          Keep STDIN open even if not attached
      --privileged           Give extended privileges to the command
  -t, --tty                  Allocate a pseudo-TTY
  -u, --user string          Username or UID (format:
                             "<name|uid>[:<group|gid>]")
  -w, --workdir string       Working directory inside the container
"#
    };
}

macro_rules! body_container_inspect {
    () => {
        r#"
Display detailed information on one or more containers

Options:
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
  -s, --size            Display total file sizes
"#
    };
}

macro_rules! body_container_kill {
    () => {
        r#"
Kill one or more running containers

Aliases:
  docker container kill, docker kill

Options:
  -s, --signal string   Signal to send to the container
"#
    };
}

macro_rules! body_container_list {
    () => {
        r#"
List containers

Aliases:
  docker container ls, docker container list, docker container ps, docker ps

Options:
  -a, --all             Show all containers (default shows just running)
  -f, --filter filter   Filter output based on conditions provided
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
                        'table TEMPLATE':   Print output in table format
                        using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
  -n, --last int        Show n last created containers (includes all
                        states) (default -1)
  -l, --latest          Show the latest created container (includes all
                        states)
      --no-trunc        Don't truncate output
  -q, --quiet           Only display container IDs
  -s, --size            Display total file sizes
"#
    };
}

macro_rules! body_container_logs {
    () => {
        r#"
Fetch the logs of a container

Aliases:
  docker container logs, docker logs

Options:
      --details        Show extra details provided to logs
  -f, --follow         Follow log output
      --since string   Show logs since timestamp (e.g.
                       "2013-01-02T13:23:37Z") or relative (e.g. "42m"
                       for 42 minutes)
  -n, --tail string    Number of lines to show from the end of the logs
                       (default "all")
  -t, --timestamps     Show timestamps
      --until string   Show logs before a timestamp (e.g.
                       "2013-01-02T13:23:37Z") or relative (e.g. "42m"
                       for 42 minutes)
"#
    };
}

macro_rules! body_container_pause {
    () => {
        r#"
Pause all processes within one or more containers

Aliases:
  docker container pause, docker pause
"#
    };
}

macro_rules! body_container_port {
    () => {
        r#"
List port mappings or a specific mapping for the container

Aliases:
  docker container port, docker port
"#
    };
}

macro_rules! body_container_prune {
    () => {
        r#"
Remove all stopped containers

Options:
      --filter filter   Provide filter values (e.g. "until=<timestamp>")
  -f, --force           Do not prompt for confirmation
"#
    };
}

macro_rules! body_container_rename {
    () => {
        r#"
Rename a container

Aliases:
  docker container rename, docker rename
"#
    };
}

macro_rules! body_container_restart {
    () => {
        r#"
Restart one or more containers

Aliases:
  docker container restart, docker restart

Options:
  -s, --signal string   Signal to send to the container
  -t, --timeout int     Seconds to wait before killing the container
"#
    };
}

macro_rules! body_container_rm {
    () => {
        r#"
Remove one or more containers

Aliases:
  docker container rm, docker container remove, docker rm

Options:
  -f, --force     Force the removal of a running container (uses SIGKILL)
  -l, --link      Remove the specified link
  -v, --volumes   Remove anonymous volumes associated with the container
"#
    };
}

macro_rules! body_container_run {
    () => {
        r#"
Create and run a new container from an image

Aliases:
  docker container run, docker run

Options:
      --add-host list                    Add a custom host-to-IP mapping
                                         (host:ip)
      --annotation map                   Add an annotation to the
                                         container (passed through to the
                                         OCI runtime) (default map[])
  -a, --attach list                      Attach to STDIN, STDOUT or STDERR
      --blkio-weight uint16              Block IO (relative weight),
                                         between 10 and 1000, or 0 to
                                         disable (default 0)
      --blkio-weight-device list         Block IO weight (relative device
                                         weight) (default [])
      --cap-add list                     Add Linux capabilities
      --cap-drop list                    Drop Linux capabilities
      --cgroup-parent string             Optional parent cgroup for the
                                         container
      --cgroupns string                  Cgroup namespace to use
                                         (host|private)
                                         'host':    Run the container in
                                         the Docker host's cgroup
                                         namespace
                                         'private': Run the container in
                                         its own private cgroup namespace
                                         '':        Use the cgroup
                                         namespace as configured by the
                                                    default-cgroupns-mode
                                         option on the daemon (default)
      --cidfile string                   Write the container ID to the file
      --cpu-period int                   Limit CPU CFS (Completely Fair
                                         Scheduler) period
      --cpu-quota int                    Limit CPU CFS (Completely Fair
                                         Scheduler) quota
      --cpu-rt-period int                Limit CPU real-time period in
                                         microseconds
      --cpu-rt-runtime int               Limit CPU real-time runtime in
                                         microseconds
  -c, --cpu-shares int                   CPU shares (relative weight)
      --cpus decimal                     Number of CPUs
      --cpuset-cpus string               CPUs in which to allow execution
                                         (0-3, 0,1)
      --cpuset-mems string               MEMs in which to allow execution
                                         (0-3, 0,1)
  -d, --detach                           Run container in background and
                                         print container ID
      --detach-keys string               Override the key sequence for
                                         detaching a container
      --device list                      Add a host device to the container
      --device-cgroup-rule list          Add a rule to the cgroup allowed
                                         devices list
      --device-read-bps list             Limit read rate (bytes per
                                         second) from a device (default [])
      --device-read-iops list            Limit read rate (IO per second)
                                         from a device (default [])
      --device-write-bps list            Limit write rate (bytes per
                                         second) to a device (default [])
      --device-write-iops list           Limit write rate (IO per second)
                                         to a device (default [])
      --disable-content-trust            Skip image verification (default
                                         true)
      --dns list                         Set custom DNS servers
      --dns-option list                  Set DNS options
      --dns-search list                  Set custom DNS search domains
      --domainname string                Container NIS domain name
      --entrypoint string                Overwrite the default ENTRYPOINT
                                         of the image
  -e, --env list                         Set environment variables
      --env-file list                    Read in a file of environment
                                         variables
      --expose list                      Expose a port or a range of ports
      --gpus gpu-request                 GPU devices to add to the
                                         container ('all' to pass all GPUs)
      --group-add list                   Add additional groups to join
      --health-cmd string                Command to run to check health
      --health-interval duration         Time between running the check
                                         (ms|s|m|h) (default 0s)
      --health-retries int               Consecutive failures needed to
                                         report unhealthy
      --health-start-interval duration   Time between running the check
                                         during the start period
                                         (ms|s|m|h) (default 0s)
      --health-start-period duration     Start period for the container
                                         to initialize before starting
                                         health-retries countdown
                                         (ms|s|m|h) (default 0s)
      --health-timeout duration          Maximum time to allow one check
                                         to run (ms|s|m|h) (default 0s)
      --help                             Print usage
  -h, --hostname string                  Container host name
      --init                             Run an init inside the container
                                         that forwards signals and reaps
                                         processes
  -i, --interactive                      Keep STDIN open even if not attached
      --ip string                        IPv4 address (e.g., 172.30.100.104)
      --ip6 string                       IPv6 address (e.g., 2001:db8::33)
      --ipc string                       IPC mode to use
      --isolation string                 Container isolation technology
      --kernel-memory bytes              Kernel memory limit
  -l, --label list                       Set meta data on a container
      --label-file list                  Read in a line delimited file of
                                         labels
      --link list                        Add link to another container
      --link-local-ip list               Container IPv4/IPv6 link-local
                                         addresses
      --log-driver string                Logging driver for the container
      --log-opt list                     Log driver options
      --mac-address string               Container MAC address (e.g.,
                                         92:d0:c6:0a:29:33)
  -m, --memory bytes                     Memory limit
      --memory-reservation bytes         Memory soft limit
      --memory-swap bytes                Swap limit equal to memory plus
                                         swap: '-1' to enable unlimited swap
      --memory-swappiness int            Tune container memory swappiness
                                         (0 to 100) (default -1)
      --mount mount                      Attach a filesystem mount to the
                                         container
      --name string                      Assign a name to the container
      --network network                  Connect a container to a network
      --network-alias list               Add network-scoped alias for the
                                         container
      --no-healthcheck                   Disable any container-specified
                                         HEALTHCHECK
      --oom-kill-disable                 Disable OOM Killer
      --oom-score-adj int                Tune host's OOM preferences
                                         (-1000 to 1000)
      --pid string                       PID namespace to use
      --pids-limit int                   Tune container pids limit (set
                                         -1 for unlimited)
      --platform string                  Set platform if server is
                                         multi-platform capable
      --privileged                       Give extended privileges to this
                                         container
  -p, --publish list                     Publish a container's port(s) to
                                         the host
  -P, --publish-all                      Publish all exposed ports to
                                         random ports
      --pull string                      Pull image before running
                                         ("always", "missing", "never")
                                         (default "missing")
  -q, --quiet                            Suppress the pull output
      --read-only                        Mount the container's root
                                         filesystem as read only
      --restart string                   Restart policy to apply when a
                                         container exits (default "no")
      --rm                               Automatically remove the
                                         container and its associated
                                         anonymous volumes when it exits
      --runtime string                   Runtime to use for this container
      --security-opt list                Security Options
      --shm-size bytes                   Size of /dev/shm
      --sig-proxy                        Proxy received signals to the
                                         process (default true)
      --stop-signal string               Signal to stop the container
      --stop-timeout int                 Timeout (in seconds) to stop a
                                         container
      --storage-opt list                 Storage driver options for the
                                         container
      --sysctl map                       Sysctl options (default map[])
      --tmpfs list                       Mount a tmpfs directory
  -t, --tty                              Allocate a pseudo-TTY
      --ulimit ulimit                    Ulimit options (default [])
      --use-api-socket                   Bind mount Docker API socket and
                                         required auth
  -u, --user string                      Username or UID (format:
                                         <name|uid>[:<group|gid>])
      --userns string                    User namespace to use
      --uts string                       UTS namespace to use
  -v, --volume list                      Bind mount a volume
      --volume-driver string             Optional volume driver for the
                                         container
      --volumes-from list                Mount volumes from the specified
                                         container(s)
  -w, --workdir string                   Working directory inside the
                                         container
"#
    };
}

macro_rules! body_container_start {
    () => {
        r#"
Start one or more stopped containers

Aliases:
  docker container start, docker start

Options:
  -a, --attach               Attach STDOUT/STDERR and forward signals
      --detach-keys string   Override the key sequence for detaching a
                             container
  -i, --interactive          Attach container's STDIN
"#
    };
}

macro_rules! body_container_stop {
    () => {
        r#"
Stop one or more running containers

Aliases:
  docker container stop, docker stop

Options:
  -s, --signal string   Signal to send to the container
  -t, --timeout int     Seconds to wait before killing the container
"#
    };
}

macro_rules! body_container_top {
    () => {
        r#"
Display the running processes of a container

Aliases:
  docker container top, docker top
"#
    };
}

macro_rules! body_container_unpause {
    () => {
        r#"
Unpause all processes within one or more containers

Aliases:
  docker container unpause, docker unpause
"#
    };
}

macro_rules! body_container_wait {
    () => {
        r#"
Block until one or more containers stop, then print their exit codes

Aliases:
  docker container wait, docker wait
"#
    };
}

macro_rules! body_docker {
    () => {
        r#"
A self-sufficient runtime for containers

Common Commands:
  run         Create and run a new container from an image
  exec        Execute a command in a running container
  ps          List containers
  build       Build an image from a Dockerfile
  pull        Download an image from a registry
  push        Upload an image to a registry
  images      List images
  login       Authenticate to a registry
  logout      Log out from a registry
  search      Search Docker Hub for images
  version     Show the Docker version information
  info        Display system-wide information

Management Commands:
  builder     Manage builds
  container   Manage containers
  context     Manage contexts
  image       Manage images
  manifest    Manage Docker image manifests and manifest lists
  network     Manage networks
  plugin      Manage plugins
  system      Manage Docker
  trust       Manage trust on Docker images
  volume      Manage volumes

Swarm Commands:
  swarm       Manage Swarm

Commands:
  attach      Attach local standard input, output, and error streams to a running container
  commit      Create a new image from a container's changes
  cp          Copy files/folders between a container and the local filesystem
  create      Create a new container
  diff        Inspect changes to files or directories on a container's filesystem
  events      Get real time events from the server
  export      Export a container's filesystem as a tar archive
  history     Show the history of an image
  import      Import the contents from a tarball to create a filesystem image
  inspect     Return low-level information on Docker objects
  kill        Kill one or more running containers
  load        Load an image from a tar archive or STDIN
  logs        Fetch the logs of a container
  pause       Pause all processes within one or more containers
  port        List port mappings or a specific mapping for the container
  rename      Rename a container
  restart     Restart one or more containers
  rm          Remove one or more containers
  rmi         Remove one or more images
  save        Save one or more images to a tar archive (streamed to STDOUT by default)
  start       Start one or more stopped containers
  stats       Display a live stream of container(s) resource usage statistics
  stop        Stop one or more running containers
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
  top         Display the running processes of a container
  unpause     Unpause all processes within one or more containers
  update      Update configuration of one or more containers
  wait        Block until one or more containers stop, then print their exit codes

Global Options:
      --config string      Location of client config files (default
                           "/root/.docker")
  -c, --context string     Name of the context to use to connect to the
                           daemon (overrides DOCKER_HOST env var and
                           default context set with "docker context use")
  -D, --debug              Enable debug mode
  -H, --host list          Daemon socket to connect to
  -l, --log-level string   Set the logging level ("debug", "info",
                           "warn", "error", "fatal") (default "info")
      --tls                Use TLS; implied by --tlsverify
      --tlscacert string   Trust certs signed only by this CA (default
                           "/root/.docker/ca.pem")
      --tlscert string     Path to TLS certificate file (default
                           "/root/.docker/cert.pem")
      --tlskey string      Path to TLS key file (default
                           "/root/.docker/key.pem")
      --tlsverify          Use TLS and verify the remote
  -v, --version            Print version information and quit

Run 'docker COMMAND --help' for more information on a command.

For more help on how to use Docker, head to https://docs.docker.com/go/guides/
"#
    };
}

macro_rules! body_history {
    () => {
        r#"
Show the history of an image

Aliases:
  docker image history, docker history

Options:
      --format string     Format output using a custom template:
                          'table':            Print output in table
                          format with column headers (default)
                          'table TEMPLATE':   Print output in table
                          format using the given Go template
                          'json':             Print in JSON format
                          'TEMPLATE':         Print output using the
                          given Go template.
                          Refer to https://docs.docker.com/go/formatting/
                          for more information about formatting output
                          with templates
  -H, --human             Print sizes and dates in human readable format
                          (default true)
      --no-trunc          Don't truncate output
      --platform string   Show history for the given platform. Formatted
                          as "os[/arch[/variant]]" (e.g., "linux/amd64")
  -q, --quiet             Only show image IDs
"#
    };
}

macro_rules! body_image {
    () => {
        r#"
Manage images

Commands:
  build       Build an image from a Dockerfile
  history     Show the history of an image
  import      Import the contents from a tarball to create a filesystem image
  inspect     Display detailed information on one or more images
  load        Load an image from a tar archive or STDIN
  ls          List images
  prune       Remove unused images
  pull        Download an image from a registry
  push        Upload an image to a registry
  rm          Remove one or more images
  save        Save one or more images to a tar archive (streamed to STDOUT by default)
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE

Run 'docker image COMMAND --help' for more information on a command.
"#
    };
}

macro_rules! body_image_inspect {
    () => {
        r#"
Display detailed information on one or more images

Options:
  -f, --format string     Format output using a custom template:
                          'json':             Print in JSON format
                          'TEMPLATE':         Print output using the
                          given Go template.
                          Refer to https://docs.docker.com/go/formatting/
                          for more information about formatting output
                          with templates
      --platform string   Inspect a specific platform of the
                          multi-platform image.
                          If the image or the server is not
                          multi-platform capable, the command will error
                          out if the platform does not match.
                          'os[/arch[/variant]]': Explicit platform (eg.
                          linux/amd64)
"#
    };
}

macro_rules! body_image_list {
    () => {
        r#"
List images

Aliases:
  docker image ls, docker image list, docker images

Options:
  -a, --all             Show all images (default hides intermediate images)
      --digests         Show digests
  -f, --filter filter   Filter output based on conditions provided
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
                        'table TEMPLATE':   Print output in table format
                        using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
      --no-trunc        Don't truncate output
  -q, --quiet           Only show image IDs
      --tree            List multi-platform images as a tree (EXPERIMENTAL)
"#
    };
}

macro_rules! body_image_prune {
    () => {
        r#"
Remove unused images

Options:
  -a, --all             Remove all unused images, not just dangling ones
      --filter filter   Provide filter values (e.g. "until=<timestamp>")
  -f, --force           Do not prompt for confirmation
"#
    };
}

macro_rules! body_image_pull {
    () => {
        r#"
Download an image from a registry

Aliases:
  docker image pull, docker pull

Options:
  -a, --all-tags                Download all tagged images in the repository
      --disable-content-trust   Skip image verification (default true)
      --platform string         Set platform if server is multi-platform
                                capable
  -q, --quiet                   Suppress verbose output
"#
    };
}

macro_rules! body_image_push {
    () => {
        r#"
Upload an image to a registry

Aliases:
  docker image push, docker push

Options:
  -a, --all-tags                Push all tags of an image to the repository
      --disable-content-trust   Skip image signing (default true)
      --platform string         Push a platform-specific manifest as a
                                single-platform image to the registry.
                                Image index won't be pushed, meaning that
                                other manifests, including attestations
                                won't be preserved.
                                'os[/arch[/variant]]': Explicit platform
                                (eg. linux/amd64)
  -q, --quiet                   Suppress verbose output
"#
    };
}

macro_rules! body_image_rm {
    () => {
        r#"
Remove one or more images

Aliases:
  docker image rm, docker image remove, docker rmi

Options:
  -f, --force              Force removal of the image
      --no-prune           Do not delete untagged parents
      --platform strings   Remove only the given platform variant.
                           Formatted as "os[/arch[/variant]]" (e.g.,
                           "linux/amd64")
"#
    };
}

macro_rules! body_image_save {
    () => {
        r#"
Save one or more images to a tar archive (streamed to STDOUT by default)

Aliases:
  docker image save, docker save

Options:
  -o, --output string     Write to a file, instead of STDOUT
      --platform string   Save only the given platform variant. Formatted
                          as "os[/arch[/variant]]" (e.g., "linux/amd64")
"#
    };
}

macro_rules! body_image_load {
    () => {
        r#"
Load an image from a tar archive or STDIN

Aliases:
  docker image load, docker load

Options:
  -i, --input string      Read from tar archive file, instead of STDIN
      --platform string   Load only the given platform variant. Formatted
                          as "os[/arch[/variant]]" (e.g., "linux/amd64")
  -q, --quiet             Suppress the load output
"#
    };
}

macro_rules! body_image_tag {
    () => {
        r#"
Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE

Aliases:
  docker image tag, docker tag
"#
    };
}

macro_rules! body_inspect {
    () => {
        r#"
Return low-level information on Docker objects

Options:
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
  -s, --size            Display total file sizes if the type is container
      --type string     Only inspect objects of the given type
"#
    };
}

macro_rules! body_login {
    () => {
        r#"
Authenticate to a registry.
Defaults to Docker Hub if no server is specified.

Options:
  -p, --password string   Password or Personal Access Token (PAT)
      --password-stdin    Take the Password or Personal Access Token
                          (PAT) from stdin
  -u, --username string   Username
"#
    };
}

macro_rules! body_logout {
    () => {
        r#"
Log out from a registry.
If no server is specified, the default is defined by the daemon.
"#
    };
}

macro_rules! body_version {
    () => {
        r#"
Show the Docker version information

Options:
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
"#
    };
}

/// Every command for which [`help`] has a text (canonical keys).
pub const COMMANDS: &[&str] = &[
    "build",
    "commit",
    "container",
    "container commit",
    "container create",
    "container exec",
    "container inspect",
    "container kill",
    "container list",
    "container logs",
    "container ls",
    "container pause",
    "container port",
    "container prune",
    "container ps",
    "container rename",
    "container restart",
    "container rm",
    "container run",
    "container start",
    "container stop",
    "container top",
    "container unpause",
    "container wait",
    "create",
    "docker",
    "exec",
    "history",
    "image",
    "image build",
    "image history",
    "image inspect",
    "image list",
    "image ls",
    "image prune",
    "image pull",
    "image push",
    "image rm",
    "image load",
    "image save",
    "image tag",
    "images",
    "inspect",
    "kill",
    "load",
    "login",
    "logout",
    "logs",
    "pause",
    "port",
    "ps",
    "pull",
    "push",
    "rename",
    "restart",
    "rm",
    "rmi",
    "run",
    "save",
    "start",
    "stop",
    "tag",
    "top",
    "unpause",
    "version",
    "wait",
    "cp",
    "container cp",
    "diff",
    "container diff",
    "stats",
    "container stats",
    "info",
    "system",
    "system df",
    "system info",
    "system prune",
    "search",
    "network",
    "network create",
    "network inspect",
    "network ls",
    "network list",
    "network prune",
    "network rm",
    "network remove",
    "volume",
    "volume create",
    "volume inspect",
    "volume ls",
    "volume list",
    "volume prune",
    "volume rm",
    "volume remove",
    "buildx",
    "buildx build",
    "buildx create",
    "buildx use",
    "buildx ls",
    "buildx rm",
    "buildx inspect",
    "buildx imagetools",
    "buildx imagetools inspect",
    "manifest",
    "manifest create",
    "manifest inspect",
    "manifest push",
    "manifest rm",
    "network connect",
    "network disconnect",
];

/// The help texts of the commands added for issue 11 (`cp`, `diff`, `stats`, `info`, `system`, `search`,
/// `network`, `volume`), as the 28.2.2 client prints them (captured with `docker X --help`): key, text.
const MORE: &[(&str, &str)] = &[
    (
        "network connect",
        r#"Usage:  docker network connect [OPTIONS] NETWORK CONTAINER

Connect a container to a network

Options:
      --alias strings           Add network-scoped alias for the container
      --driver-opt strings      driver options for the network
      --gw-priority int         Highest gw-priority provides the default
                                gateway. Accepts positive and negative values.
      --ip string               IPv4 address (e.g., "172.30.100.104")
      --ip6 string              IPv6 address (e.g., "2001:db8::33")
      --link list               Add link to another container
      --link-local-ip strings   Add a link-local address for the container
"#,
    ),
    (
        "network disconnect",
        r#"Usage:  docker network disconnect [OPTIONS] NETWORK CONTAINER

Disconnect a container from a network

Options:
  -f, --force   Force the container to disconnect from a network
"#,
    ),
    (
        "volume prune",
        r#"Usage:  docker volume prune [OPTIONS]

Remove unused local volumes

Options:
  -a, --all             Remove all unused volumes, not just anonymous ones
      --filter filter   Provide filter values (e.g. "label=<label>")
  -f, --force           Do not prompt for confirmation
"#,
    ),
    (
        "network prune",
        r#"Usage:  docker network prune [OPTIONS]

Remove all unused networks

Options:
      --filter filter   Provide filter values (e.g. "until=<timestamp>")
  -f, --force           Do not prompt for confirmation
"#,
    ),
    (
        "cp",
        r#"Usage:  docker cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-
	docker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH

Copy files/folders between a container and the local filesystem

Use '-' as the source to read a tar archive from stdin
and extract it to a directory destination in a container.
Use '-' as the destination to stream a tar archive of a
container source to stdout.

Aliases:
  docker container cp, docker cp

Options:
  -a, --archive       Archive mode (copy all uid/gid information)
  -L, --follow-link   Always follow symbol link in SRC_PATH
  -q, --quiet         Suppress progress output during copy. Progress
                      output is automatically suppressed if no terminal
                      is attached
"#,
    ),
    (
        "diff",
        r#"Usage:  docker diff CONTAINER

Inspect changes to files or directories on a container's filesystem

Aliases:
  docker container diff, docker diff
"#,
    ),
    (
        "stats",
        r#"Usage:  docker stats [OPTIONS] [CONTAINER...]

Display a live stream of container(s) resource usage statistics

Aliases:
  docker container stats, docker stats

Options:
  -a, --all             Show all containers (default shows just running)
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
                        'table TEMPLATE':   Print output in table format
                        using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
      --no-stream       Disable streaming stats and only pull the first result
      --no-trunc        Do not truncate output
"#,
    ),
    (
        "info",
        r#"Usage:  docker info [OPTIONS]

Display system-wide information

Aliases:
  docker system info, docker info

Options:
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
"#,
    ),
    (
        "system",
        r#"Usage:  docker system COMMAND

Manage Docker

Commands:
  df          Show docker disk usage
  events      Get real time events from the server
  info        Display system-wide information
  prune       Remove unused data

Run 'docker system COMMAND --help' for more information on a command.
"#,
    ),
    (
        "system df",
        r#"Usage:  docker system df [OPTIONS]

Show docker disk usage

Options:
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
                        'table TEMPLATE':   Print output in table format
                        using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
  -v, --verbose         Show detailed information on space usage
"#,
    ),
    (
        "system prune",
        r#"Usage:  docker system prune [OPTIONS]

Remove unused data

Options:
  -a, --all             Remove all unused images not just dangling ones
      --filter filter   Provide filter values (e.g. "label=<key>=<value>")
  -f, --force           Do not prompt for confirmation
      --volumes         Prune anonymous volumes
"#,
    ),
    (
        "search",
        r#"Usage:  docker search [OPTIONS] TERM

Search Docker Hub for images

Options:
  -f, --filter filter   Filter output based on conditions provided
      --format string   Pretty-print search using a Go template
      --limit int       Max number of search results
      --no-trunc        Don't truncate output
"#,
    ),
    (
        "network",
        r#"Usage:  docker network COMMAND

Manage networks

Commands:
  connect     Connect a container to a network
  create      Create a network
  disconnect  Disconnect a container from a network
  inspect     Display detailed information on one or more networks
  ls          List networks
  prune       Remove all unused networks
  rm          Remove one or more networks

Run 'docker network COMMAND --help' for more information on a command.
"#,
    ),
    (
        "network ls",
        r#"Usage:  docker network ls [OPTIONS]

List networks

Aliases:
  docker network ls, docker network list

Options:
  -f, --filter filter   Provide filter values (e.g. "driver=bridge")
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
                        'table TEMPLATE':   Print output in table format
                        using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
      --no-trunc        Do not truncate the output
  -q, --quiet           Only display network IDs
"#,
    ),
    (
        "network create",
        r#"Usage:  docker network create [OPTIONS] NETWORK

Create a network

Options:
      --attachable           Enable manual container attachment
      --aux-address map      Auxiliary IPv4 or IPv6 addresses used by
                             Network driver (default map[])
      --config-from string   The network from which to copy the configuration
      --config-only          Create a configuration only network
  -d, --driver string        Driver to manage the Network (default "bridge")
      --gateway strings      IPv4 or IPv6 Gateway for the master subnet
      --ingress              Create swarm routing-mesh network
      --internal             Restrict external access to the network
      --ip-range strings     Allocate container ip from a sub-range
      --ipam-driver string   IP Address Management Driver (default "default")
      --ipam-opt map         Set IPAM driver specific options (default map[])
      --ipv4                 Enable or disable IPv4 address assignment
                             (default true)
      --ipv6                 Enable or disable IPv6 address assignment
      --label list           Set metadata on a network
  -o, --opt map              Set driver specific options (default map[])
      --scope string         Control the network's scope
      --subnet strings       Subnet in CIDR format that represents a
                             network segment
"#,
    ),
    (
        "network rm",
        r#"Usage:  docker network rm NETWORK [NETWORK...]

Remove one or more networks

Aliases:
  docker network rm, docker network remove

Options:
  -f, --force   Do not error if the network does not exist
"#,
    ),
    (
        "network inspect",
        r#"Usage:  docker network inspect [OPTIONS] NETWORK [NETWORK...]

Display detailed information on one or more networks

Options:
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
  -v, --verbose         Verbose output for diagnostics
"#,
    ),
    (
        "volume",
        r#"Usage:  docker volume COMMAND

Manage volumes

Commands:
  create      Create a volume
  inspect     Display detailed information on one or more volumes
  ls          List volumes
  prune       Remove unused local volumes
  rm          Remove one or more volumes

Run 'docker volume COMMAND --help' for more information on a command.
"#,
    ),
    (
        "volume ls",
        r#"Usage:  docker volume ls [OPTIONS]

List volumes

Aliases:
  docker volume ls, docker volume list

Options:
  -f, --filter filter   Provide filter values (e.g. "dangling=true")
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
                        'table TEMPLATE':   Print output in table format
                        using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
  -q, --quiet           Only display volume names
"#,
    ),
    (
        "volume create",
        r#"Usage:  docker volume create [OPTIONS] [VOLUME]

Create a volume

Options:
  -d, --driver string   Specify volume driver name (default "local")
      --label list      Set metadata for a volume
  -o, --opt map         Set driver specific options (default map[])
"#,
    ),
    (
        "volume rm",
        r#"Usage:  docker volume rm [OPTIONS] VOLUME [VOLUME...]

Remove one or more volumes. You cannot remove a volume that is in use by a container.

Aliases:
  docker volume rm, docker volume remove

Options:
  -f, --force   Force the removal of one or more volumes
"#,
    ),
    (
        "volume inspect",
        r#"Usage:  docker volume inspect [OPTIONS] VOLUME [VOLUME...]

Display detailed information on one or more volumes

Options:
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
"#,
    ),
    (
        "container cp",
        r#"Usage:  docker container cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-
	docker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH

Copy files/folders between a container and the local filesystem

Use '-' as the source to read a tar archive from stdin
and extract it to a directory destination in a container.
Use '-' as the destination to stream a tar archive of a
container source to stdout.

Aliases:
  docker container cp, docker cp

Options:
  -a, --archive       Archive mode (copy all uid/gid information)
  -L, --follow-link   Always follow symbol link in SRC_PATH
  -q, --quiet         Suppress progress output during copy. Progress
                      output is automatically suppressed if no terminal
                      is attached
"#,
    ),
    (
        "container diff",
        r#"Usage:  docker container diff CONTAINER

Inspect changes to files or directories on a container's filesystem

Aliases:
  docker container diff, docker diff
"#,
    ),
    (
        "container stats",
        r#"Usage:  docker container stats [OPTIONS] [CONTAINER...]

Display a live stream of container(s) resource usage statistics

Aliases:
  docker container stats, docker stats

Options:
  -a, --all             Show all containers (default shows just running)
      --format string   Format output using a custom template:
                        'table':            Print output in table format
                        with column headers (default)
                        'table TEMPLATE':   Print output in table format
                        using the given Go template
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
      --no-stream       Disable streaming stats and only pull the first result
      --no-trunc        Do not truncate output
"#,
    ),
    (
        "system info",
        r#"Usage:  docker system info [OPTIONS]

Display system-wide information

Aliases:
  docker system info, docker info

Options:
  -f, --format string   Format output using a custom template:
                        'json':             Print in JSON format
                        'TEMPLATE':         Print output using the given
                        Go template.
                        Refer to https://docs.docker.com/go/formatting/
                        for more information about formatting output with
                        templates
"#,
    ),
    (
        "buildx create",
        r#"Usage:  docker buildx create [OPTIONS] [CONTEXT|ENDPOINT]

Create a new builder instance

Options:
      --append                    Append a node to builder instead of changing
                                  it
      --bootstrap                 Boot builder after creation
      --buildkitd-config string   BuildKit daemon config file
      --buildkitd-flags string    BuildKit daemon flags
  -D, --debug                     Enable debug logging
      --driver string             Driver to use (available: "docker-container",
                                  "kubernetes", "remote")
      --driver-opt stringArray    Options for the driver
      --leave                     Remove a node from builder instead of
                                  changing it
      --name string               Builder instance name
      --node string               Create/modify node with given name
      --platform stringArray      Fixed platforms for current node
      --use                       Set the current builder instance
"#,
    ),
    (
        "buildx ls",
        r#"Usage:  docker buildx ls [OPTIONS]

List builder instances

Options:
  -D, --debug           Enable debug logging
      --format string   Format the output (default "table")
      --no-trunc        Don't truncate output
"#,
    ),
    (
        "buildx use",
        r#"Usage:  docker buildx use [OPTIONS] NAME

Set the current builder instance

Options:
      --builder string   Override the configured builder instance
  -D, --debug            Enable debug logging
      --default          Set builder as default for current context
      --global           Builder persists context changes
"#,
    ),
    (
        "buildx rm",
        r#"Usage:  docker buildx rm [OPTIONS] [NAME...]

Remove one or more builder instances

Options:
      --all-inactive     Remove all inactive builders
      --builder string   Override the configured builder instance
  -D, --debug            Enable debug logging
  -f, --force            Do not prompt for confirmation
      --keep-daemon      Keep the BuildKit daemon running
      --keep-state       Keep BuildKit state
"#,
    ),
    (
        "buildx inspect",
        r#"Usage:  docker buildx inspect [NAME]

Inspect current builder instance

Options:
      --bootstrap        Ensure builder has booted before inspecting
      --builder string   Override the configured builder instance
  -D, --debug            Enable debug logging
"#,
    ),
    (
        "buildx imagetools inspect",
        r#"Usage:  docker buildx imagetools inspect [OPTIONS] NAME

Show details of an image in the registry

Options:
      --builder string   Override the configured builder instance
  -D, --debug            Enable debug logging
      --format string    Format the output using the given Go template (default
                         "{{.Manifest}}")
      --raw              Show original, unformatted JSON manifest
"#,
    ),
    (
        "buildx",
        r#"Usage:  docker buildx [OPTIONS] COMMAND

Extended build capabilities with BuildKit

Options:
      --builder string   Override the configured builder instance
  -D, --debug            Enable debug logging

Management Commands:
  history     Commands to work on build records
  imagetools  Commands to work on images in registry

Commands:
  bake        Build from a file
  build       Start a build
  create      Create a new builder instance
  dial-stdio  Proxy current stdio streams to builder instance
  du          Disk usage
  inspect     Inspect current builder instance
  ls          List builder instances
  prune       Remove build cache
  rm          Remove one or more builder instances
  stop        Stop builder instance
  use         Set the current builder instance
  version     Show buildx version information

Run 'docker buildx COMMAND --help' for more information on a command.
"#,
    ),
    (
        "buildx imagetools",
        r#"Usage:  docker buildx imagetools [OPTIONS] COMMAND

Commands to work on images in registry

Options:
      --builder string   Override the configured builder instance
  -D, --debug            Enable debug logging

Commands:
  create      Create a new image based on source images
  inspect     Show details of an image in the registry

Run 'docker buildx imagetools COMMAND --help' for more information on a command.
"#,
    ),
    (
        "manifest",
        r#"Usage:  docker manifest COMMAND

The **docker manifest** command has subcommands for managing image manifests and
manifest lists. A manifest list allows you to use one name to refer to the same image
built for multiple architectures.

To see help for a subcommand, use:

    docker manifest CMD --help

For full details on using docker manifest lists, see the registry v2 specification.

EXPERIMENTAL:
  docker manifest is an experimental feature.
  Experimental features provide early access to product functionality. These
  features may change between releases without warning, or can be removed from a
  future release. Learn more about experimental features in our documentation:
  https://docs.docker.com/go/experimental/

Commands:
  annotate    Add additional information to a local image manifest
  create      Create a local manifest list for annotating and pushing to a registry
  inspect     Display an image manifest, or manifest list
  push        Push a manifest list to a repository
  rm          Delete one or more manifest lists from local storage

Run 'docker manifest COMMAND --help' for more information on a command.
"#,
    ),
    (
        "manifest create",
        r#"Usage:  docker manifest create MANIFEST_LIST MANIFEST [MANIFEST...]

Create a local manifest list for annotating and pushing to a registry

EXPERIMENTAL:
  docker manifest create is an experimental feature.
  Experimental features provide early access to product functionality. These
  features may change between releases without warning, or can be removed from a
  future release. Learn more about experimental features in our documentation:
  https://docs.docker.com/go/experimental/

Options:
  -a, --amend      Amend an existing manifest list
      --insecure   Allow communication with an insecure registry
"#,
    ),
    (
        "manifest inspect",
        r#"Usage:  docker manifest inspect [OPTIONS] [MANIFEST_LIST] MANIFEST

Display an image manifest, or manifest list

EXPERIMENTAL:
  docker manifest inspect is an experimental feature.
  Experimental features provide early access to product functionality. These
  features may change between releases without warning, or can be removed from a
  future release. Learn more about experimental features in our documentation:
  https://docs.docker.com/go/experimental/

Options:
      --insecure   Allow communication with an insecure registry
  -v, --verbose    Output additional info including layers and platform
"#,
    ),
    (
        "manifest push",
        r#"Usage:  docker manifest push [OPTIONS] MANIFEST_LIST

Push a manifest list to a repository

EXPERIMENTAL:
  docker manifest push is an experimental feature.
  Experimental features provide early access to product functionality. These
  features may change between releases without warning, or can be removed from a
  future release. Learn more about experimental features in our documentation:
  https://docs.docker.com/go/experimental/

Options:
      --insecure   Allow push to an insecure registry
  -p, --purge      Remove the local manifest list after push
"#,
    ),
    (
        "manifest rm",
        r#"Usage:  docker manifest rm MANIFEST_LIST [MANIFEST_LIST...]

Delete one or more manifest lists from local storage

EXPERIMENTAL:
  docker manifest rm is an experimental feature.
  Experimental features provide early access to product functionality. These
  features may change between releases without warning, or can be removed from a
  future release. Learn more about experimental features in our documentation:
  https://docs.docker.com/go/experimental/
"#,
    ),
];

/// `network list` prints `network ls`'s help, as `image list` prints `image ls`'s.
fn canonical_alias(key: &str) -> &str {
    match key {
        "network list" => "network ls",
        "network remove" => "network rm",
        "volume list" => "volume ls",
        "volume remove" => "volume rm",
        k => k,
    }
}

/// A text of [`MORE`].
fn more(key: &str) -> Option<&'static str> {
    let key = canonical_alias(key);
    MORE.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

/// Normalises a command key: surrounding spaces and a leading `docker`
/// are dropped, inner runs of spaces collapse; the root is `"docker"`.
fn key(command: &str) -> String {
    let words: Vec<&str> = command.split_whitespace().collect();
    let words = match words.split_first() {
        Some((&"docker", rest)) => rest,
        _ => &words[..],
    };
    if words.is_empty() {
        "docker".to_string()
    } else {
        words.join(" ")
    }
}

/// The exact `docker <command> --help` output (stdout), e.g. `help("run")`,
/// `help("image prune")`, `help("docker")` (or `""`) for `docker --help`.
/// Alias forms such as `"container run"` or `"image list"` print their own
/// canonical command path, as the real client does.
pub fn help(command: &str) -> Option<&'static str> {
    let text = match key(command).as_str() {
        "build" => concat!(
            "Usage:  docker build [OPTIONS] PATH | URL | -\n",
            body_build!()
        ),
        "commit" => concat!(
            "Usage:  docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]\n",
            body_commit!()
        ),
        "container" => concat!("Usage:  docker container COMMAND\n", body_container!()),
        "container commit" => concat!(
            "Usage:  docker container commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]\n",
            body_commit!()
        ),
        "container create" => concat!(
            "Usage:  docker container create [OPTIONS] IMAGE [COMMAND] [ARG...]\n",
            body_container_create!()
        ),
        "container exec" => concat!(
            "Usage:  docker container exec [OPTIONS] CONTAINER COMMAND [ARG...]\n",
            body_container_exec!()
        ),
        "container inspect" => concat!(
            "Usage:  docker container inspect [OPTIONS] CONTAINER [CONTAINER...]\n",
            body_container_inspect!()
        ),
        "container kill" => concat!(
            "Usage:  docker container kill [OPTIONS] CONTAINER [CONTAINER...]\n",
            body_container_kill!()
        ),
        "container list" => concat!(
            "Usage:  docker container ls [OPTIONS]\n",
            body_container_list!()
        ),
        "container logs" => concat!(
            "Usage:  docker container logs [OPTIONS] CONTAINER\n",
            body_container_logs!()
        ),
        "container ls" => concat!(
            "Usage:  docker container ls [OPTIONS]\n",
            body_container_list!()
        ),
        "container pause" => concat!(
            "Usage:  docker container pause CONTAINER [CONTAINER...]\n",
            body_container_pause!()
        ),
        "container port" => concat!(
            "Usage:  docker container port CONTAINER [PRIVATE_PORT[/PROTO]]\n",
            body_container_port!()
        ),
        "container prune" => concat!(
            "Usage:  docker container prune [OPTIONS]\n",
            body_container_prune!()
        ),
        "container ps" => concat!(
            "Usage:  docker container ls [OPTIONS]\n",
            body_container_list!()
        ),
        "container rename" => concat!(
            "Usage:  docker container rename CONTAINER NEW_NAME\n",
            body_container_rename!()
        ),
        "container restart" => concat!(
            "Usage:  docker container restart [OPTIONS] CONTAINER [CONTAINER...]\n",
            body_container_restart!()
        ),
        "container rm" => concat!(
            "Usage:  docker container rm [OPTIONS] CONTAINER [CONTAINER...]\n",
            body_container_rm!()
        ),
        "container run" => concat!(
            "Usage:  docker container run [OPTIONS] IMAGE [COMMAND] [ARG...]\n",
            body_container_run!()
        ),
        "container start" => concat!(
            "Usage:  docker container start [OPTIONS] CONTAINER [CONTAINER...]\n",
            body_container_start!()
        ),
        "container stop" => concat!(
            "Usage:  docker container stop [OPTIONS] CONTAINER [CONTAINER...]\n",
            body_container_stop!()
        ),
        "container top" => concat!(
            "Usage:  docker container top CONTAINER [ps OPTIONS]\n",
            body_container_top!()
        ),
        "container unpause" => concat!(
            "Usage:  docker container unpause CONTAINER [CONTAINER...]\n",
            body_container_unpause!()
        ),
        "container wait" => concat!(
            "Usage:  docker container wait CONTAINER [CONTAINER...]\n",
            body_container_wait!()
        ),
        "create" => concat!(
            "Usage:  docker create [OPTIONS] IMAGE [COMMAND] [ARG...]\n",
            body_container_create!()
        ),
        "docker" => concat!("Usage:  docker [OPTIONS] COMMAND\n", body_docker!()),
        "exec" => concat!(
            "Usage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n",
            body_container_exec!()
        ),
        "history" => concat!("Usage:  docker history [OPTIONS] IMAGE\n", body_history!()),
        "image" => concat!("Usage:  docker image COMMAND\n", body_image!()),
        "image build" => concat!(
            "Usage:  docker image build [OPTIONS] PATH | URL | -\n",
            body_build!()
        ),
        "buildx build" => concat!(
            "Usage:  docker buildx build [OPTIONS] PATH | URL | -\n",
            body_build!()
        ),
        "image history" => concat!(
            "Usage:  docker image history [OPTIONS] IMAGE\n",
            body_history!()
        ),
        "image inspect" => concat!(
            "Usage:  docker image inspect [OPTIONS] IMAGE [IMAGE...]\n",
            body_image_inspect!()
        ),
        "image list" => concat!(
            "Usage:  docker image ls [OPTIONS] [REPOSITORY[:TAG]]\n",
            body_image_list!()
        ),
        "image ls" => concat!(
            "Usage:  docker image ls [OPTIONS] [REPOSITORY[:TAG]]\n",
            body_image_list!()
        ),
        "image prune" => concat!(
            "Usage:  docker image prune [OPTIONS]\n",
            body_image_prune!()
        ),
        "image pull" => concat!(
            "Usage:  docker image pull [OPTIONS] NAME[:TAG|@DIGEST]\n",
            body_image_pull!()
        ),
        "image push" => concat!(
            "Usage:  docker image push [OPTIONS] NAME[:TAG]\n",
            body_image_push!()
        ),
        "image rm" => concat!(
            "Usage:  docker image rm [OPTIONS] IMAGE [IMAGE...]\n",
            body_image_rm!()
        ),
        "image load" => concat!("Usage:  docker image load [OPTIONS]\n", body_image_load!()),
        "load" => concat!("Usage:  docker load [OPTIONS]\n", body_image_load!()),
        "image save" => concat!(
            "Usage:  docker image save [OPTIONS] IMAGE [IMAGE...]\n",
            body_image_save!()
        ),
        "image tag" => concat!(
            "Usage:  docker image tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n",
            body_image_tag!()
        ),
        "images" => concat!(
            "Usage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n",
            body_image_list!()
        ),
        "inspect" => concat!(
            "Usage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]\n",
            body_inspect!()
        ),
        "kill" => concat!(
            "Usage:  docker kill [OPTIONS] CONTAINER [CONTAINER...]\n",
            body_container_kill!()
        ),
        "login" => concat!("Usage:  docker login [OPTIONS] [SERVER]\n", body_login!()),
        "logout" => concat!("Usage:  docker logout [SERVER]\n", body_logout!()),
        "version" => concat!("Usage:  docker version [OPTIONS]\n", body_version!()),
        "logs" => concat!(
            "Usage:  docker logs [OPTIONS] CONTAINER\n",
            body_container_logs!()
        ),
        "pause" => concat!(
            "Usage:  docker pause CONTAINER [CONTAINER...]\n",
            body_container_pause!()
        ),
        "port" => concat!(
            "Usage:  docker port CONTAINER [PRIVATE_PORT[/PROTO]]\n",
            body_container_port!()
        ),
        "ps" => concat!("Usage:  docker ps [OPTIONS]\n", body_container_list!()),
        "pull" => concat!(
            "Usage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]\n",
            body_image_pull!()
        ),
        "push" => concat!(
            "Usage:  docker push [OPTIONS] NAME[:TAG]\n",
            body_image_push!()
        ),
        "rename" => concat!(
            "Usage:  docker rename CONTAINER NEW_NAME\n",
            body_container_rename!()
        ),
        "restart" => concat!(
            "Usage:  docker restart [OPTIONS] CONTAINER [CONTAINER...]\n",
            body_container_restart!()
        ),
        "rm" => concat!(
            "Usage:  docker rm [OPTIONS] CONTAINER [CONTAINER...]\n",
            body_container_rm!()
        ),
        "rmi" => concat!(
            "Usage:  docker rmi [OPTIONS] IMAGE [IMAGE...]\n",
            body_image_rm!()
        ),
        "run" => concat!(
            "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n",
            body_container_run!()
        ),
        "save" => concat!(
            "Usage:  docker save [OPTIONS] IMAGE [IMAGE...]\n",
            body_image_save!()
        ),
        "start" => concat!(
            "Usage:  docker start [OPTIONS] CONTAINER [CONTAINER...]\n",
            body_container_start!()
        ),
        "stop" => concat!(
            "Usage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n",
            body_container_stop!()
        ),
        "tag" => concat!(
            "Usage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n",
            body_image_tag!()
        ),
        "top" => concat!(
            "Usage:  docker top CONTAINER [ps OPTIONS]\n",
            body_container_top!()
        ),
        "unpause" => concat!(
            "Usage:  docker unpause CONTAINER [CONTAINER...]\n",
            body_container_unpause!()
        ),
        "wait" => concat!(
            "Usage:  docker wait CONTAINER [CONTAINER...]\n",
            body_container_wait!()
        ),
        k => return more(k),
    };
    Some(text)
}

/// The usage line as error messages print it after `Usage:  ` (cobra's
/// `UseLine`), e.g. `"docker run [OPTIONS] IMAGE [COMMAND] [ARG...]"`.
///
/// For commands with subcommands this differs from the help header:
/// `docker` gives `docker [OPTIONS] COMMAND [ARG...]` (help shows
/// `docker [OPTIONS] COMMAND`), `image` and `container` give `docker image` /
/// `docker container` (help shows `... COMMAND`).
pub fn usage_line(command: &str) -> Option<&'static str> {
    let line = match key(command).as_str() {
        "docker" => "docker [OPTIONS] COMMAND [ARG...]",
        "image" => "docker image",
        "container" => "docker container",
        "build" => "docker build [OPTIONS] PATH | URL | -",
        "commit" => "docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
        "container commit" => "docker container commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
        "container create" => "docker container create [OPTIONS] IMAGE [COMMAND] [ARG...]",
        "container exec" => "docker container exec [OPTIONS] CONTAINER COMMAND [ARG...]",
        "container inspect" => "docker container inspect [OPTIONS] CONTAINER [CONTAINER...]",
        "container kill" => "docker container kill [OPTIONS] CONTAINER [CONTAINER...]",
        "container list" => "docker container ls [OPTIONS]",
        "container logs" => "docker container logs [OPTIONS] CONTAINER",
        "container ls" => "docker container ls [OPTIONS]",
        "container pause" => "docker container pause CONTAINER [CONTAINER...]",
        "container port" => "docker container port CONTAINER [PRIVATE_PORT[/PROTO]]",
        "container prune" => "docker container prune [OPTIONS]",
        "container ps" => "docker container ls [OPTIONS]",
        "container rename" => "docker container rename CONTAINER NEW_NAME",
        "container restart" => "docker container restart [OPTIONS] CONTAINER [CONTAINER...]",
        "container rm" => "docker container rm [OPTIONS] CONTAINER [CONTAINER...]",
        "container run" => "docker container run [OPTIONS] IMAGE [COMMAND] [ARG...]",
        "container start" => "docker container start [OPTIONS] CONTAINER [CONTAINER...]",
        "container stop" => "docker container stop [OPTIONS] CONTAINER [CONTAINER...]",
        "container top" => "docker container top CONTAINER [ps OPTIONS]",
        "container unpause" => "docker container unpause CONTAINER [CONTAINER...]",
        "container wait" => "docker container wait CONTAINER [CONTAINER...]",
        "create" => "docker create [OPTIONS] IMAGE [COMMAND] [ARG...]",
        "exec" => "docker exec [OPTIONS] CONTAINER COMMAND [ARG...]",
        "history" => "docker history [OPTIONS] IMAGE",
        "image build" => "docker image build [OPTIONS] PATH | URL | -",
        "buildx build" => "docker buildx build [OPTIONS] PATH | URL | -",
        "image history" => "docker image history [OPTIONS] IMAGE",
        "image inspect" => "docker image inspect [OPTIONS] IMAGE [IMAGE...]",
        "image list" => "docker image ls [OPTIONS] [REPOSITORY[:TAG]]",
        "image ls" => "docker image ls [OPTIONS] [REPOSITORY[:TAG]]",
        "image prune" => "docker image prune [OPTIONS]",
        "image pull" => "docker image pull [OPTIONS] NAME[:TAG|@DIGEST]",
        "image push" => "docker image push [OPTIONS] NAME[:TAG]",
        "image rm" => "docker image rm [OPTIONS] IMAGE [IMAGE...]",
        "image load" => "docker image load [OPTIONS]",
        "load" => "docker load [OPTIONS]",
        "image save" => "docker image save [OPTIONS] IMAGE [IMAGE...]",
        "image tag" => "docker image tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        "images" => "docker images [OPTIONS] [REPOSITORY[:TAG]]",
        "inspect" => "docker inspect [OPTIONS] NAME|ID [NAME|ID...]",
        "kill" => "docker kill [OPTIONS] CONTAINER [CONTAINER...]",
        "login" => "docker login [OPTIONS] [SERVER]",
        "logout" => "docker logout [SERVER]",
        "logs" => "docker logs [OPTIONS] CONTAINER",
        "pause" => "docker pause CONTAINER [CONTAINER...]",
        "port" => "docker port CONTAINER [PRIVATE_PORT[/PROTO]]",
        "ps" => "docker ps [OPTIONS]",
        "pull" => "docker pull [OPTIONS] NAME[:TAG|@DIGEST]",
        "push" => "docker push [OPTIONS] NAME[:TAG]",
        "rename" => "docker rename CONTAINER NEW_NAME",
        "restart" => "docker restart [OPTIONS] CONTAINER [CONTAINER...]",
        "rm" => "docker rm [OPTIONS] CONTAINER [CONTAINER...]",
        "rmi" => "docker rmi [OPTIONS] IMAGE [IMAGE...]",
        "run" => "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
        "save" => "docker save [OPTIONS] IMAGE [IMAGE...]",
        "start" => "docker start [OPTIONS] CONTAINER [CONTAINER...]",
        "stop" => "docker stop [OPTIONS] CONTAINER [CONTAINER...]",
        "tag" => "docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        "top" => "docker top CONTAINER [ps OPTIONS]",
        "unpause" => "docker unpause CONTAINER [CONTAINER...]",
        "version" => "docker version [OPTIONS]",
        "wait" => "docker wait CONTAINER [CONTAINER...]",
        "system" => "docker system",
        "network" => "docker network",
        "volume" => "docker volume",
        // The usage block of the help text: one line, or two for `cp`.
        k => more(k)?.strip_prefix("Usage:  ")?.split("\n\n").next()?,
    };
    Some(line)
}

/// The command's one-line description (cobra `Short`) as listed by
/// `docker --help`, `docker image --help` and `docker container --help`,
/// e.g. `"Create and run a new container from an image"`. Note that `login`
/// and `logout` show a longer text (`Long`) in their own help.
pub fn short_description(command: &str) -> Option<&'static str> {
    let text = match key(command).as_str() {
        "attach" => "Attach local standard input, output, and error streams to a running container",
        "build" => "Build an image from a Dockerfile",
        "builder" => "Manage builds",
        "commit" => "Create a new image from a container's changes",
        "container" => "Manage containers",
        "container attach" => {
            "Attach local standard input, output, and error streams to a running container"
        }
        "container commit" => "Create a new image from a container's changes",
        "container cp" => "Copy files/folders between a container and the local filesystem",
        "container create" => "Create a new container",
        "container diff" => "Inspect changes to files or directories on a container's filesystem",
        "container exec" => "Execute a command in a running container",
        "container export" => "Export a container's filesystem as a tar archive",
        "container inspect" => "Display detailed information on one or more containers",
        "container kill" => "Kill one or more running containers",
        "container list" => "List containers",
        "container logs" => "Fetch the logs of a container",
        "container ls" => "List containers",
        "container pause" => "Pause all processes within one or more containers",
        "container port" => "List port mappings or a specific mapping for the container",
        "container prune" => "Remove all stopped containers",
        "container ps" => "List containers",
        "container rename" => "Rename a container",
        "container restart" => "Restart one or more containers",
        "container rm" => "Remove one or more containers",
        "container run" => "Create and run a new container from an image",
        "container start" => "Start one or more stopped containers",
        "container stats" => "Display a live stream of container(s) resource usage statistics",
        "container stop" => "Stop one or more running containers",
        "container top" => "Display the running processes of a container",
        "container unpause" => "Unpause all processes within one or more containers",
        "container update" => "Update configuration of one or more containers",
        "container wait" => "Block until one or more containers stop, then print their exit codes",
        "context" => "Manage contexts",
        "cp" => "Copy files/folders between a container and the local filesystem",
        "create" => "Create a new container",
        "diff" => "Inspect changes to files or directories on a container's filesystem",
        "docker" => "A self-sufficient runtime for containers",
        "events" => "Get real time events from the server",
        "exec" => "Execute a command in a running container",
        "export" => "Export a container's filesystem as a tar archive",
        "history" => "Show the history of an image",
        "image" => "Manage images",
        "image build" => "Build an image from a Dockerfile",
        "image history" => "Show the history of an image",
        "image import" => "Import the contents from a tarball to create a filesystem image",
        "image inspect" => "Display detailed information on one or more images",
        "image list" => "List images",
        "image load" => "Load an image from a tar archive or STDIN",
        "image ls" => "List images",
        "image prune" => "Remove unused images",
        "image pull" => "Download an image from a registry",
        "image push" => "Upload an image to a registry",
        "image rm" => "Remove one or more images",
        "image save" => "Save one or more images to a tar archive (streamed to STDOUT by default)",
        "image tag" => "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        "images" => "List images",
        "import" => "Import the contents from a tarball to create a filesystem image",
        "info" => "Display system-wide information",
        "inspect" => "Return low-level information on Docker objects",
        "kill" => "Kill one or more running containers",
        "load" => "Load an image from a tar archive or STDIN",
        "login" => "Authenticate to a registry",
        "logout" => "Log out from a registry",
        "logs" => "Fetch the logs of a container",
        "manifest" => "Manage Docker image manifests and manifest lists",
        "network" => "Manage networks",
        "pause" => "Pause all processes within one or more containers",
        "plugin" => "Manage plugins",
        "port" => "List port mappings or a specific mapping for the container",
        "ps" => "List containers",
        "pull" => "Download an image from a registry",
        "push" => "Upload an image to a registry",
        "rename" => "Rename a container",
        "restart" => "Restart one or more containers",
        "rm" => "Remove one or more containers",
        "rmi" => "Remove one or more images",
        "run" => "Create and run a new container from an image",
        "save" => "Save one or more images to a tar archive (streamed to STDOUT by default)",
        "search" => "Search Docker Hub for images",
        "start" => "Start one or more stopped containers",
        "stats" => "Display a live stream of container(s) resource usage statistics",
        "stop" => "Stop one or more running containers",
        "swarm" => "Manage Swarm",
        "system" => "Manage Docker",
        "tag" => "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        "top" => "Display the running processes of a container",
        "trust" => "Manage trust on Docker images",
        "unpause" => "Unpause all processes within one or more containers",
        "update" => "Update configuration of one or more containers",
        "version" => "Show the Docker version information",
        "volume" => "Manage volumes",
        "wait" => "Block until one or more containers stop, then print their exit codes",
        "system df" => "Show docker disk usage",
        "system events" => "Get real time events from the server",
        "system info" => "Display system-wide information",
        "system prune" => "Remove unused data",
        "network connect" => "Connect a container to a network",
        "network create" => "Create a network",
        "network disconnect" => "Disconnect a container from a network",
        "network inspect" => "Display detailed information on one or more networks",
        "network ls" | "network list" => "List networks",
        "network prune" => "Remove all unused networks",
        "network rm" | "network remove" => "Remove one or more networks",
        "volume create" => "Create a volume",
        "volume inspect" => "Display detailed information on one or more volumes",
        "volume ls" | "volume list" => "List volumes",
        "volume prune" => "Remove unused local volumes",
        "volume rm" | "volume remove" => "Remove one or more volumes",
        // docker/buildx `commands/*.go` (`Short`).
        "buildx" => "Docker Buildx",
        "buildx build" | "buildx b" => "Start a build",
        "buildx create" => "Create a new builder instance",
        "buildx use" => "Set the current builder instance",
        "buildx ls" => "List builder instances",
        "buildx rm" => "Remove one or more builder instances",
        "buildx inspect" => "Inspect current builder instance",
        "buildx imagetools" => "Commands to work on images in registry",
        "buildx imagetools inspect" => "Show details of an image in the registry",
        // docker/cli `cli/command/manifest/*.go` (`Short`).
        "manifest create" => {
            "Create a local manifest list for annotating and pushing to a registry"
        }
        "manifest inspect" => "Display an image manifest, or manifest list",
        "manifest push" => "Push a manifest list to a repository",
        "manifest rm" => "Delete one or more manifest lists from local storage",
        _ => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_help_matches_transcript() {
        let expected = "\
Usage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]

Stop one or more running containers

Aliases:
  docker container stop, docker stop

Options:
  -s, --signal string   Signal to send to the container
  -t, --timeout int     Seconds to wait before killing the container
";
        assert_eq!(help("stop"), Some(expected));
        assert_eq!(help("docker stop"), Some(expected));
        assert_eq!(help("  stop "), Some(expected));
    }

    #[test]
    fn run_help_head_matches_transcript() {
        let head: Vec<&str> = help("run").unwrap_or("").lines().take(5).collect();
        assert_eq!(
            head,
            [
                "Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
                "",
                "Create and run a new container from an image",
                "",
                "Aliases:",
            ]
        );
        let container_run = help("container run").unwrap_or("");
        assert!(container_run.starts_with("Usage:  docker container run [OPTIONS]"));
    }

    #[test]
    fn every_text_is_well_formed() {
        for c in COMMANDS {
            let text = help(c).unwrap_or_else(|| panic!("{c}"));
            assert!(text.starts_with("Usage:  docker"), "{c}");
            assert!(text.ends_with('\n'), "{c}");
            assert!(!text.ends_with("\n\n"), "{c}");
            assert!(text.lines().all(|l| !l.ends_with(' ')), "{c}");
            assert!(short_description(c).is_some(), "{c}");
            let usage = usage_line(c).unwrap_or_else(|| panic!("{c}"));
            if !matches!(
                *c,
                "docker" | "image" | "container" | "system" | "network" | "volume"
            ) {
                assert!(text.starts_with(&format!("Usage:  {usage}\n\n")), "{c}");
            }
        }
        assert_eq!(help("frobnicate"), None);
        assert_eq!(usage_line("frobnicate"), None);
    }

    #[test]
    fn usage_lines_from_transcripts() {
        let cases = [
            ("run", "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]"),
            ("create", "docker create [OPTIONS] IMAGE [COMMAND] [ARG...]"),
            ("start", "docker start [OPTIONS] CONTAINER [CONTAINER...]"),
            ("stop", "docker stop [OPTIONS] CONTAINER [CONTAINER...]"),
            ("rm", "docker rm [OPTIONS] CONTAINER [CONTAINER...]"),
            ("rmi", "docker rmi [OPTIONS] IMAGE [IMAGE...]"),
            ("kill", "docker kill [OPTIONS] CONTAINER [CONTAINER...]"),
            (
                "restart",
                "docker restart [OPTIONS] CONTAINER [CONTAINER...]",
            ),
            ("pull", "docker pull [OPTIONS] NAME[:TAG|@DIGEST]"),
            ("push", "docker push [OPTIONS] NAME[:TAG]"),
            ("tag", "docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]"),
            ("build", "docker build [OPTIONS] PATH | URL | -"),
            ("logs", "docker logs [OPTIONS] CONTAINER"),
            ("exec", "docker exec [OPTIONS] CONTAINER COMMAND [ARG...]"),
            ("rename", "docker rename CONTAINER NEW_NAME"),
            ("inspect", "docker inspect [OPTIONS] NAME|ID [NAME|ID...]"),
            ("wait", "docker wait CONTAINER [CONTAINER...]"),
            ("images", "docker images [OPTIONS] [REPOSITORY[:TAG]]"),
            ("ps", "docker ps [OPTIONS]"),
            ("login", "docker login [OPTIONS] [SERVER]"),
            ("logout", "docker logout [SERVER]"),
            (
                "commit",
                "docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
            ),
            ("history", "docker history [OPTIONS] IMAGE"),
            ("save", "docker save [OPTIONS] IMAGE [IMAGE...]"),
            ("port", "docker port CONTAINER [PRIVATE_PORT[/PROTO]]"),
            ("top", "docker top CONTAINER [ps OPTIONS]"),
            ("pause", "docker pause CONTAINER [CONTAINER...]"),
            ("unpause", "docker unpause CONTAINER [CONTAINER...]"),
            ("image rm", "docker image rm [OPTIONS] IMAGE [IMAGE...]"),
            (
                "container rm",
                "docker container rm [OPTIONS] CONTAINER [CONTAINER...]",
            ),
            ("container ls", "docker container ls [OPTIONS]"),
            ("container list", "docker container ls [OPTIONS]"),
            ("image ls", "docker image ls [OPTIONS] [REPOSITORY[:TAG]]"),
            ("image prune", "docker image prune [OPTIONS]"),
            ("container prune", "docker container prune [OPTIONS]"),
            ("docker", "docker [OPTIONS] COMMAND [ARG...]"),
            ("", "docker [OPTIONS] COMMAND [ARG...]"),
            ("image", "docker image"),
        ];
        for (c, u) in cases {
            assert_eq!(usage_line(c), Some(u), "{c}");
        }
    }

    #[test]
    fn short_descriptions() {
        assert_eq!(
            short_description("run"),
            Some("Create and run a new container from an image")
        );
        assert_eq!(
            short_description("login"),
            Some("Authenticate to a registry")
        );
        assert_eq!(
            short_description("image prune"),
            Some("Remove unused images")
        );
        assert_eq!(
            short_description("container prune"),
            Some("Remove all stopped containers")
        );
        assert_eq!(short_description("create"), Some("Create a new container"));
        assert_eq!(short_description("nope"), None);
    }

    #[test]
    fn root_help_sections() {
        let root = help("").unwrap_or("");
        assert!(root.starts_with("Usage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime"));
        assert!(root.contains("\nSwarm Commands:\n  swarm       Manage Swarm\n\nCommands:\n"));
        assert!(root.ends_with(
            "Run 'docker COMMAND --help' for more information on a command.\n\n\
             For more help on how to use Docker, head to https://docs.docker.com/go/guides/\n"
        ));
        assert!(LEGACY_BUILDER_NOTICE.ends_with("buildx/\n\n"));
    }
}
