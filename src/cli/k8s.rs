//! The `aseecr k8s` subcommands and their arguments.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{FormatArg, SideArgs};

const RELOCATE_EXAMPLES: &str = "\
Examples:
  aseecr k8s relocate deployment.yaml | kubectl apply -f -
  aseecr k8s relocate --mirror --pin --in-place k8s/*.yaml
  helm template ./chart | aseecr k8s relocate - | kubectl apply -f -";

/// The `aseecr k8s` subcommands.
#[derive(Debug, Subcommand)]
pub enum K8sCommand {
    /// Print an image pull secret (kubernetes.io/dockerconfigjson) for the registry
    ///
    /// The manifest has the shape `kubectl create secret docker-registry` gives, for
    /// `kubectl apply -f -`. It contains the password (base64, not encrypted).
    ///
    /// On an Azure Stack Edge device this secret already exists in every namespace
    /// as `ase-ecr-credentials`; use this command for other clusters or namespaces.
    Secret(K8sSecretArgs),
    /// Rewrite the container images of manifests to pull from the registry
    ///
    /// Rewrites the images of containers, initContainers and ephemeralContainers in
    /// Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
    /// ReplicationController, PodTemplate and List objects to REGISTRY (from
    /// --registry or `aseecr config set registry`), keeping the repository path:
    /// `mcr.microsoft.com/oss/nginx/nginx:1.17` becomes `REGISTRY/oss/nginx/nginx:1.17`,
    /// and Docker Hub's `nginx` becomes `REGISTRY/library/nginx`. Adds
    /// `imagePullSecrets: [{name: ase-ecr-credentials}]` where missing.
    ///
    /// Everything else (comments, order, quoting) is kept byte for byte. Other kinds
    /// are left unchanged and reported on stderr. The result goes to stdout, or
    /// back into the files with --in-place.
    ///
    /// Each relocated image is looked up in the registry (one HEAD each; --mirror and
    /// --pin need none): a missing one is a warning, or with --require-present an error.
    /// The --src-* options apply to the sources --mirror reads, the --dst-* options
    /// to the registry.
    Relocate(K8sRelocateArgs),
    /// Print a CronJob that runs `aseecr sync FILE` on the cluster, on a schedule
    ///
    /// Prints a ConfigMap holding the sync file as it is (and the certificates of
    /// --src-ca-cert/--dst-ca-cert), and a CronJob whose pod runs `aseecr sync` on it,
    /// for `kubectl apply -f -`. Each `passwordEnv` of the file becomes an environment
    /// variable read from the Secret --secret names, which you create: the output starts
    /// with the `kubectl create secret generic` command, and holds no password.
    #[command(name = "cronjob")]
    CronJob(K8sCronJobArgs),
}

/// Arguments of `aseecr k8s secret`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr k8s secret --namespace apps | kubectl apply -f -\n  aseecr k8s secret --output pull-secret.yaml"
)]
pub struct K8sSecretArgs {
    /// The registry, as host[:port] (default: the configured registry)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,

    /// Put the secret in NAMESPACE (default: none, so kubectl's current namespace)
    #[arg(short, long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// Name the secret NAME
    #[arg(long, value_name = "NAME", default_value = crate::k8s::DEFAULT_PULL_SECRET)]
    pub name: String,

    /// Write the secret to FILE (mode 0600) instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub format: FormatArg,
}

/// Arguments of `aseecr k8s cronjob`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr k8s cronjob fleet.yaml --schedule \"0 3 * * *\" | kubectl apply -f -",
    after_long_help = CRONJOB_HELP
)]
pub struct K8sCronJobArgs {
    /// The sync file (YAML; `-` for stdin), checked as `aseecr sync` checks it
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Run on SCHEDULE: five cron fields (minute hour day-of-month month day-of-week) or @daily
    #[arg(long, value_name = "SCHEDULE")]
    pub schedule: String,

    /// Interpret the schedule in ZONE, e.g. Europe/Berlin (default: the cluster's, usually UTC)
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,

    /// Name the CronJob and its ConfigMap NAME
    #[arg(long, value_name = "NAME", default_value = "aseecr-sync")]
    pub name: String,

    /// Put the objects in NAMESPACE (default: none, so kubectl's current namespace)
    #[arg(short, long, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// Run the aseecr image IMAGE (default: REGISTRY/aseecr:VERSION, the configured registry)
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,

    /// Read the passwords (`passwordEnv`) from the Secret NAME (default: NAME-passwords)
    #[arg(long, value_name = "NAME")]
    pub secret: Option<String>,

    /// Pull the image with the pull secret NAME (default: ase-ecr-credentials for an image on
    /// the configured registry or a destination)
    #[arg(long, value_name = "NAME")]
    pub pull_secret: Option<String>,

    /// Add no imagePullSecrets
    #[arg(long, conflicts_with = "pull_secret")]
    pub no_pull_secret: bool,

    /// Log in to the destinations without `credentials` in the file with the docker config of
    /// the pull secret NAME (a kubernetes.io/dockerconfigjson Secret)
    #[arg(long, value_name = "NAME", default_value = crate::k8s::DEFAULT_PULL_SECRET)]
    pub login_secret: String,

    /// Mount no login Secret: destinations without `credentials` are reached without a login
    #[arg(long, conflicts_with = "login_secret")]
    pub no_login_secret: bool,

    /// Pass --limit-rate RATE to `aseecr sync`: at most RATE bytes per second from the sources
    #[arg(long, value_name = "RATE")]
    pub limit_rate: Option<String>,

    /// Passed on to `aseecr sync`
    #[command(flatten)]
    pub referrers: super::mirror::ReferrersArgs,

    /// Carried to the pod (in the ConfigMap) and passed on to `aseecr sync`
    #[command(flatten)]
    pub verify: super::mirror::VerifyFlags,

    #[command(flatten)]
    pub sides: SideArgs,

    #[command(flatten)]
    pub format: FormatArg,
}

const CRONJOB_HELP: &str = "\
The pod runs `aseecr sync /etc/aseecr/sync.yaml` from the ConfigMap, as user 65532 with a
read-only root file system (HOME is an emptyDir at /tmp), one run at a time
(concurrencyPolicy: Forbid); a failed run's pod stays for `kubectl logs`. A certificate
given with --dst-ca-cert or --src-ca-cert goes into the ConfigMap (it is public) and the pod
trusts it as `aseecr sync` would; --dst-insecure and the other connection options are passed
on as they are.
The image is aseecr's own (docs/sync.md, Container image:
`aseecr mirror oci-archive:aseecr-VERSION-image.tar REGISTRY/aseecr:VERSION` puts it on the
device). Without --image it is
REGISTRY/aseecr:VERSION on the configured registry (`--registry`, `aseecr config set
registry`). An image on that registry or on a destination of the file is pulled with the
device's `ase-ecr-credentials` secret.
A destination without `credentials` in the file logs in with the docker config of the
device's `ase-ecr-credentials` pull secret (--login-secret NAME for another), mounted in the
pod as DOCKER_CONFIG=/etc/aseecr-login; the Secret must exist in the CronJob's namespace.

--verify-key and --verify-policy go into the ConfigMap and are passed to `aseecr sync`;
--trust-store's certificates (the stores the policy names) too, mounted at
/etc/aseecr-truststore in notation's layout. A sync file whose `verify` names files is
refused: the pod has the ConfigMap only.

Examples:
  aseecr k8s cronjob fleet.yaml --schedule \"0 3 * * *\" | kubectl apply -f -
  aseecr k8s cronjob fleet.yaml --schedule @daily --namespace ops \\
      --dst-ca-cert device.cer --image ecr.dbe-x.microsoftdatabox.com:31001/aseecr:0.1.0";

/// Arguments of `aseecr k8s relocate`.
#[derive(Debug, Args)]
#[command(after_help = RELOCATE_EXAMPLES)]
pub struct K8sRelocateArgs {
    /// Manifests to rewrite (YAML, several documents allowed); `-` reads stdin
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Add the image pull secret NAME to pod specs that lack it
    #[arg(long, value_name = "NAME", default_value = crate::k8s::DEFAULT_PULL_SECRET)]
    pub pull_secret: String,

    /// Leave imagePullSecrets alone
    #[arg(long, conflicts_with = "pull_secret")]
    pub no_pull_secret: bool,

    /// Rewrite the files in place instead of printing the result
    #[arg(short, long)]
    pub in_place: bool,

    /// Pin each image to its digest in the registry (`REGISTRY/path:tag@sha256:...`)
    #[arg(long)]
    pub pin: bool,

    /// Mirror every referenced image to the registry first (as `aseecr mirror` does)
    #[arg(long)]
    pub mirror: bool,

    /// Fail (exit 4, nothing written) when the registry lacks a relocated image or cannot be
    /// asked; without it each missing image is a warning
    #[arg(long)]
    pub require_present: bool,

    /// With --mirror: which referrers go along with the images
    #[command(flatten)]
    pub referrers: super::mirror::ReferrersArgs,

    /// With --mirror: what the images must be signed with
    #[command(flatten)]
    pub verify: super::mirror::VerifyFlags,

    #[command(flatten)]
    pub sides: SideArgs,

    #[command(flatten)]
    pub format: FormatArg,
}
