//! The objects that run `aseecr sync` as a Kubernetes CronJob: a ConfigMap
//! holding the sync file verbatim (and any CA certificate it needs), and the
//! CronJob whose pod mounts it and reads each `passwordEnv` from a Secret the
//! operator creates. Pure functions over text: no password ever reaches here.

use crate::error::Error;
use crate::k8s::{is_dns_label, yaml_string, yaml_text};

/// Where the ConfigMap is mounted in the pod.
pub const MOUNT_DIR: &str = "/etc/aseecr";
/// The sync file's key in the ConfigMap (and its name under [`MOUNT_DIR`]).
pub const SYNC_KEY: &str = "sync.yaml";
/// Where the login Secret's docker config is mounted in the pod (DOCKER_CONFIG).
pub const LOGIN_DIR: &str = "/etc/aseecr-login";
/// The key of a `kubernetes.io/dockerconfigjson` Secret that holds docker's config.json.
const DOCKER_CONFIG_KEY: &str = ".dockerconfigjson";
/// A CronJob's name may be at most 52 characters: its Jobs add 11.
const MAX_NAME: usize = 52;
/// The user and group the pod runs as (the image's own, "nonroot" in distroless).
pub const RUN_AS: u32 = 65532;

/// A file that goes into the ConfigMap next to the sync file, and the `sync`
/// option that names it in the pod (`--dst-ca-cert /etc/aseecr/dst-ca.crt`).
#[derive(Debug, Clone)]
pub struct MountedFile {
    /// The key in the ConfigMap: its file name under [`MOUNT_DIR`].
    pub key: &'static str,
    /// The `aseecr sync` option that gets its path.
    pub option: &'static str,
    pub text: String,
}

/// Where the trust store's certificates are mounted in the pod (notation's
/// layout: `x509/TYPE/NAME/N.pem`), for `--trust-store`.
pub const TRUST_STORE_DIR: &str = "/etc/aseecr-truststore";

/// A certificate of the trust store, in the ConfigMap under `key` (a flat
/// name: ConfigMap keys hold no `/`) and in the pod at `path` under
/// [`TRUST_STORE_DIR`].
#[derive(Debug, Clone)]
pub struct StoreFile {
    pub key: String,
    pub path: String,
    /// PEM.
    pub text: String,
}

/// Everything the objects are made of; every name already validated.
#[derive(Debug, Clone)]
pub struct CronJob<'a> {
    /// The CronJob's and the ConfigMap's name.
    pub name: &'a str,
    pub namespace: Option<&'a str>,
    pub schedule: &'a str,
    pub time_zone: Option<&'a str>,
    pub image: &'a str,
    pub pull_secret: Option<&'a str>,
    /// A `kubernetes.io/dockerconfigjson` Secret mounted as the docker config
    /// aseecr reads in the pod (`DOCKER_CONFIG`): the logins of the
    /// destinations without `credentials` in the file.
    pub login_secret: Option<&'a str>,
    /// The sync file, as read.
    pub sync_file: &'a str,
    pub files: Vec<MountedFile>,
    /// The trust store's certificates (`--trust-store`), mounted as a folder
    /// and passed as `--trust-store`; none: no such option.
    pub trust_store: Vec<StoreFile>,
    /// Options given to `aseecr sync` as they are (`--dst-insecure`,
    /// `--limit-rate`, `20M`).
    pub flags: Vec<String>,
    /// The Secret holding the passwords.
    pub secret: &'a str,
    /// The `passwordEnv` variables of the sync file, each once: each is a key of
    /// the Secret and an environment variable of the container.
    pub password_envs: Vec<String>,
}

/// The ConfigMap and the CronJob, as two YAML documents separated by `---`,
/// after a comment that says which Secret to create first (when one is needed).
pub fn manifests(job: &CronJob<'_>) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# aseecr k8s cronjob: runs `aseecr sync` on the schedule {}.\n",
        yaml_string(job.schedule)
    ));
    if !job.password_envs.is_empty() {
        out.push_str(
            "# Create the Secret with the passwords first (bash; each value comes from the\n\
             # variable of the same name in your shell, never from this file):\n",
        );
        for line in secret_command(job.secret, job.namespace, &job.password_envs).lines() {
            out.push_str(&format!("#   {line}\n"));
        }
    }
    if let Some(secret) = job.login_secret {
        out.push_str(&format!(
            "# Destinations without `credentials` log in with the docker config of the Secret\n\
             # `{secret}` (kubernetes.io/dockerconfigjson), which must exist in the namespace.\n"
        ));
    }
    out.push_str(&config_map(job));
    out.push_str("---\n");
    out.push_str(&cron_job(job));
    out
}

