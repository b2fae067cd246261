//! `aseecr k8s secret`, `aseecr k8s relocate` and `aseecr k8s cronjob`, run as the real binary.

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
             warning: could not ask `{REG}` whether it has the relocated images, so they are not checked: the registry host `{}` does not resolve\n\
             relocated 1 image to `{REG}`; added imagePullSecrets `ase-ecr-credentials` to 1 pod spec\n",
            REG.split(':').next().unwrap()
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

const FLEET: &str = "\
# two plants, one without stored credentials
destinations:
  - name: plant-a
    registry: ecr.dbe-xyz.microsoftdatabox.com:31001
    credentials: {username: admin, passwordEnv: PLANT_A_PASSWORD}

  - name: plant-b
    registry: ecr.dbe-abc.microsoftdatabox.com:31001
    credentials:
      username: admin
      passwordEnv: PLANT_B_PASSWORD
images:
  - source: mcr.microsoft.com/oss/nginx/nginx
    tags: [\"1.25.3\"]   # quoted: a tag, not a number
    repository: nginx
";

/// The sync file as it sits in the ConfigMap: a literal block, indented by four.
fn as_block(text: &str) -> String {
    let mut block = String::from("  sync.yaml: |\n");
    for line in text.lines() {
        if !line.is_empty() {
            block.push_str("    ");
            block.push_str(line);
        }
        block.push('\n');
    }
    block
}

#[test]
fn cronjob_prints_the_file_verbatim_and_references_the_passwords() {
    let home = Home::new();
    let file = home.path().join("fleet.yaml");
    std::fs::write(&file, FLEET).unwrap();
    // Set here, so that a password that leaked would be seen.
    let env = [
        ("PLANT_A_PASSWORD", "pa55-plant-a"),
        ("PLANT_B_PASSWORD", "pa55-plant-b"),
    ];
    let out = aseecr(
        &home,
        &[
            "--registry",
            REG,
            "k8s",
            "cronjob",
            arg(&file),
            "--schedule",
            "0 3 * * *",
            "--namespace",
            "ops",
        ],
        &env,
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    for (_, password) in env {
        assert!(!out.stdout.contains(password), "{}", out.stdout);
        assert!(!out.stderr.contains(password), "{}", out.stderr);
    }
    let stdout = &out.stdout;
    assert!(stdout.contains(&as_block(FLEET)), "{stdout}");
    let version = env!("CARGO_PKG_VERSION");
    for expected in [
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aseecr-sync\n  namespace: ops\n".to_owned(),
        "---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: aseecr-sync\n  namespace: ops\n".to_owned(),
        "  schedule: \"0 3 * * *\"\n".to_owned(),
        "  concurrencyPolicy: Forbid\n".to_owned(),
        "          restartPolicy: Never\n".to_owned(),
        // The image is on the device's registry: the device's pull secret.
        "          imagePullSecrets:\n            - name: ase-ecr-credentials\n".to_owned(),
        format!("              image: {REG}/aseecr:{version}\n"),
        "              command:\n                - aseecr\n                - sync\n                - /etc/aseecr/sync.yaml\n              env:\n".to_owned(),
        "                - name: PLANT_A_PASSWORD\n                  valueFrom:\n                    secretKeyRef:\n                      name: aseecr-sync-passwords\n                      key: PLANT_A_PASSWORD\n".to_owned(),
        "                - name: PLANT_B_PASSWORD\n                  valueFrom:\n                    secretKeyRef:\n                      name: aseecr-sync-passwords\n                      key: PLANT_B_PASSWORD\n".to_owned(),
        "                - name: sync-file\n                  mountPath: /etc/aseecr\n                  readOnly: true\n".to_owned(),
        "              configMap:\n                name: aseecr-sync\n".to_owned(),
    ] {
        assert!(stdout.contains(&expected), "missing {expected:?} in\n{stdout}");
    }
    // The Secret is made by the operator, with the command printed on stderr and
    // at the top of the YAML; each value comes from the shell, through a pipe.
    let command = "kubectl create secret generic aseecr-sync-passwords --namespace ops \\\n  --from-file=PLANT_A_PASSWORD=<(printf %s \"$PLANT_A_PASSWORD\") \\\n  --from-file=PLANT_B_PASSWORD=<(printf %s \"$PLANT_B_PASSWORD\")";
    assert!(out.stderr.contains(command), "{}", out.stderr);
    assert!(
        stdout.contains(
            &command
                .lines()
                .map(|l| format!("#   {l}\n"))
                .collect::<String>()
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("kind: Secret"), "{stdout}");
    let _ = kubectl_reads(&home, stdout, FLEET);
}

/// When kubectl is installed: it reads both objects offline (`--local`), the
/// ConfigMap holds the file byte for byte, and the CronJob decodes into the
/// Kubernetes types without losing a field (a misspelt or misplaced key would be
/// dropped by the typed decoding, a wrong type refused).
fn kubectl_reads(home: &Home, manifests: &str, sync_file: &str) -> Vec<serde_json::Value> {
    let run = |args: &[&str]| {
        let out = std::process::Command::new("kubectl")
            .args(args)
            .env("KUBECONFIG", home.path().join("no-kubeconfig"))
            .output();
        match out {
            Ok(out) => {
                assert!(
                    out.status.success(),
                    "kubectl {args:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                // One JSON object per object read.
                serde_json::Deserializer::from_slice(&out.stdout)
                    .into_iter::<serde_json::Value>()
                    .collect::<Result<Vec<_>, _>>()
                    .unwrap()
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                panic!(
                    "kubectl is not installed: scripts/test.sh installs it (package `kubernetes-client`)"
                )
            }
            Err(err) => panic!("cannot run kubectl: {err}"),
        }
    };
    let all = home.path().join("cronjob.yaml");
    std::fs::write(&all, manifests).unwrap();
    let items = run(&[
        "label",
        "--local",
        "-f",
        arg(&all),
        "checked=yes",
        "-o",
        "json",
    ]);
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0]["kind"], "ConfigMap");
    assert_eq!(items[0]["data"]["sync.yaml"], sync_file);
    let mut untyped = items[1].clone();
    assert_eq!(untyped["kind"], "CronJob");
    let cron = home.path().join("cronjob.json");
    std::fs::write(&cron, serde_json::to_string_pretty(&items[1]).unwrap()).unwrap();
    // `set image` prints the object only when it changes it: to an image of its own.
    let container =
        &mut untyped["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0];
    container["image"] = "check.invalid/aseecr:1".into();
    let typed = run(&[
        "set",
        "image",
        "--local",
        "-f",
        arg(&cron),
        "sync=check.invalid/aseecr:1",
        "-o",
        "json",
    ])
    .remove(0);
    untyped["metadata"]["labels"]
        .as_object_mut()
        .unwrap()
        .remove("checked");
    let mut missing = Vec::new();
    lost_fields(&untyped, &typed, "", &mut missing);
    assert!(
        missing.is_empty(),
        "kubectl dropped or changed: {missing:?}\n{typed}"
    );
    items
}

/// Every leaf of `ours` that `theirs` lacks or holds differently, by path.
fn lost_fields(
    ours: &serde_json::Value,
    theirs: &serde_json::Value,
    at: &str,
    out: &mut Vec<String>,
) {
    match ours {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match theirs.get(key) {
                    Some(other) => lost_fields(value, other, &format!("{at}.{key}"), out),
                    None => out.push(format!("{at}.{key}")),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                match theirs.get(i) {
                    Some(other) => lost_fields(value, other, &format!("{at}[{i}]"), out),
                    None => out.push(format!("{at}[{i}]")),
                }
            }
        }
        leaf if leaf != theirs => out.push(format!("{at}: {leaf} became {theirs}")),
        _ => {}
    }
}

#[test]
fn cronjob_mounts_a_device_certificate_and_passes_connection_options() {
    let home = Home::new();
    let file = home.path().join("fleet.yaml");
    // No credentials: no Secret of passwords, no kubectl command.
    let fleet = "destinations:\n  - {name: a, registry: ecr.dbe-xyz.microsoftdatabox.com:31001}\nimages:\n  - source: nginx\n    tags: [\"1.25\"]";
    std::fs::write(&file, fleet).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["ecr.dbe-xyz.microsoftdatabox.com".to_owned()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let pem = home.path().join("device.pem");
    std::fs::write(&pem, cert.pem()).unwrap();
    let out = aseecr(
        &home,
        &[
            "k8s",
            "cronjob",
            arg(&file),
            "--schedule",
            "@daily",
            "--time-zone",
            "Europe/Berlin",
            "--name",
            "nightly",
            "--image",
            "docker.io/example/aseecr:1.0",
            "--dst-ca-cert",
            arg(&pem),
            "--src-insecure",
            "--limit-rate",
            "20M",
        ],
        &[],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let stdout = &out.stdout;
    // Written without a final newline: kept that way (`|-`).
    let mut block = String::from("  sync.yaml: |-\n");
    for line in fleet.lines() {
        block.push_str(&format!("    {line}\n"));
    }
    assert!(stdout.contains(&block), "{stdout}");
    let mut ca = String::from("  dst-ca.crt: |\n");
    for line in cert.pem().lines() {
        ca.push_str(&format!("    {line}\n"));
    }
    assert!(stdout.contains(&ca), "{stdout}");
    for expected in [
        "  schedule: \"@daily\"\n  timeZone: Europe/Berlin\n",
        "              image: docker.io/example/aseecr:1.0\n",
        "                - /etc/aseecr/sync.yaml\n                - \"--dst-ca-cert\"\n                - /etc/aseecr/dst-ca.crt\n                - \"--src-insecure\"\n                - \"--limit-rate\"\n                - \"20M\"\n              env:\n                - name: HOME\n                  value: /tmp\n                - name: DOCKER_CONFIG\n                  value: /etc/aseecr-login\n              securityContext:\n",
        // No credentials in the file: the device's pull secret logs the pod in.
        "                - name: login\n                  mountPath: /etc/aseecr-login\n                  readOnly: true\n",
        "            - name: login\n              secret:\n                secretName: ase-ecr-credentials\n                items:\n                  - key: \".dockerconfigjson\"\n                    path: config.json\n",
        "  name: nightly\n",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    // Docker Hub is not the device: no pull secret; no passwords: no Secret.
    assert!(!stdout.contains("imagePullSecrets"), "{stdout}");
    assert!(!stdout.contains("secretKeyRef"), "{stdout}");
    assert!(!stdout.contains("kubectl create secret"), "{stdout}");
    assert!(!out.stderr.contains("kubectl"), "{}", out.stderr);
    let _ = kubectl_reads(&home, stdout, fleet);

    // A private key is never copied into a ConfigMap.
    let key_file = home.path().join("device.key");
    std::fs::write(&key_file, key.serialize_pem()).unwrap();
    let out = aseecr(
        &home,
        &[
            "k8s",
            "cronjob",
            arg(&file),
            "--schedule",
            "@daily",
            "--image",
            "x/aseecr:1",
            "--dst-ca-cert",
            arg(&key_file),
        ],
        &[],
        None,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("private key"), "{}", out.stderr);
}

/// Only the sync file reaches the pod: a `caCert` naming a file is refused with
/// the forms that travel (inline PEM, --dst-ca-cert); an inline one is fine.
#[test]
fn cronjob_refuses_a_ca_cert_file_the_pod_would_not_have() {
    let home = Home::new();
    let file = home.path().join("fleet.yaml");
    std::fs::write(home.path().join("a.pem"), "not read").unwrap();
    std::fs::write(
        &file,
        "destinations:\n  - name: plant-a\n    registry: r.example.com:31001\n    caCert: a.pem\nimages:\n  - source: nginx\n    tags: [x]\n",
    )
    .unwrap();
    let args = [
        "--registry",
        REG,
        "k8s",
        "cronjob",
        arg(&file),
        "--schedule",
        "0 3 * * *",
    ];
    let out = aseecr(&home, &args, &[], None);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "error: the destination `plant-a` names `caCert: a.pem`, a file the CronJob's pod does not have\n\
         help: write the certificate into the sync file (`caCert: |` and the PEM lines), or pass it \
         with --dst-ca-cert / --src-ca-cert, which go into the ConfigMap\n"
    );
}

#[test]
fn cronjob_refuses_a_wrong_file_schedule_or_name_and_prints_nothing() {
    let home = Home::new();
    let file = home.path().join("fleet.yaml");
    std::fs::write(
        &file,
        "destinations:\n  - name: a\n    registry: r.example.com\n    colour: red\nimages:\n  - source: nginx\n    tags: [x]\n",
    )
    .unwrap();
    let base = ["--registry", REG, "k8s", "cronjob"];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        let out = aseecr(&home, &args, &[], None);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert_eq!(out.stdout, "", "{args:?}");
        out.stderr
    };
    // The file is checked as `sync` checks it: its errors name line and column.
    let stderr = run(&[arg(&file), "--schedule", "0 3 * * *"]);
    assert!(
        stderr.starts_with(&format!(
            "error: {}:4:5: unknown key `colour` in a destination",
            file.display()
        )),
        "{stderr}"
    );

    let good = home.path().join("good.yaml");
    std::fs::write(&good, FLEET).unwrap();
    let stderr = run(&[arg(&good), "--schedule", "0 3 * *"]);
    assert!(
        stderr
            .starts_with("error: invalid schedule `0 3 * *`: it has 4 fields, a schedule has 5\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: write five fields, minute hour day-of-month month day-of-week"),
        "{stderr}"
    );
    let stderr = run(&[arg(&good), "--schedule", "0 25 * * *"]);
    assert!(
        stderr.contains("the hour field `25`: 25 is outside 0-23"),
        "{stderr}"
    );
    let stderr = run(&[arg(&good), "--schedule", "CRON_TZ=UTC 0 3 * * *"]);
    assert!(
        stderr.contains("help: give it with --time-zone"),
        "{stderr}"
    );

    let stderr = run(&[
        arg(&good),
        "--schedule",
        "@daily",
        "--login-secret",
        "Login",
    ]);
    assert!(
        stderr.contains("error: invalid secret name `Login`"),
        "{stderr}"
    );
    let stderr = run(&[arg(&good), "--schedule", "@daily", "--name", "Nightly"]);
    assert!(
        stderr.contains("error: invalid CronJob name `Nightly`"),
        "{stderr}"
    );
    let stderr = run(&[
        arg(&good),
        "--schedule",
        "@daily",
        "--time-zone",
        "Europe Berlin",
    ]);
    assert!(
        stderr.contains("error: unknown time zone `Europe Berlin`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `--time-zone Europe/Berlin`?"),
        "{stderr}"
    );
    // A well-formed name that is not an IANA zone: Kubernetes would refuse the
    // CronJob at `kubectl apply`; refused here, with an example.
    let stderr = run(&[
        arg(&good),
        "--schedule",
        "@daily",
        "--time-zone",
        "Mars/Olympus",
    ]);
    assert!(
        stderr.starts_with("error: unknown time zone `Mars/Olympus`\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("e.g. `--time-zone Europe/Berlin`"),
        "{stderr}"
    );
    assert!(!stderr.contains("did you mean"), "{stderr}");

    // A rate `sync` would refuse at 3 a.m. is refused now.
    let stderr = run(&[arg(&good), "--schedule", "@daily", "--limit-rate", "20MB"]);
    assert!(
        stderr.contains("error: invalid --limit-rate `20MB`"),
        "{stderr}"
    );

    // A variable Kubernetes cannot take as an environment variable name.
    let dotted = home.path().join("dotted.yaml");
    std::fs::write(&dotted, FLEET.replace("PLANT_B_PASSWORD", "plant.b")).unwrap();
    let stderr = run(&[arg(&dotted), "--schedule", "@daily"]);
    assert!(
        stderr.contains("error: destination `plant-b`: `passwordEnv: plant.b` cannot be a Kubernetes environment variable"),
        "{stderr}"
    );

    // No image and no registry to find it on.
    let out = aseecr(
        &home,
        &["k8s", "cronjob", arg(&good), "--schedule", "@daily"],
        &[],
        None,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr
            .contains("error: no --image given and no default registry is set"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("help: name the aseecr image"),
        "{}",
        out.stderr
    );
}

#[test]
fn cronjob_keeps_a_windows_file_byte_for_byte() {
    let home = Home::new();
    let file = home.path().join("fleet.yaml");
    // CRLF line ends and a tab: a literal block would lose the CRs, so the file is a
    // double-quoted string, escaped.
    let text = "destinations:\r\n  - {name: a, registry: r.example.com}\r\nimages:\r\n  - source: nginx\r\n    tags: [\"1\"]   # café\tx\r\n";
    std::fs::write(&file, text).unwrap();
    let out = aseecr(
        &home,
        &[
            "k8s",
            "cronjob",
            arg(&file),
            "--schedule",
            "*/30 * * * *",
            "--image",
            "x/aseecr:1",
        ],
        &[],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("  sync.yaml: \"destinations:\\r\\n  - {name: a, registry: r.example.com}\\r\\nimages:\\r\\n  - source: nginx\\r\\n    tags: [\\\"1\\\"]   # café\\tx\\r\\n\"\n"),
        "{}",
        out.stdout
    );
    let _ = kubectl_reads(&home, &out.stdout, text);
}

/// The one JSON object a `--format json` run printed.
fn json_of(out: &Output) -> serde_json::Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

#[test]
fn secret_as_json_carries_the_same_manifest_or_the_file_written() {
    let home = Home::new();
    let env = [("ASEECR_PASSWORD", "s3cret")];
    let text = aseecr(&home, &["-u", "admin", "k8s", "secret", REG], &env, None);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let out = aseecr(
        &home,
        &["-u", "admin", "k8s", "secret", REG, "--format", "json"],
        &env,
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        json_of(&out),
        serde_json::json!({
            "registry": REG,
            "name": "ase-ecr-credentials",
            "manifest": text.stdout,
        })
    );
    assert!(!out.stderr.contains("s3cret"), "{}", out.stderr);

    let file = home.path().join("secret.yaml");
    let out = aseecr(
        &home,
        &[
            "-u",
            "admin",
            "k8s",
            "secret",
            REG,
            "-n",
            "apps",
            "-o",
            arg(&file),
            "--format",
            "json",
        ],
        &env,
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        json_of(&out),
        serde_json::json!({
            "registry": REG,
            "name": "ase-ecr-credentials",
            "namespace": "apps",
            "writtenTo": arg(&file),
        })
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("namespace: apps")
    );

    // A failure is the one error object, with its help.
    let out = aseecr(
        &home,
        &["k8s", "secret", REG, "--format", "json"],
        &[],
        None,
    );
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(
        json_of(&out),
        serde_json::json!({"error": {
            "kind": "auth",
            "message": format!("no credentials for `{REG}`"),
            "help": [
                format!("log in first: `aseecr login {REG}`"),
                format!("or give them for this run: `aseecr -u USER --password-stdin k8s secret {REG}`"),
            ],
        }})
    );
}

#[test]
fn relocate_as_json_lists_every_change_and_the_result() {
    let home = Home::new();
    let app = home.path().join("app.yaml");
    std::fs::write(&app, DEPLOYMENT).unwrap();
    let out = aseecr(
        &home,
        &[
            "--registry",
            REG,
            "k8s",
            "relocate",
            arg(&app),
            "--format",
            "json",
        ],
        &[],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr, "",
        "the JSON carries what the text run prints on stderr"
    );
    assert_eq!(
        json_of(&out),
        serde_json::json!({
            "registry": REG,
            "inPlace": false,
            "files": [{
                "file": arg(&app),
                "changes": [{
                    "line": 11,
                    "object": "Deployment/web",
                    "container": "nginx",
                    "from": "mcr.microsoft.com/oss/nginx/nginx:1.17.5-alpine",
                    "to": format!("{REG}/oss/nginx/nginx:1.17.5-alpine"),
                }],
                "unchangedCount": 0,
                "pullSecretAdded": ["Deployment/web"],
                "notes": ["left Widget/w unchanged: kind `Widget` is not one whose images aseecr knows how to find"],
                "rewritten": false,
            }],
            "manifest": relocated_deployment(),
            // The registry does not resolve: not checked, nothing known missing.
            "presenceChecked": false,
            "notCheckedBecause": format!("could not ask `{REG}` whether it has the relocated images, so they are not checked: the registry host `{}` does not resolve", REG.split(':').next().unwrap()),
            "missing": [],
            "summary": {"relocated": 1, "alreadyThere": 0, "pullSecretsAdded": 1, "filesRewritten": 0},
        })
    );

    let out = aseecr(
        &home,
        &[
            "--registry",
            REG,
            "k8s",
            "relocate",
            arg(&app),
            "--in-place",
            "--format",
            "json",
        ],
        &[],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = json_of(&out);
    assert_eq!(report["inPlace"], true);
    assert_eq!(report["files"][0]["rewritten"], true);
    assert_eq!(report["summary"]["filesRewritten"], 1);
    assert!(report.get("manifest").is_none(), "{report}");
    assert_eq!(
        std::fs::read_to_string(&app).unwrap(),
        relocated_deployment()
    );

    let out = aseecr(
        &home,
        &[
            "--registry",
            REG,
            "k8s",
            "relocate",
            "-",
            "--in-place",
            "--format",
            "json",
        ],
        &[],
        Some(DEPLOYMENT),
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        json_of(&out),
        serde_json::json!({"error": {
            "kind": "usage",
            "message": "--in-place cannot rewrite standard input (`-`)",
            "help": ["drop --in-place to print the result, or name the files"],
        }})
    );
}

#[test]
fn cronjob_as_json_carries_the_manifests_and_the_secret_command() {
    let home = Home::new();
    let file = home.path().join("fleet.yaml");
    std::fs::write(&file, FLEET).unwrap();
    let args = [
        "--registry",
        REG,
        "k8s",
        "cronjob",
        arg(&file),
        "--schedule",
        "0 3 * * *",
        "--namespace",
        "ops",
    ];
    let text = aseecr(&home, &args, &[], None);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let out = aseecr(
        &home,
        &[&args[..], &["--format", "json"]].concat(),
        &[],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = json_of(&out);
    let command = report["secretCommand"].as_str().unwrap().to_owned();
    assert!(
        command.starts_with("kubectl create secret generic aseecr-sync-passwords"),
        "{command}"
    );
    // The text run prints the same command on stderr, line by line.
    for line in command.lines() {
        assert!(text.stderr.contains(line), "{line}\n{}", text.stderr);
    }
    assert_eq!(
        report,
        serde_json::json!({
            "name": "aseecr-sync",
            "namespace": "ops",
            "schedule": "0 3 * * *",
            "image": format!("{REG}/aseecr:{}", env!("CARGO_PKG_VERSION")),
            "manifest": text.stdout,
            "secret": "aseecr-sync-passwords",
            "passwordEnvs": ["PLANT_A_PASSWORD", "PLANT_B_PASSWORD"],
            "secretCommand": command,
        })
    );

    let out = aseecr(
        &home,
        &[
            "--registry",
            REG,
            "k8s",
            "cronjob",
            arg(&file),
            "--schedule",
            "61 * * * *",
            "--format",
            "json",
        ],
        &[],
        None,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    let report = json_of(&out);
    assert_eq!(report["error"]["kind"], "usage", "{report}");
    assert_eq!(report.as_object().unwrap().len(), 1, "{report}");
}

/// A destination without `credentials` in the sync file: the pod cannot run
/// `aseecr login`, so the CronJob mounts the device's pull secret as the docker
/// config. Checked by kubectl, then run as the pod would run it: the container's
/// command from the YAML kubectl read, with its environment, each mount a folder
/// written as kubelet writes it (the ConfigMap's keys, the Secret's items, an
/// empty `emptyDir`), and no other docker config. It logs in and syncs.
#[test]
fn cronjob_pod_logs_in_with_the_device_pull_secret() {
    use crate::util::registry::{PASSWORD, USER};
    use crate::util::{TestImage, TestRegistry};
    use base64::Engine as _;
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    TestImage::single(81, &[3000]).push(&src, "app/web:1.0", false);
    let home = Home::new();
    let file = home.path().join("fleet.yaml");
    let fleet = format!(
        "destinations:\n  - name: plant\n    registry: {}\nimages:\n  - source: {}/app/web\n    tags: [\"1.0\"]\n    repository: app/web\n",
        dst.addr, src.addr
    );
    std::fs::write(&file, &fleet).unwrap();
    let out = aseecr(
        &home,
        &[
            "k8s",
            "cronjob",
            arg(&file),
            "--schedule",
            "@daily",
            "--image",
            "example.com/aseecr:1",
            "--src-plain-http",
            "--dst-ca-cert",
            arg(&dst.ca_file()),
        ],
        &[],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let items = kubectl_reads(&home, &out.stdout, &fleet);
    let pod = &items[1]["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    let container = &pod["containers"][0];
    assert_eq!(
        pod["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["secret"].is_object())
            .map(|v| v["secret"]["secretName"].clone()),
        Some("ase-ecr-credentials".into()),
        "{pod}"
    );

    // The device's secret, as `kubectl create secret docker-registry` makes it.
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    let docker_config = format!("{{\"auths\":{{\"{}\":{{\"auth\":\"{auth}\"}}}}}}", dst.addr);
    let secret_data = [(".dockerconfigjson", docker_config.as_str())];

    // Each volume as kubelet projects it, under pod/VOLUME.
    let root = home.path().join("pod");
    let mut volumes = std::collections::HashMap::new();
    for volume in pod["volumes"].as_array().unwrap() {
        let name = volume["name"].as_str().unwrap();
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        if volume["configMap"].is_object() {
            for (key, value) in items[0]["data"].as_object().unwrap() {
                std::fs::write(dir.join(key), value.as_str().unwrap()).unwrap();
            }
        } else if volume["secret"].is_object() {
            let wanted = volume["secret"]["items"].as_array().cloned();
            for (key, value) in secret_data {
                let path = match &wanted {
                    None => Some(key.to_owned()),
                    Some(items) => items
                        .iter()
                        .find(|item| item["key"] == key)
                        .map(|item| item["path"].as_str().unwrap().to_owned()),
                };
                if let Some(path) = path {
                    std::fs::write(dir.join(path), value).unwrap();
                }
            }
        } else {
            assert!(volume["emptyDir"].is_object(), "{volume}");
        }
        volumes.insert(name.to_owned(), dir);
    }
    // Paths in the pod, longest mount first, to folders here.
    let mut mounts: Vec<(String, std::path::PathBuf)> = container["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let dir = volumes[m["name"].as_str().unwrap()].clone();
            (m["mountPath"].as_str().unwrap().to_owned(), dir)
        })
        .collect();
    mounts.sort_by_key(|(path, _)| std::cmp::Reverse(path.len()));
    let local = |word: &str| -> String {
        for (path, dir) in &mounts {
            if word == path {
                return dir.display().to_string();
            }
            if let Some(rest) = word.strip_prefix(&format!("{path}/")) {
                return dir.join(rest).display().to_string();
            }
        }
        word.to_owned()
    };
    let command: Vec<String> = container["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| local(w.as_str().unwrap()))
        .collect();
    assert_eq!(command[0], "aseecr", "{command:?}");
    let mut run = home
        .aseecr()
        .env_remove("ASEECR_CONFIG_DIR")
        .env_remove("DOCKER_CONFIG")
        .env_remove("HOME")
        .env_remove("XDG_CONFIG_HOME")
        .args(&command[1..]);
    for variable in container["env"].as_array().unwrap() {
        let value = variable["value"].as_str().expect("no secretKeyRef here");
        run = run.env(variable["name"].as_str().unwrap(), local(value));
    }
    let out = run.run();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        crate::util::image::skopeo_digest(&dst, "app/web:1.0"),
        crate::util::image::skopeo_digest(&src, "app/web:1.0")
    );
    // The login came from the mounted secret alone: nothing else was written.
    let login = root.join("login");
    let entries: Vec<_> = std::fs::read_dir(&login)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["config.json"], "{entries:?}");

    let out = aseecr(
        &home,
        &[
            "k8s",
            "cronjob",
            arg(&file),
            "--schedule",
            "@daily",
            "--image",
            "example.com/aseecr:1",
            "--login-secret",
            "plant-login",
            "--format",
            "json",
        ],
        &[],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = json_of(&out);
    assert_eq!(report["loginSecret"], "plant-login", "{report}");
    assert!(
        report["manifest"]
            .as_str()
            .unwrap()
            .contains("secretName: plant-login\n"),
        "{report}"
    );

    // --no-login-secret: no mount, and a warning that names the destination.
    let out = aseecr(
        &home,
        &[
            "k8s",
            "cronjob",
            arg(&file),
            "--schedule",
            "@daily",
            "--image",
            "example.com/aseecr:1",
            "--no-login-secret",
        ],
        &[],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains("DOCKER_CONFIG"), "{}", out.stdout);
    assert!(
        out.stderr.contains("the pod has no login for `plant`"),
        "{}",
        out.stderr
    );
}

/// A relocated image the registry lacks is named (a warning, exit 0; JSON lists
/// it), or with --require-present refused before anything is written (exit 4).
/// --mirror reads a plain-HTTP source with --src-plain-http while the
/// destination stays on TLS with --dst-ca-cert.
#[test]
fn relocate_checks_the_registry_has_each_image_and_mirrors_with_source_options() {
    use crate::util::registry::{PASSWORD, USER};
    use crate::util::{TestImage, TestRegistry};
    let src = TestRegistry::plain();
    let dst = TestRegistry::edge();
    TestImage::single(82, &[2000]).push(&src, "oss/web:1.0", false);
    TestImage::single(83, &[2000]).push(&dst, "oss/api:2.0", false);
    let home = Home::new();
    let manifest = home.path().join("pods.yaml");
    let text = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: api\n    image: mcr.microsoft.com/oss/api:2.0\n  - name: web\n    image: {}/oss/web:1.0\n",
        src.addr
    );
    std::fs::write(&manifest, &text).unwrap();
    let web = format!("{}/oss/web:1.0", dst.addr);
    let run = |extra: &[&str]| {
        home.aseecr()
            .args(["--registry", &dst.addr, "-u", USER, "k8s", "relocate"])
            .args(["--dst-ca-cert", arg(&dst.ca_file())])
            .env("ASEECR_PASSWORD", PASSWORD)
            .args(extra)
            .arg(&manifest)
    };
    // oss/api is there, oss/web not: one warning naming it, exit 0, the YAML printed.
    let out = run(&[]).ok();
    assert!(
        out.stdout.contains(&format!("image: {web}\n")),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains(&format!(
            "warning: `{web}` is not in the registry: mirror it before applying"
        )),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("oss/api:2.0` is not"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("; 1 not in the registry\n"),
        "{}",
        out.stderr
    );
    let out = run(&["--format", "json"]).ok();
    let report = json_of(&out);
    assert_eq!(report["presenceChecked"], true, "{report}");
    assert_eq!(report["missing"], serde_json::json!([web]), "{report}");

    // --require-present: exit 4, nothing printed, the file untouched.
    let out = run(&["--require-present", "--in-place"]).run().code(4);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains(&format!(
            "error: 1 relocated image is not in `{}`; nothing was written: `{web}`",
            dst.addr
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("help: mirror them first: add --mirror"));
    assert_eq!(std::fs::read_to_string(&manifest).unwrap(), text);

    // The --src-* options need --mirror.
    run(&["--src-plain-http"])
        .run()
        .code(2)
        .stderr_has("--mirror");

    // --mirror from the plain-HTTP source: --src-plain-http, the destination on TLS.
    // (The api image is not on mcr in this test: mirror only the web pod.)
    let web_only = home.path().join("web.yaml");
    std::fs::write(
        &web_only,
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: {}/oss/web:1.0\n",
            src.addr
        ),
    )
    .unwrap();
    let out = home
        .aseecr()
        .args(["--registry", &dst.addr, "-u", USER, "k8s", "relocate"])
        .args(["--dst-ca-cert", arg(&dst.ca_file()), "--src-plain-http"])
        .args(["--mirror", "--require-present"])
        .env("ASEECR_PASSWORD", PASSWORD)
        .arg(&web_only)
        .ok();
    assert!(
        out.stdout.contains(&format!("image: {web}\n")),
        "{}",
        out.stdout
    );
    assert_eq!(
        crate::util::image::skopeo_digest(&dst, "oss/web:1.0"),
        crate::util::image::skopeo_digest(&src, "oss/web:1.0")
    );
    // Now there: no warning.
    let out = run(&["--require-present"]).ok();
    assert!(
        !out.stderr.contains("not in the registry"),
        "{}",
        out.stderr
    );

    // No registry at all: the help names the option that gives one.
    home.aseecr()
        .args(["k8s", "relocate"])
        .arg(&manifest)
        .run()
        .code(2)
        .stderr_has("help: pass the registry: `--registry ");
}
