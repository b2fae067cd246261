//! `aseecr k8s secret` and `aseecr k8s relocate`, run as the real binary.

use std::path::Path;

use crate::util::cmd::{Home, Output};

const REG: &str = "ecr.dbe-xyz.microsoftdatabox.com:31001";

/// Run aseecr in an isolated home with `env` set and `stdin` piped in.
fn aseecr(home: &Home, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut command = home.aseecr().args(args);
    for (key, value) in env {
        command = command.env(key, value);
    }
    if let Some(input) = stdin {
        command = command.stdin(input);
    }
    command.run()
}

/// `path` as an argument (the label aseecr uses for it in messages).
fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
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
    let home = Home::new();
    let out = aseecr(
        &home,
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
    let home = Home::new();
    let file = home.path().join("out").join("secret.yaml");
    let out = aseecr(
        &home,
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
    // Windows has ACLs, not modes: the mode is a Linux expectation.
    if !crate::util::windows_target() {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn secret_without_credentials_or_registry_fails_with_help() {
    let home = Home::new();
    let out = aseecr(&home, &["k8s", "secret", REG], &[], None);
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

    let out = aseecr(&home, &["-u", "admin", "k8s", "secret", REG], &[], None);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("`--username admin` was given without a password"),
        "{}",
        out.stderr
    );

    let out = aseecr(&home, &["k8s", "secret"], &[], None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no registry given"), "{}", out.stderr);

    let env = [("ASEECR_USERNAME", "u"), ("ASEECR_PASSWORD", "p")];
    let out = aseecr(
        &home,
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
    let out = aseecr(&home, &["k8s", "secret", "-n", "a.b", REG], &env, None);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("error: invalid namespace `a.b`"),
        "{}",
        out.stderr
    );
}

#[test]
fn secret_help_says_the_device_already_has_it() {
    let home = Home::new();
    let out = aseecr(&home, &["k8s", "secret", "--help"], &[], None);
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
    let home = Home::new();
    let app = home.path().join("app.yaml");
    std::fs::write(&app, DEPLOYMENT).unwrap();
    let out = aseecr(
        &home,
        &["--registry", REG, "k8s", "relocate", arg(&app)],
        &[],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, relocated_deployment());
    let label = app.display();
    assert_eq!(
        out.stderr,
        format!(
            "warning: {label}: left Widget/w unchanged: kind `Widget` is not one whose images aseecr knows how to find\n\
             {label}:11: Deployment/web container `nginx`: mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine -> {REG}/oss/nginx/nginx:1.17.5-alpine\n\
             {label}: Deployment/web: added imagePullSecrets `ase-ecr-credentials`\n\
             relocated 1 image to `{REG}`; added imagePullSecrets `ase-ecr-credentials` to 1 pod spec\n"
        )
    );
    // The file itself is untouched without --in-place.
    assert_eq!(std::fs::read_to_string(&app).unwrap(), DEPLOYMENT);
}

#[test]
fn relocate_reads_stdin_and_joins_several_inputs() {
    let home = Home::new();
    let pod = "kind: Pod\nspec:\n  containers:\n  - image: nginx"; // no final newline
    let pod_file = home.path().join("pod.yaml");
    std::fs::write(&pod_file, pod).unwrap();
    let env = [("ASEECR_REGISTRY", REG)];
    let out = aseecr(
        &home,
        &[
            "-q",
            "k8s",
            "relocate",
            "--no-pull-secret",
            arg(&pod_file),
            "-",
        ],
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
        &home,
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
    let home = Home::new();
    let app = home.path().join("app.yaml");
    let bad = home.path().join("bad.yaml");
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
        &home,
        &["k8s", "relocate", "-i", arg(&app), arg(&bad)],
        &env,
        None,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .starts_with(&format!("error: cannot relocate `{}`\n", arg(&bad))),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("caused by: line 4, a container without a name in Pod in document 1: invalid image reference `Not/Valid Ref`"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&app).unwrap(),
        DEPLOYMENT,
        "nothing may change"
    );

    let out = aseecr(
        &home,
        &["k8s", "relocate", "--in-place", arg(&app)],
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
    // Windows has ACLs, not modes: the mode is a Linux expectation.
    if !crate::util::windows_target() {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&app).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    let leftovers: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with(".aseecr-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A second run finds everything in place.
    let out = aseecr(
        &home,
        &["k8s", "relocate", "--in-place", arg(&app)],
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
    let home = Home::new();
    let env = [("ASEECR_REGISTRY", REG)];

    let missing = home.path().join("missing.yaml");
    let out = aseecr(&home, &["k8s", "relocate", arg(&missing)], &env, None);
    assert_eq!(out.code, 4);
    assert!(
        out.stderr.contains(&format!("`{}`", arg(&missing))),
        "{}",
        out.stderr
    );

    let out = aseecr(
        &home,
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

    let out = aseecr(&home, &["k8s", "relocate", "-"], &[], Some("kind: Pod\n"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no registry given"), "{}", out.stderr);

    let out = aseecr(
        &home,
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
        &home,
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

    let out = aseecr(&home, &["k8s", "relocate"], &env, None);
    assert_eq!(out.code, 2);
}

#[test]
fn relocate_mirror_and_pin_against_real_registries() {
    use crate::util::registry::{Auth, Options, PASSWORD, USER};
    use crate::util::{TestImage, TestRegistry};
    let src = TestRegistry::start(Options {
        auth: Auth::Anonymous,
        ..Options::default()
    });
    let dst = TestRegistry::edge();
    let home = Home::new();
    TestImage::single(80, &[5000]).push(&src, "oss/nginx:1.0", false);
    let bundle = home.path().join("cas.pem");
    let mut pem = std::fs::read(src.ca_file()).unwrap();
    pem.extend(std::fs::read(dst.ca_file()).unwrap());
    std::fs::write(&bundle, pem).unwrap();
    let manifest = home.path().join("pod.yaml");
    std::fs::write(
        &manifest,
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web # the front end\nspec:\n  containers:\n  - name: web\n    image: {}/oss/nginx:1.0\n",
            src.addr
        ),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        home.aseecr()
            .args(["k8s", "relocate", "--ca-cert"])
            .arg(&bundle)
            .args(["--registry", &dst.addr, "-u", USER])
            .env("ASEECR_PASSWORD", PASSWORD)
            .args(extra)
            .arg(&manifest)
    };
    // --pin before the image is there: a clear error, nothing printed.
    run(&["--pin"]).run().code(4).stderr_has("--mirror");
    let out = run(&["--mirror", "--pin"]).ok();
    let digest = crate::util::image::skopeo_digest(&src, "oss/nginx:1.0");
    assert!(
        out.stdout
            .contains(&format!("image: {}/oss/nginx:1.0@{digest}", dst.addr)),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("name: web # the front end"));
    assert!(out.stdout.contains("imagePullSecrets"));
    assert_eq!(
        crate::util::image::skopeo_digest(&dst, "oss/nginx:1.0"),
        digest
    );
}