/// The `kubectl` command that creates the Secret of `variables`, each value read
/// from the operator's shell variable of that name through a pipe (so it is on
/// no command line). Several lines joined by ` \`.
pub fn secret_command(secret: &str, namespace: Option<&str>, variables: &[String]) -> String {
    let mut lines = vec![format!("kubectl create secret generic {secret}")];
    if let Some(namespace) = namespace {
        lines[0].push_str(&format!(" --namespace {namespace}"));
    }
    for variable in variables {
        lines.push(format!(
            "  --from-file={variable}=<(printf %s \"${variable}\")"
        ));
    }
    lines.join(" \\\n")
}

fn metadata(out: &mut String, job: &CronJob<'_>) {
    out.push_str("metadata:\n");
    out.push_str(&format!("  name: {}\n", yaml_string(job.name)));
    if let Some(namespace) = job.namespace {
        out.push_str(&format!("  namespace: {}\n", yaml_string(namespace)));
    }
    labels(out, job, "  ");
}

fn labels(out: &mut String, job: &CronJob<'_>, indent: &str) {
    out.push_str(&format!("{indent}labels:\n"));
    out.push_str(&format!(
        "{indent}  app.kubernetes.io/name: {}\n",
        yaml_string(job.name)
    ));
    out.push_str(&format!("{indent}  app.kubernetes.io/managed-by: aseecr\n"));
}

fn config_map(job: &CronJob<'_>) -> String {
    let mut out = String::from("apiVersion: v1\nkind: ConfigMap\n");
    metadata(&mut out, job);
    out.push_str("data:\n");
    out.push_str(&format!("  {SYNC_KEY}: {}\n", yaml_text(job.sync_file, 4)));
    for file in &job.files {
        out.push_str(&format!("  {}: {}\n", file.key, yaml_text(&file.text, 4)));
    }
    for file in &job.trust_store {
        out.push_str(&format!(
            "  {}: {}\n",
            yaml_string(&file.key),
            yaml_text(&file.text, 4)
        ));
    }
    out
}

fn cron_job(job: &CronJob<'_>) -> String {
    let mut out = String::from("apiVersion: batch/v1\nkind: CronJob\n");
    metadata(&mut out, job);
    out.push_str("spec:\n");
    out.push_str(&format!("  schedule: {}\n", yaml_string(job.schedule)));
    if let Some(zone) = job.time_zone {
        out.push_str(&format!("  timeZone: {}\n", yaml_string(zone)));
    }
    // A run still copying when the next is due is left to finish.
    out.push_str("  concurrencyPolicy: Forbid\n");
    out.push_str("  successfulJobsHistoryLimit: 3\n");
    out.push_str("  failedJobsHistoryLimit: 3\n");
    out.push_str("  jobTemplate:\n");
    out.push_str("    spec:\n");
    out.push_str("      backoffLimit: 2\n");
    out.push_str("      template:\n");
    out.push_str("        metadata:\n");
    labels(&mut out, job, "          ");
    out.push_str("        spec:\n");
    // Never: a failed run's pod (and its log) stays for `kubectl logs`.
    out.push_str("          restartPolicy: Never\n");
    if let Some(secret) = job.pull_secret {
        out.push_str("          imagePullSecrets:\n");
        out.push_str(&format!("            - name: {}\n", yaml_string(secret)));
    }
    out.push_str("          securityContext:\n");
    out.push_str("            runAsNonRoot: true\n");
    out.push_str(&format!("            runAsUser: {RUN_AS}\n"));
    out.push_str(&format!("            runAsGroup: {RUN_AS}\n"));
    out.push_str("            seccompProfile:\n");
    out.push_str("              type: RuntimeDefault\n");
    container(&mut out, job);
    volumes(&mut out, job);
    out
}

