//! Container engines as independent readers of the archives aseecr writes: a
//! private `dockerd` (Debian's docker.io) and `podman` with private storage, each
//! rooted in its own temp dir so no test touches the machine's docker or podman
//! state (images, containers, /etc/docker, /var/lib/containers).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// How long a fresh dockerd (vfs storage, no networking) may take to answer.
const DOCKERD_START: Duration = Duration::from_secs(60);
/// How long dockerd may take to stop (it stops its containerd first).
const DOCKERD_STOP: Duration = Duration::from_secs(20);

/// `dockerd` started by the test as root with everything in a temp dir: data
/// root, exec root (its containerd's state and socket too), pid file, the trust
/// key (`deprecated-key-path`, else it is /etc/docker/key.json), an empty daemon
/// configuration, no iptables and no bridge. Stopped (SIGTERM, then SIGKILL) on drop.
pub struct Dockerd {
    dir: TempDir,
    child: Child,
    socket: PathBuf,
}

impl Dockerd {
    /// Start it and wait until `docker version` answers; panics with its log when
    /// it does not come up (a test needing it fails, it does not skip). It needs
    /// root: a test that starts one is listed in tests/root-only.txt.
    pub fn start() -> Dockerd {
        super::root::require_root("it starts a private dockerd");
        // A unix socket path has a limit of ~108 bytes: keep the root short.
        let dir = tempfile::Builder::new()
            .prefix("dkd")
            .tempdir_in("/tmp")
            .unwrap();
        let root = dir.path();
        let config = root.join("daemon.json");
        std::fs::write(
            &config,
            serde_json::to_vec(&serde_json::json!({
                "deprecated-key-path": root.join("key.json"),
            }))
            .unwrap(),
        )
        .unwrap();
        std::fs::create_dir_all(root.join("client")).unwrap();
        let socket = root.join("d.sock");
        let log = std::fs::File::create(root.join("dockerd.log")).unwrap();
        let child = Command::new(dockerd_binary())
            .arg("--config-file")
            .arg(&config)
            .arg("--data-root")
            .arg(root.join("data"))
            .arg("--exec-root")
            .arg(root.join("exec"))
            .arg("--pidfile")
            .arg(root.join("dockerd.pid"))
            .arg("-H")
            .arg(format!("unix://{}", socket.display()))
            .args([
                "--storage-driver",
                "vfs",
                "--iptables=false",
                "--ip6tables=false",
                "--bridge=none",
            ])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|err| {
                panic!("cannot start dockerd ({err}): apt-get install docker.io, and run as root")
            });
        let mut daemon = Dockerd { dir, child, socket };
        let started = Instant::now();
        loop {
            if let Some(status) = daemon.child.try_wait().unwrap() {
                panic!(
                    "dockerd exited ({status}) before it answered:\n{}",
                    daemon.log()
                );
            }
            if daemon.socket.exists() && daemon.docker(&["version"]).status.success() {
                break;
            }
            if started.elapsed() > DOCKERD_START {
                panic!(
                    "dockerd did not answer on {} within {DOCKERD_START:?}:\n{}",
                    daemon.socket.display(),
                    daemon.log()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        daemon
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// What dockerd has logged.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dockerd.log")).unwrap_or_default()
    }

    /// Run the docker client against this daemon (its own client config dir).
    pub fn docker(&self, args: &[&str]) -> Output {
        Command::new(docker_client())
            .arg("-H")
            .arg(format!("unix://{}", self.socket.display()))
            .args(args)
            .env("DOCKER_CONFIG", self.dir.path().join("client"))
            .env_remove("DOCKER_HOST")
            .env_remove("DOCKER_CONTEXT")
            .stdin(Stdio::null())
            .output()
            .expect("run the docker client")
    }

    /// Run the docker client and insist it worked; its stdout.
    pub fn docker_ok(&self, args: &[&str]) -> String {
        let out = self.docker(args);
        assert!(
            out.status.success(),
            "docker {args:?} failed: {}\n--- dockerd log (tail)\n{}",
            String::from_utf8_lossy(&out.stderr),
            tail(&self.log(), 30)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Dockerd {
    fn drop(&mut self) {
        // SIGTERM lets dockerd stop its containerd and unmount; SIGKILL if it hangs.
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < DOCKERD_STOP {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Debian's dockerd.
fn dockerd_binary() -> PathBuf {
    ["/usr/sbin/dockerd", "/usr/bin/dockerd"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| "dockerd".into())
}

/// The docker client of the same package when it is there (another `docker`
/// earlier on PATH may be a newer client), else the one on PATH.
fn docker_client() -> PathBuf {
    let debian = PathBuf::from("/usr/bin/docker");
    if debian.exists() {
        debian
    } else {
        "docker".into()
    }
}

/// `podman` with its storage (vfs), run state, libpod temp dir, blob-info cache
/// and configuration home in a temp dir, no events, an empty containers.conf and
/// a storage.conf naming those: the machine's podman images and configuration
/// are neither read nor changed.
pub struct Podman {
    dir: TempDir,
}

impl Podman {
    pub fn new() -> Podman {
        let dir = tempfile::Builder::new()
            .prefix("pdm")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::write(dir.path().join("containers.conf"), "").unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("storage.conf"),
            format!(
                "[storage]\ndriver = \"vfs\"\nrunroot = \"{}\"\ngraphroot = \"{}\"\n",
                root.join("run").display(),
                root.join("root").display()
            ),
        )
        .unwrap();
        Podman { dir }
    }

    /// Run podman with the private roots; its output.
    pub fn podman(&self, args: &[&str]) -> Output {
        let root = self.dir.path();
        Command::new("podman")
            .arg("--root")
            .arg(root.join("root"))
            .arg("--runroot")
            .arg(root.join("run"))
            .arg("--tmpdir")
            .arg(root.join("tmp"))
            .args([
                "--storage-driver",
                "vfs",
                "--events-backend",
                "none",
                "--cgroup-manager",
                "cgroupfs",
            ])
            .args(args)
            .env("CONTAINERS_CONF", root.join("containers.conf"))
            .env("CONTAINERS_STORAGE_CONF", root.join("storage.conf"))
            // Rootless in name only: the blob-info cache goes under XDG_DATA_HOME
            // instead of /var/lib/containers/cache (as for skopeo, util::image).
            .env("_CONTAINERS_ROOTLESS_UID", "65534")
            .env("XDG_DATA_HOME", root.join("xdg"))
            .env("XDG_CONFIG_HOME", root.join("xdg-config"))
            .env("HOME", root)
            .env("TMPDIR", root)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|err| panic!("cannot run podman ({err}): apt-get install podman"))
    }

    /// Run podman and insist it worked; its stdout.
    pub fn podman_ok(&self, args: &[&str]) -> String {
        let out = self.podman(args);
        assert!(
            out.status.success(),
            "podman {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Default for Podman {
    fn default() -> Self {
        Podman::new()
    }
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
