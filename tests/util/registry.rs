//! Starts Debian's `docker-registry` (CNCF distribution) on a free port of
//! 127.0.0.1 with temp storage, an optional generated certificate, htpasswd
//! (bcrypt) auth and delete enabled; stops it by pid on drop.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use tempfile::TempDir;

use super::TEST_HOST;

pub const USER: &str = "edgeuser";
pub const PASSWORD: &str = "s3cret-Pa55";

/// How the registry serves TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// Plain HTTP.
    None,
    /// A leaf certificate signed by a generated CA (the CA file is what to trust).
    CaSigned,
    /// A self-signed certificate with `CA:TRUE`, as device certificates often are.
    SelfSignedCa,
    /// A self-signed server certificate (`CA:FALSE`), as other devices issue.
    SelfSigned,
}

/// Whether the registry asks for a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    Anonymous,
    Htpasswd,
}

pub struct Options {
    pub tls: Tls,
    pub auth: Auth,
    pub delete: bool,
    pub bcrypt_cost: u32,
    /// The server certificate expires this many days from now (default: far away).
    pub expires_in_days: Option<u64>,
    /// Keep distribution's in-memory blob-descriptor cache, as the default
    /// configuration does (a garbage collection does not clear it).
    pub blob_cache: bool,
    /// The password of [`USER`] (htpasswd auth).
    pub password: &'static str,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tls: Tls::CaSigned,
            auth: Auth::Htpasswd,
            delete: true,
            bcrypt_cost: 4,
            expires_in_days: None,
            blob_cache: false,
            password: PASSWORD,
        }
    }
}

pub struct TestRegistry {
    /// `127.0.0.1:PORT`
    pub addr: String,
    pub options: Options,
    dir: TempDir,
    child: Child,
}

impl TestRegistry {
    /// TLS (CA-signed) + password + delete enabled: the edge registry's shape.
    /// An anonymous registry over plain HTTP, as a source stands in for a public one.
    pub fn plain() -> TestRegistry {
        TestRegistry::start(Options {
            tls: Tls::None,
            auth: Auth::Anonymous,
            ..Options::default()
        })
    }

    pub fn edge() -> TestRegistry {
        TestRegistry::start(Options::default())
    }