/// The pod's one container: the `aseecr sync` command, its environment and mounts.
fn container(out: &mut String, job: &CronJob<'_>) {
    out.push_str("          containers:\n");
    out.push_str("            - name: sync\n");
    out.push_str(&format!(
        "              image: {}\n",
        yaml_string(job.image)
    ));
    out.push_str("              command:\n");
    let mut command = vec![
        "aseecr".to_owned(),
        "sync".to_owned(),
        format!("{MOUNT_DIR}/{SYNC_KEY}"),
    ];
    for file in &job.files {
        command.push(file.option.to_owned());
        command.push(format!("{MOUNT_DIR}/{}", file.key));
    }
    if !job.trust_store.is_empty() {
        command.push("--trust-store".to_owned());
        command.push(TRUST_STORE_DIR.to_owned());
    }
    command.extend(job.flags.iter().cloned());
    for word in &command {
        out.push_str(&format!("                - {}\n", yaml_string(word)));
    }
    out.push_str("              env:\n");
    // aseecr keeps its settings under $HOME; the root file system is read-only.
    out.push_str("                - name: HOME\n");
    out.push_str("                  value: /tmp\n");
    if job.login_secret.is_some() {
        out.push_str("                - name: DOCKER_CONFIG\n");
        out.push_str(&format!("                  value: {LOGIN_DIR}\n"));
    }
    for variable in &job.password_envs {
        out.push_str(&format!(
            "                - name: {}\n",
            yaml_string(variable)
        ));
        out.push_str("                  valueFrom:\n");
        out.push_str("                    secretKeyRef:\n");
        out.push_str(&format!(
            "                      name: {}\n",
            yaml_string(job.secret)
        ));
        out.push_str(&format!(
            "                      key: {}\n",
            yaml_string(variable)
        ));
    }
    out.push_str("              securityContext:\n");
    out.push_str("                allowPrivilegeEscalation: false\n");
    out.push_str("                readOnlyRootFilesystem: true\n");
    out.push_str("                capabilities:\n");
    out.push_str("                  drop:\n");
    out.push_str("                    - ALL\n");
    out.push_str("              volumeMounts:\n");
    out.push_str("                - name: sync-file\n");
    out.push_str(&format!("                  mountPath: {MOUNT_DIR}\n"));
    out.push_str("                  readOnly: true\n");
    out.push_str("                - name: tmp\n");
    out.push_str("                  mountPath: /tmp\n");
    if !job.trust_store.is_empty() {
        out.push_str("                - name: trust-store\n");
        out.push_str(&format!("                  mountPath: {TRUST_STORE_DIR}\n"));
        out.push_str("                  readOnly: true\n");
    }
    if job.login_secret.is_some() {
        out.push_str("                - name: login\n");
        out.push_str(&format!("                  mountPath: {LOGIN_DIR}\n"));
        out.push_str("                  readOnly: true\n");
    }
}

/// The pod's volumes: the ConfigMap, `/tmp`, and the login Secret if any.
fn volumes(out: &mut String, job: &CronJob<'_>) {
    out.push_str("          volumes:\n");
    out.push_str("            - name: sync-file\n");
    out.push_str("              configMap:\n");
    out.push_str(&format!(
        "                name: {}\n",
        yaml_string(job.name)
    ));
    out.push_str("            - name: tmp\n");
    out.push_str("              emptyDir: {}\n");
    if !job.trust_store.is_empty() {
        // The same ConfigMap, its certificates only, each at its place in
        // notation's layout.
        out.push_str("            - name: trust-store\n");
        out.push_str("              configMap:\n");
        out.push_str(&format!(
            "                name: {}\n",
            yaml_string(job.name)
        ));
        out.push_str("                items:\n");
        for file in &job.trust_store {
            out.push_str(&format!(
                "                  - key: {}\n",
                yaml_string(&file.key)
            ));
            out.push_str(&format!(
                "                    path: {}\n",
                yaml_string(&file.path)
            ));
        }
    }
    if let Some(secret) = job.login_secret {
        // Only docker's config.json, from the key a docker-registry Secret has.
        out.push_str("            - name: login\n");
        out.push_str("              secret:\n");
        out.push_str(&format!(
            "                secretName: {}\n",
            yaml_string(secret)
        ));
        out.push_str("                items:\n");
        out.push_str(&format!(
            "                  - key: {}\n",
            yaml_string(DOCKER_CONFIG_KEY)
        ));
        out.push_str("                    path: config.json\n");
    }
}

