//! `aseecr k8s secret` and `aseecr k8s relocate`, run as the real binary.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const REG: &str = "ecr.dbe-xyz.microsoftdatabox.com:31001";

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Run aseecr with its config and docker config in `dir`, and no ambient settings.
fn aseecr(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aseecr"));
    command
        .args(args)
        .env("ASEECR_CONFIG_DIR", dir.join("config"))
        .env("DOCKER_CONFIG", dir.join("docker"))
        .env_remove("ASEECR_REGISTRY")
        .env_remove("ASEECR_USERNAME")
        .env_remove("ASEECR_PASSWORD")
        .env_remove("ASEECR_LOG")
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("run aseecr");
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(input) = stdin {
            pipe.write_all(input.as_bytes()).unwrap();
        }
    }
    let output = child.wait_with_output().unwrap();
    Output {
        code: output.status.code().expect("exit code"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn decode(b64: &str) -> String {
    use base64::Engine as _;
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap()
}

#[test]
fn secret_prints_the_kubectl_shape_and_warns_about_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let out = aseecr(
        dir.path(),
        &["-u", "admin", "k8s", "secret", REG],
        &[("ASEECR_PASSWORD", "s3cret")],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = format!(
        r#"{{"auths":{{"{REG}":{{"username":"admin","password":"s3cret","auth":"YWRtaW46czNjcmV0"}}}}}}"#
    );
    let data = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("  .dockerconfigjson: "))
        .unwrap();
    assert_eq!(decode(data), json);
    assert_eq!(
        out.stdout,
        format!(
            "apiVersion: v1\ndata:\n  .dockerconfigjson: {data}\nkind: Secret\nmetadata:\n  name: ase-ecr-credentials\ntype: kubernetes.io/dockerconfigjson\n"
        )
    );
    assert!(
        out.stderr.contains("contains the password"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("s3cret"));
}

#[test]
fn secret_writes_a_private_file_with_namespace_and_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out").join("secret.yaml");
    let out = aseecr(
        dir.path(),
        &[
            "--registry",
            "https://Localhost:5000/",
            "-u",
            "u",
            "--password-stdin",
            "k8s",
            "secret",
            "-n",
            "apps",
            "--name",
            "regcred",
            "-o",
            file.to_str().unwrap(),
        ],
        &[],
        Some("p\n"),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("wrote secret `regcred` for `localhost:5000`"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "apiVersion: v1\n\
         data:\n  .dockerconfigjson: eyJhdXRocyI6eyJsb2NhbGhvc3Q6NTAwMCI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJhdXRoIjoiZFRwdyJ9fX0=\n\
         kind: Secret\n\
         metadata:\n  name: regcred\n  namespace: apps\n\
         type: kubernetes.io/dockerconfigjson\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn secret_without_credentials_or_registry_fails_with_help() {
    let dir = tempfile::tempdir().unwrap();
    let out = aseecr(dir.path(), &["k8s", "secret", REG], &[], None);
    assert_eq!(out.code, 3);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .starts_with(&format!("error: no credentials for `{REG}`\n")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("help: log in first: `aseecr login {REG}`")),
        "{}",
        out.stderr
    );

    let out = aseecr(
        dir.path(),
        &["-u", "admin", "k8s", "secret", REG],
        &[],
        None,
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no password given for `admin`"),
        "{}",
        out.stderr
    );

    let out = aseecr(dir.path(), &["k8s", "secret"], &[], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no registry given"), "{}", out.stderr);

    let env = [("ASEECR_USERNAME", "u"), ("ASEECR_PASSWORD", "p")];
    let out = aseecr(
        dir.path(),
        &["k8s", "secret", "--name", "Bad_Name", REG],
        &env,
        None,
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("error: invalid secret name `Bad_Name`"),
        "{}",
        out.stderr
    );
    let out = aseecr(dir.path(), &["k8s", "secret", "-n", "a.b", REG], &env, None);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("error: invalid namespace `a.b`"),
        "{}",
        out.stderr
    );
}

#[test]
fn secret_help_says_the_device_already_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = aseecr(dir.path(), &["k8s", "secret", "--help"], &[], None);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("already exists in every namespace"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("ase-ecr-credentials"));
}

const DEPLOYMENT: &str = "\
# the app
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: nginx
        image: \"mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine\" # quoted
---
apiVersion: v1
kind: Service
metadata:
  name: web
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
";

fn relocated_deployment() -> String {
    DEPLOYMENT
        .replace("\"mcr.microsoft.com/", &format!("\"{REG}/"))
        .replace(
            "    spec:\n      containers:",
            "    spec:\n      imagePullSecrets:\n      - name: ase-ecr-credentials\n      containers:",
        )
}

#[test]
fn relocate_prints_the_rewritten_file_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.yaml"), DEPLOYMENT).unwrap();
    let out = aseecr(
        dir.path(),
        &["--registry", REG, "k8s", "relocate", "app.yaml"],
        &[],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, relocated_deployment());
    assert_eq!(
        out.stderr,
        format!(
            "warning: app.yaml: left Widget/w unchanged: kind `Widget` is not one whose images aseecr knows how to find\n\
             app.yaml:11: Deployment/web container `nginx`: mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine -> {REG}/oss/nginx/nginx:1.17.5-alpine\n\
             app.yaml: Deployment/web: added imagePullSecrets `ase-ecr-credentials`\n\
             relocated 1 image to `{REG}`; added imagePullSecrets `ase-ecr-credentials` to 1 pod spec\n"
        )
    );
    // The file itself is untouched without --in-place.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app.yaml")).unwrap(),
        DEPLOYMENT
    );
}