    pub fn start(options: Options) -> TestRegistry {
        let dir = tempfile::tempdir().expect("temp dir");
        let storage = dir.path().join("storage");
        std::fs::create_dir_all(&storage).unwrap();
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let mut config = format!(
            "version: 0.1\nvalidation:\n  manifests:\n    urls:\n      allow:\n        - ^https?://\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: {}\n  maintenance:\n    uploadpurging:\n      enabled: false\nhttp:\n  addr: {addr}\n  secret: aseecr-test-secret\n",
            storage.display(),
            options.delete
        );
        if options.blob_cache {
            config = config.replacen(
                "storage:\n",
                "storage:\n  cache:\n    blobdescriptor: inmemory\n",
                1,
            );
        }
        if options.tls != Tls::None {
            write_certificates(dir.path(), options.tls, options.expires_in_days);
            config.push_str(&format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                dir.path().join("server.crt").display(),
                dir.path().join("server.key").display()
            ));
        }
        if options.auth == Auth::Htpasswd {
            let hash = bcrypt::hash(options.password, options.bcrypt_cost).unwrap();
            std::fs::write(dir.path().join("htpasswd"), format!("{USER}:{hash}\n")).unwrap();
            config.push_str(&format!(
                "auth:\n  htpasswd:\n    realm: aseecr-test\n    path: {}\n",
                dir.path().join("htpasswd").display()
            ));
        }
        let config_path = dir.path().join("config.yml");
        std::fs::write(&config_path, config).unwrap();
        let child = serve(dir.path());
        let registry = TestRegistry {
            addr,
            options,
            dir,
            child,
        };
        registry.wait_ready();
        registry
    }

    /// Stop the registry process, keeping its storage (see [`Self::restart`]).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Start the registry again on the same address, storage and certificate.
    pub fn restart(&mut self) {
        self.stop();
        self.child = serve(self.dir.path());
        self.wait_ready();
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if TcpStream::connect(&self.addr).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!(
            "docker-registry did not start on {}: {}",
            self.addr,
            std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default()
        );
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The certificate a client must trust (the CA, or the self-signed server cert).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.crt")
    }

    /// The server's own certificate.
    pub fn server_cert(&self) -> PathBuf {
        self.dir.path().join("server.crt")
    }

    /// A folder holding only the CA as `ca.crt`, for skopeo's `--cert-dir`.
    pub fn cert_dir(&self) -> PathBuf {
        let dir = self.dir.path().join("certs.d");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(self.ca_file(), dir.join("ca.crt")).unwrap();
        dir
    }

    pub fn tls(&self) -> bool {
        self.options.tls != Tls::None
    }

    pub fn storage(&self) -> PathBuf {
        self.dir.path().join("storage")
    }

    /// The size in bytes of every blob in storage.
    pub fn blob_bytes(&self) -> u64 {
        fn walk(path: &Path) -> u64 {
            let Ok(entries) = std::fs::read_dir(path) else {
                return 0;
            };
            entries
                .flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        walk(&p)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        }
        walk(&self.storage().join("docker/registry/v2/blobs"))
    }

    /// Upload sessions left in a registry's storage: `<repo>/_uploads/<id>` folders
    /// that still hold the session (`startedat`) or its bytes (`data`). A cancelled
    /// session leaves only `hashstates/sha256/0` behind in distribution 2.8 (its
    /// cancel writes the hash state after removing the folder), which is no session
    /// and holds no blob bytes.
    pub fn leftover_uploads(&self) -> Vec<String> {
        fn walk(dir: &Path, found: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if !path.is_dir() {
                    continue;
                }
                if path.file_name().is_some_and(|n| n == "_uploads") {
                    for upload in std::fs::read_dir(&path).unwrap().flatten() {
                        let upload = upload.path();
                        if upload.join("startedat").exists() || upload.join("data").exists() {
                            found.push(upload.display().to_string());
                        }
                    }
                } else {
                    walk(&path, found);
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &self.storage().join("docker/registry/v2/repositories"),
            &mut found,
        );
        found
    }

    /// Run `docker-registry garbage-collect` on this registry's storage.
    pub fn garbage_collect(&self) {
        let output = Command::new(registry_binary())
            .arg("garbage-collect")
            .arg(self.dir.path().join("config.yml"))
            .output()
            .expect("run garbage-collect");
        assert!(
            output.status.success(),
            "garbage-collect failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Connection flags for aseecr: the CA file (when TLS) or `--plain-http`.
    pub fn connection_args(&self) -> Vec<String> {
        if self.tls() {
            vec!["--ca-cert".into(), self.ca_file().display().to_string()]
        } else {
            vec!["--plain-http".into()]
        }
    }
}

impl Drop for TestRegistry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `docker-registry serve` on the config in `dir`, logging to registry.log.
fn serve(dir: &Path) -> Child {
    let log = std::fs::File::options()
        .create(true)
        .append(true)
        .open(dir.join("registry.log"))
        .unwrap();
    Command::new(registry_binary())
        .arg("serve")
        .arg(dir.join("config.yml"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("start docker-registry (apt-get install docker-registry)")
}

fn registry_binary() -> PathBuf {
    std::env::var_os("ASEECR_TEST_REGISTRY_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/docker-registry"))
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn server_params(expires_in_days: Option<u64>) -> CertificateParams {
    let mut params = CertificateParams::new(vec![
        TEST_HOST.to_owned(),
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
    ])
    .unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, TEST_HOST);
    if let Some(days) = expires_in_days {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let (y, m, d) = civil_date((now / 86_400 + days) as i64);
        params.not_after = rcgen::date_time_ymd(y as i32, m as u8, d as u8);
    }
    params
}

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Write server.crt, server.key and ca.crt into `dir`.
fn write_certificates(dir: &Path, tls: Tls, expires_in_days: Option<u64>) {
    let server_key = KeyPair::generate().unwrap();
    match tls {
        Tls::SelfSignedCa | Tls::SelfSigned => {
            let mut params = server_params(expires_in_days);
            if tls == Tls::SelfSignedCa {
                params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            }
            let cert = params.self_signed(&server_key).unwrap();
            std::fs::write(dir.join("server.crt"), cert.pem()).unwrap();
            std::fs::write(dir.join("ca.crt"), cert.pem()).unwrap();
        }
        Tls::CaSigned => {
            let ca_key = KeyPair::generate().unwrap();
            let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
            ca_params
                .distinguished_name
                .push(DnType::CommonName, "aseecr test CA");
            ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            let ca_cert = ca_params.self_signed(&ca_key).unwrap();
            let issuer = Issuer::new(ca_params, ca_key);
            let cert = server_params(expires_in_days)
                .signed_by(&server_key, &issuer)
                .unwrap();
            std::fs::write(dir.join("server.crt"), cert.pem()).unwrap();
            std::fs::write(dir.join("ca.crt"), ca_cert.pem()).unwrap();
        }
        Tls::None => return,
    }
    std::fs::write(dir.join("server.key"), server_key.serialize_pem()).unwrap();
}
