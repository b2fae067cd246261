//! The wire types of the `k8s` commands: manifests as YAML text, byte for byte
//! what the text output prints.

use serde::Serialize;

/// `aseecr k8s secret`: the pull secret, or where it was written.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct K8sSecret {
    pub registry: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The Secret as YAML (it holds the password, base64): left out with `--output`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
    /// The file written with `--output` (mode 0600).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_to: Option<String>,
}

/// `aseecr k8s cronjob`: the ConfigMap and CronJob, and the Secret to create.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct K8sCronJob {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub schedule: String,
    pub image: String,
    /// The ConfigMap and the CronJob, as YAML.
    pub manifest: String,
    /// The Secret the pod reads the passwords from.
    pub secret: String,
    /// The variables that Secret must hold, each once.
    pub password_envs: Vec<String>,
    /// The `kubectl create secret generic` command that makes it (bash), when
    /// there are passwords.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_command: Option<String>,
    /// The dockerconfigjson Secret mounted as the pod's docker config, for the
    /// destinations without `credentials`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login_secret: Option<String>,
}

/// `aseecr k8s relocate`: every input with its changes, and the result.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct K8sRelocation {
    pub registry: String,
    pub in_place: bool,
    pub files: Vec<RelocatedFile>,
    /// Every input relocated, as one YAML stream: left out with `--in-place`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
    /// Whether the registry was asked for each relocated image (not with
    /// --pin or --mirror, which have them; not when it could not be reached).
    pub presence_checked: bool,
    /// Why the registry could not be asked, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_checked_because: Option<String>,
    /// The relocated images the registry does not have, each once.
    pub missing: Vec<String>,
    pub summary: RelocationSummary,
}

/// One input of `k8s relocate`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelocatedFile {
    /// The path as given, or `<stdin>`.
    pub file: String,
    pub changes: Vec<ImageChange>,
    /// Images that already had the reference they would get.
    pub unchanged_count: usize,
    /// The objects (`Kind/name`) that got the pull secret.
    pub pull_secret_added: Vec<String>,
    /// What was left alone and why.
    pub notes: Vec<String>,
    /// With `--in-place`: whether the file was rewritten.
    pub rewritten: bool,
}

/// One image field rewritten.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageChange {
    pub line: usize,
    /// `Kind/name` of the object.
    pub object: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    pub from: String,
    pub to: String,
}

/// The counts of `k8s relocate`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelocationSummary {
    pub relocated: usize,
    pub already_there: usize,
    pub pull_secrets_added: usize,
    pub files_rewritten: usize,
}