#[test]
fn relocate_reads_stdin_and_joins_several_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let pod = "kind: Pod\nspec:\n  containers:\n  - image: nginx"; // no final newline
    std::fs::write(dir.path().join("pod.yaml"), pod).unwrap();
    let env = [("ASEECR_REGISTRY", REG)];
    let out = aseecr(
        dir.path(),
        &["-q", "k8s", "relocate", "--no-pull-secret", "pod.yaml", "-"],
        &env,
        Some("kind: Pod\nspec:\n  containers: [{image: 'redis:7'}]\n"),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stderr, "");
    assert_eq!(
        out.stdout,
        format!(
            "kind: Pod\nspec:\n  containers:\n  - image: {REG}/library/nginx\n---\n\
             kind: Pod\nspec:\n  containers: [{{image: '{REG}/library/redis:7'}}]\n"
        )
    );

    let out = aseecr(
        dir.path(),
        &["k8s", "relocate", "--pull-secret", "regcred", "-"],
        &env,
        Some(pod),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        format!(
            "kind: Pod\nspec:\n  imagePullSecrets:\n  - name: regcred\n  containers:\n  - image: {REG}/library/nginx"
        )
    );
    assert!(
        out.stderr
            .contains("<stdin>:4: Pod in document 1: nginx -> "),
        "{}",
        out.stderr
    );
}

#[test]
fn relocate_in_place_rewrites_every_file_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app.yaml");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&app, DEPLOYMENT).unwrap();
    std::fs::write(
        &bad,
        "kind: Pod\nspec:\n  containers:\n  - image: \"Not/Valid Ref\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&app, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let env = [("ASEECR_REGISTRY", REG)];

    let out = aseecr(
        dir.path(),
        &["k8s", "relocate", "-i", "app.yaml", "bad.yaml"],
        &env,
        None,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .starts_with("error: cannot relocate `bad.yaml`\n"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("`Not/Valid Ref`"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&app).unwrap(),
        DEPLOYMENT,
        "nothing may change"
    );

    let out = aseecr(
        dir.path(),
        &["k8s", "relocate", "--in-place", "app.yaml"],
        &env,
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.ends_with("; rewrote 1 file\n"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&app).unwrap(),
        relocated_deployment()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&app).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with(".aseecr-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A second run finds everything in place.
    let out = aseecr(
        dir.path(),
        &["k8s", "relocate", "--in-place", "app.yaml"],
        &env,
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.ends_with(&format!(
            "relocated 0 images to `{REG}` (1 already there); added imagePullSecrets `ase-ecr-credentials` to 0 pod specs; rewrote 0 files\n"
        )),
        "{}",
        out.stderr
    );
}

#[test]
fn relocate_refuses_bad_invocations() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("ASEECR_REGISTRY", REG)];

    let out = aseecr(dir.path(), &["k8s", "relocate", "missing.yaml"], &env, None);
    assert_eq!(out.code, 4);
    assert!(out.stderr.contains("`missing.yaml`"), "{}", out.stderr);

    let out = aseecr(
        dir.path(),
        &["k8s", "relocate", "-i", "-"],
        &env,
        Some("kind: Pod\n"),
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("--in-place cannot rewrite standard input"),
        "{}",
        out.stderr
    );

    let out = aseecr(
        dir.path(),
        &["k8s", "relocate", "-"],
        &[],
        Some("kind: Pod\n"),
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no registry given"), "{}", out.stderr);

    let out = aseecr(
        dir.path(),
        &["k8s", "relocate", "-"],
        &env,
        Some("kind: Pod\nspec:\n  containers:\n  - image: {{ .Values.image }}:{{ .Values.tag }}\n"),
    );
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("not valid YAML"), "{}", out.stderr);
    assert!(
        out.stderr.contains("help: relocate reads plain manifests"),
        "{}",
        out.stderr
    );

    let out = aseecr(
        dir.path(),
        &[
            "k8s",
            "relocate",
            "--pull-secret",
            "x",
            "--no-pull-secret",
            "-",
        ],
        &env,
        None,
    );
    assert_eq!(out.code, 2);

    let out = aseecr(dir.path(), &["k8s", "relocate"], &env, None);
    assert_eq!(out.code, 2);
}
