//! What the copying commands (`mirror`, `sync`, `k8s relocate --mirror`,
//! and the `sync` a `k8s cronjob` runs) verify their images with: the flags,
//! the configuration and a sync file's `verify` keys, read and checked before
//! any request; and what a CronJob carries to its pod for that.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Result;

use super::verify::{Verification, VerifyPaths, requirements};
use crate::error::Error;
use crate::fsutil;
use crate::k8s::cronjob::{MountedFile, StoreFile};
use crate::output::terminal_safe_name;
use crate::settings::Settings;
use crate::sync::{SyncFile, VerifyKey};
use crate::verify::{self, Requirements, StoreRef, TrustStore};

/// What a copying command verifies its images with (`--verify-key`,
/// `--verify-policy`, `--trust-store`, the configured `verify-policy`): read
/// and checked before any request; nothing when nothing asks for it.
pub fn verification(settings: &Settings, flags: VerifyPaths<'_>) -> Result<Arc<Verification>> {
    let every = requirements(settings, flags.key, flags.policy, flags.trust_store)?;
    Ok(Arc::new(Verification::new(every, Default::default())))
}

/// The requirements of every image (the file's `verify`, else the flags and
/// the configuration, as `mirror` reads them) and of each image that has its
/// own `verify` (`Some(None)`: `verify: false`), all read before any request.
#[allow(clippy::type_complexity)]
pub fn sync_requirements(
    settings: &Settings,
    flags: VerifyPaths<'_>,
    file: &SyncFile,
) -> Result<(Option<Requirements>, Vec<Option<Option<Arc<Requirements>>>>)> {
    let load = |key: &VerifyKey| -> Result<Option<Requirements>> {
        match key {
            VerifyKey::Off => Ok(None),
            VerifyKey::With {
                key,
                policy,
                trust_store,
            } => requirements(
                settings,
                key.as_deref(),
                policy.as_deref(),
                trust_store.as_deref(),
            ),
        }
    };
    let every = match &file.verify {
        Some(key) => load(key)?,
        None => requirements(settings, flags.key, flags.policy, flags.trust_store)?,
    };
    let own = file
        .images
        .iter()
        .map(|image| {
            image
                .verify
                .as_ref()
                .map(|key| Ok(load(key)?.map(Arc::new)))
                .transpose()
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((every, own))
}

/// The images with their own `verify`, by source image with its tag.
pub fn sync_verify_of(
    file: &SyncFile,
    selected: &[Result<Vec<String>>],
    own: Vec<Option<Option<Arc<Requirements>>>>,
) -> HashMap<String, Option<Arc<Requirements>>> {
    let mut of = HashMap::new();
    for ((image, tags), own) in file.images.iter().zip(selected).zip(own) {
        let (Some(own), Ok(tags)) = (own, tags) else {
            continue;
        };
        for tag in tags {
            of.insert(image.source.with_tag(tag).to_string(), own.clone());
        }
    }
    of
}

/// The sync file goes to the CronJob's pod alone: a `verify` naming files is
/// refused with the form that travels (the flags, which go into the ConfigMap).
pub fn refuse_verify_files(file: &SyncFile) -> Result<()> {
    let keys = std::iter::once(file.verify.as_ref())
        .chain(file.images.iter().map(|image| image.verify.as_ref()))
        .flatten();
    for key in keys {
        if let Some((name, path)) = key.paths().next() {
            return Err(Error::usage(format!(
                "the sync file's `verify` names `{name}: {}`, a file the CronJob's pod does not have",
                terminal_safe_name(&path.to_string_lossy())
            ))
            .help("pass them with --verify-key, --verify-policy and --trust-store, which go into the ConfigMap (`verify: false` on an image is fine)")
            .into());
        }
    }
    Ok(())
}

/// What `k8s cronjob` carries to the pod for verification: the key and the
/// policy (as the copying commands read them: flags, else the configured
/// `verify-policy`), and the certificates of the trust store's named stores
/// the policy uses, each read and checked here.
pub fn cronjob_files(
    settings: &Settings,
    flags: VerifyPaths<'_>,
) -> Result<(Vec<MountedFile>, Vec<StoreFile>)> {
    let Some(requirements) = requirements(settings, flags.key, flags.policy, flags.trust_store)?
    else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut files = Vec::new();
    if let Some(key) = &requirements.key {
        let bytes = fsutil::read_file(&key.file, &verify::PUBLIC_KEY)?;
        files.push(MountedFile {
            key: "verify-key.pub",
            option: "--verify-key",
            text: String::from_utf8_lossy(&bytes).into_owned(),
        });
    }
    let Some((policy, file)) = &requirements.policy else {
        return Ok((files, Vec::new()));
    };
    let bytes = fsutil::read_file(file, &verify::TRUST_POLICY)?;
    files.push(MountedFile {
        key: "trustpolicy.json",
        option: "--verify-policy",
        text: String::from_utf8_lossy(&bytes).into_owned(),
    });
    let mut stores: Vec<&StoreRef> = Vec::new();
    for statement in &policy.statements {
        // Checked as a run checks it: a store that is missing or wrong is an
        // error here, not in the pod.
        TrustStore::load(&requirements.trust_store, statement)?;
        for store in &statement.trust_stores {
            if !stores.contains(&store) {
                stores.push(store);
            }
        }
    }
    let mut carried = Vec::new();
    for store in stores {
        carried.extend(store_files(&requirements.trust_store, store)?);
    }
    Ok((files, carried))
}

/// The certificates of one named store, each file as PEM under
/// `x509/TYPE/NAME/N.pem` (the files [`TrustStore::load`] reads, in order).
fn store_files(root: &Path, store: &StoreRef) -> Result<Vec<StoreFile>> {
    let kind = store.kind.name();
    let dir = root.join("x509").join(kind).join(&store.name);
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if matches!(ext.as_deref(), Some("pem" | "crt" | "cer")) && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    paths.truncate(verify::MAX_STORE_FILES);
    let mut files = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let bytes = fsutil::read_file(path, &verify::STORE_CERTIFICATE)?;
        let certificates = crate::pki::parse(&bytes)?;
        files.push(StoreFile {
            key: format!("truststore.{kind}.{}.{i}.pem", store.name),
            path: format!("x509/{kind}/{}/{i}.pem", store.name),
            text: crate::pki::to_pem(&certificates),
        });
    }
    Ok(files)
}