/// Check a CronJob name: a DNS label of at most 52 characters (its Jobs add 11).
pub fn validate_name(name: &str) -> Result<(), Error> {
    if is_dns_label(name, MAX_NAME) {
        Ok(())
    } else {
        Err(Error::usage(format!("invalid CronJob name `{name}`")).help(format!(
            "use at most {MAX_NAME} lower-case letters, digits and `-`, starting and ending with a letter or digit, e.g. `aseecr-sync`"
        )))
    }
}

/// Check a `passwordEnv` variable for the pod: it becomes an environment
/// variable (a C identifier, as every Kubernetes version takes) and a Secret key.
pub fn validate_variable(variable: &str, destination: &str) -> Result<(), Error> {
    let ok = variable
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && variable
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        let destination = crate::output::terminal_safe_name(destination);
        let variable = crate::output::terminal_safe_name(variable);
        Err(Error::usage(format!(
            "destination `{destination}`: `passwordEnv: {variable}` cannot be a Kubernetes environment variable"
        ))
        .help("name it with letters, digits and `_`, not starting with a digit, e.g. `PLANT_A_PASSWORD`"))
    }
}

/// The five fields of a schedule, with their ranges and names.
const FIELDS: [(&str, u32, u32, &[&str]); 5] = [
    ("minute", 0, 59, &[]),
    ("hour", 0, 23, &[]),
    ("day of month", 1, 31, &[]),
    (
        "month",
        1,
        12,
        &[
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        ],
    ),
    (
        "day of week",
        0,
        6,
        &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
    ),
];

/// The shorthands Kubernetes takes for a whole schedule.
const SHORTHANDS: &[&str] = &[
    "@yearly",
    "@annually",
    "@monthly",
    "@weekly",
    "@daily",
    "@midnight",
    "@hourly",
];

/// Check a schedule as Kubernetes reads it (robfig/cron's standard parser): five
/// fields, minute hour day-of-month month day-of-week, each `*`, `?`, a value, a
/// range `A-B`, any of them with a step `/N`, or a list of them joined by `,`;
/// or one of the shorthands (`@daily`).
pub fn validate_schedule(schedule: &str) -> Result<(), Error> {
    let bad = |why: String| {
        Error::usage(format!("invalid schedule `{schedule}`: {why}"))
            .help("write five fields, minute hour day-of-month month day-of-week, e.g. --schedule \"0 3 * * *\" (every day at 03:00), or a shorthand such as @daily")
    };
    let trimmed = schedule.trim();
    if trimmed.starts_with("TZ=") || trimmed.starts_with("CRON_TZ=") {
        return Err(Error::usage(format!(
            "invalid schedule `{schedule}`: Kubernetes refuses a time zone in the schedule"
        ))
        .help("give it with --time-zone, e.g. --time-zone Europe/Berlin"));
    }
    if trimmed.starts_with('@') {
        return if SHORTHANDS.contains(&trimmed) {
            Ok(())
        } else {
            Err(bad(format!(
                "unknown shorthand; Kubernetes takes {}",
                SHORTHANDS.join(", ")
            )))
        };
    }
    let fields: Vec<&str> = trimmed.split_ascii_whitespace().collect();
    if fields.len() != FIELDS.len() {
        return Err(bad(format!(
            "it has {} field{}, a schedule has 5",
            fields.len(),
            if fields.len() == 1 { "" } else { "s" }
        )));
    }
    for (text, (what, min, max, names)) in fields.iter().zip(FIELDS) {
        for item in text.split(',') {
            check_item(item, min, max, names)
                .map_err(|why| bad(format!("the {what} field `{text}`: {why}")))?;
        }
    }
    Ok(())
}

/// One item of a field: `*`, `?`, `V`, `A-B`, each optionally `/STEP`.
fn check_item(item: &str, min: u32, max: u32, names: &[&str]) -> Result<(), String> {
    if item.is_empty() {
        return Err("an item of its list is empty".into());
    }
    let (range, step) = match item.split_once('/') {
        Some((range, step)) => (range, Some(step)),
        None => (item, None),
    };
    if let Some(step) = step {
        match step.parse::<u32>() {
            Ok(n) if n > 0 => {}
            _ => return Err(format!("the step `/{step}` is not a whole number above 0")),
        }
    }
    if range == "*" || range == "?" {
        return Ok(());
    }
    let value = |text: &str| -> Result<u32, String> {
        if let Some(at) = names.iter().position(|n| n.eq_ignore_ascii_case(text)) {
            return Ok(min + at as u32);
        }
        match text.parse::<u32>() {
            Ok(v) if (min..=max).contains(&v) => Ok(v),
            Ok(v) => Err(format!("{v} is outside {min}-{max}")),
            Err(_) if text.is_empty() => Err(format!("`{item}` lacks a value")),
            Err(_) => Err(format!("`{text}` is not a number")),
        }
    };
    match range.split_once('-') {
        Some((from, to)) => {
            let (from, to) = (value(from)?, value(to)?);
            if from > to {
                return Err(format!("the range `{range}` runs backwards"));
            }
        }
        None => {
            value(range)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::yaml::parse;
    use crate::yaml::Node;

    fn job<'a>(sync_file: &'a str, password_envs: &[&str]) -> CronJob<'a> {
        CronJob {
            name: "aseecr-sync",
            namespace: Some("apps"),
            schedule: "0 3 * * *",
            time_zone: Some("Europe/Berlin"),
            image: "ecr.example.com:31001/aseecr:0.1.0",
            pull_secret: Some("ase-ecr-credentials"),
            login_secret: Some("ase-ecr-credentials"),
            sync_file,
            files: vec![MountedFile {
                key: "dst-ca.crt",
                option: "--dst-ca-cert",
                text: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".into(),
            }],
            trust_store: Vec::new(),
            flags: vec!["--src-insecure".to_owned()],
            secret: "aseecr-sync-passwords",
            password_envs: password_envs.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn path<'n>(node: &'n Node, keys: &[&str]) -> &'n Node {
        keys.iter().fold(node, |node, key| {
            node.get(key)
                .unwrap_or_else(|| panic!("no `{key}` in {node:?}"))
        })
    }

    fn items(node: &Node) -> &[Node] {
        match node {
            Node::Sequence { items, .. } => items,
            _ => panic!("not a list: {node:?}"),
        }
    }

    #[test]
    fn the_objects_read_back_with_the_file_verbatim() {
        let sync = "# fleet\ndestinations:\n  - name: a\n    registry: r.example.com\n    credentials: {username: u, passwordEnv: PLANT_A}\nimages:\n  - source: nginx\n    tags: ['1.25']\n";
        let text = manifests(&job(sync, &["PLANT_A"]));
        let docs = parse(&text).unwrap();
        assert_eq!(docs.len(), 2, "{text}");
        let (map, cron) = (&docs[0], &docs[1]);
        assert_eq!(path(map, &["kind"]).as_str(), Some("ConfigMap"));
        assert_eq!(path(map, &["data", SYNC_KEY]).as_str(), Some(sync));
        assert_eq!(
            path(map, &["data", "dst-ca.crt"]).as_str(),
            Some("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        );
        assert_eq!(path(cron, &["kind"]).as_str(), Some("CronJob"));
        assert_eq!(path(cron, &["apiVersion"]).as_str(), Some("batch/v1"));
        assert_eq!(
            path(cron, &["metadata", "namespace"]).as_str(),
            Some("apps")
        );
        assert_eq!(
            path(cron, &["spec", "schedule"]).as_str(),
            Some("0 3 * * *")
        );
        assert_eq!(
            path(cron, &["spec", "concurrencyPolicy"]).as_str(),
            Some("Forbid")
        );
        let pod = path(cron, &["spec", "jobTemplate", "spec", "template", "spec"]);
        assert_eq!(path(pod, &["restartPolicy"]).as_str(), Some("Never"));
        let container = &items(path(pod, &["containers"]))[0];
        let command: Vec<&str> = items(path(container, &["command"]))
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(
            command,
            [
                "aseecr",
                "sync",
                "/etc/aseecr/sync.yaml",
                "--dst-ca-cert",
                "/etc/aseecr/dst-ca.crt",
                "--src-insecure"
            ]
        );
        let env = items(path(container, &["env"]));
        let password = env
            .iter()
            .find(|e| path(e, &["name"]).as_str() == Some("PLANT_A"))
            .expect("the password variable");
        assert_eq!(
            path(password, &["valueFrom", "secretKeyRef", "name"]).as_str(),
            Some("aseecr-sync-passwords")
        );
        assert_eq!(
            path(password, &["valueFrom", "secretKeyRef", "key"]).as_str(),
            Some("PLANT_A")
        );
        let login = env
            .iter()
            .find(|e| path(e, &["name"]).as_str() == Some("DOCKER_CONFIG"))
            .expect("the docker config variable");
        assert_eq!(path(login, &["value"]).as_str(), Some(LOGIN_DIR));
        let volume = items(path(pod, &["volumes"]))
            .iter()
            .find(|v| path(v, &["name"]).as_str() == Some("login"))
            .expect("the login volume");
        let item = &items(path(volume, &["secret", "items"]))[0];
        assert_eq!(path(item, &["key"]).as_str(), Some(".dockerconfigjson"));
        assert_eq!(path(item, &["path"]).as_str(), Some("config.json"));
        // The Secret's command is in the leading comment, without a value.
        assert!(
            text.contains("#   kubectl create secret generic aseecr-sync-passwords --namespace apps \\\n#     --from-file=PLANT_A=<(printf %s \"$PLANT_A\")\n"),
            "{text}"
        );
    }

    #[test]
    fn without_passwords_there_is_no_secret_and_no_comment_about_it() {
        let mut job = job("destinations: []\n", &[]);
        job.pull_secret = None;
        job.login_secret = None;
        job.namespace = None;
        job.time_zone = None;
        let text = manifests(&job);
        assert!(!text.contains("secretKeyRef"), "{text}");
        assert!(!text.contains("kubectl create secret"), "{text}");
        assert!(!text.contains("imagePullSecrets"), "{text}");
        assert!(!text.contains("DOCKER_CONFIG"), "{text}");
        assert!(!text.contains("secretName"), "{text}");
        assert!(!text.contains("namespace:"), "{text}");
        assert!(!text.contains("timeZone"), "{text}");
        assert_eq!(parse(&text).unwrap().len(), 2);
    }

    #[test]
    fn schedules_are_checked_as_kubernetes_reads_them() {
        for good in [
            "0 3 * * *",
            "*/15 * * * *",
            "0 0-6/2 1,15 JAN-jun mon-FRI",
            "5 4 ? * 0",
            " 0 3 * * * ",
            "@daily",
            "@hourly",
        ] {
            assert!(validate_schedule(good).is_ok(), "{good}");
        }
        for (bad, why) in [
            ("0 3 * *", "it has 4 fields, a schedule has 5"),
            ("0 3 * * * *", "it has 6 fields"),
            ("", "it has 0 fields"),
            ("60 3 * * *", "the minute field `60`: 60 is outside 0-59"),
            ("0 24 * * *", "the hour field `24`: 24 is outside 0-23"),
            ("0 3 0 * *", "the day of month field `0`: 0 is outside 1-31"),
            ("0 3 * 13 *", "the month field `13`"),
            ("0 3 * * 7", "the day of week field `7`"),
            ("*/0 * * * *", "the step `/0`"),
            ("0 5-2 * * *", "the range `5-2` runs backwards"),
            ("0 3 * * MON,", "an item of its list is empty"),
            ("0 3 * * 1-", "`1-` lacks a value"),
            ("a 3 * * *", "`a` is not a number"),
            ("@sometimes", "unknown shorthand"),
            ("TZ=UTC 0 3 * * *", "a time zone in the schedule"),
        ] {
            let err = validate_schedule(bad).unwrap_err();
            assert_eq!(err.kind, crate::error::Kind::Usage);
            assert!(err.message.contains(why), "{bad}: {}", err.message);
            assert!(
                err.message
                    .starts_with(&format!("invalid schedule `{bad}`: ")),
                "{}",
                err.message
            );
        }
    }

    #[test]
    fn names_and_variables_are_checked() {
        assert!(validate_name("aseecr-sync").is_ok());
        assert!(validate_name(&"a".repeat(52)).is_ok());
        assert!(validate_name(&"a".repeat(53)).is_err());
        assert!(validate_name("Sync").is_err());
        assert!(validate_variable("PLANT_A_PASSWORD", "a").is_ok());
        assert!(validate_variable("_x1", "a").is_ok());
        for bad in ["1X", "A-B", "A.B", "A B", ""] {
            let err = validate_variable(bad, "plant-a").unwrap_err();
            assert!(err.message.contains("`plant-a`"), "{}", err.message);
        }
    }
}
