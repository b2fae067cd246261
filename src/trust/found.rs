//! What the stores already trust for a registry, read back from their
//! per-registry files: `trust-cert --remove --registry` removes it without being
//! given the file, and `doctor` says which clients trust the registry.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::cert::{self, Certificate};
use super::{Environment, Store, clients};
use crate::error::Error;
use crate::fsutil;

/// What one store's certificate file for a registry holds.
#[derive(Debug, Clone)]
pub struct Found {
    pub store: Store,
    /// Every certificate in the file (usually one).
    pub certs: Vec<Certificate>,
}

/// The file each store would keep `registry`'s certificate in, as the stores
/// name them (the OS store: aseecr's anchor, on the Linux families it knows).
fn files(env: &Environment, registry: &str) -> Result<Vec<(Store, PathBuf)>> {
    let mut files = Vec::new();
    if !cfg!(any(windows, target_os = "macos"))
        && let Ok(family) = super::linux::detect_in(env)
    {
        let name = format!("aseecr-{}.crt", fsutil::safe_file_name(registry));
        files.push((Store::Os, env.system_path(family.anchors()).join(name)));
    }
    let per_registry = [
        (Store::Docker, clients::docker_dir(registry)),
        (Store::Containers, clients::containers_dir(registry)),
        (Store::Containerd, clients::containerd_dir(registry)),
    ];
    for (store, dir) in per_registry {
        if store.available() {
            files.push((store, env.system_path(dir.join("ca.crt"))));
        }
    }
    let config = env.config_dir.load()?;
    if let Some(path) = config
        .registries
        .get(registry)
        .and_then(|entry| entry.ca_cert.clone())
    {
        files.push((Store::Aseecr, path));
    }
    Ok(files)
}

/// What each store trusts for `registry`; stores without a readable certificate
/// file for it are left out.
pub fn trusted_for(env: &Environment, registry: &str) -> Result<Vec<Found>> {
    let mut found = Vec::new();
    for (store, path) in files(env, registry)? {
        if let Some(certs) = read_certs(&path) {
            found.push(Found { store, certs });
        }
    }
    Ok(found)
}

fn read_certs(path: &Path) -> Option<Vec<Certificate>> {
    let bytes = fsutil::read_path(path, fsutil::CERTIFICATE.max).ok()?;
    cert::parse(&bytes).ok().filter(|certs| !certs.is_empty())
}

/// The certificate `--remove --registry` removes: the one the stores trust for
/// the registry, or the one of several `fingerprint` names.
pub fn certificate_to_remove(
    env: &Environment,
    registry: &str,
    fingerprint: Option<&cert::Fingerprint>,
) -> Result<(String, Certificate)> {
    let found = trusted_for(env, registry)?;
    let mut distinct: Vec<(Vec<&'static str>, Certificate)> = Vec::new();
    for entry in &found {
        for cert in &entry.certs {
            match distinct
                .iter_mut()
                .find(|(_, c)| c.fingerprint() == cert.fingerprint())
            {
                Some((stores, _)) => stores.push(entry.store.name()),
                None => distinct.push((vec![entry.store.name()], cert.clone())),
            }
        }
    }
    let source = format!("the stores' certificate for `{registry}`");
    if distinct.is_empty() {
        return Err(Error::usage(format!(
            "no certificate is trusted for `{registry}` in aseecr's configuration or the per-registry folders"
        ))
        .help("nothing to remove; to remove a certificate trusted another way, pass its file: `aseecr trust-cert FILE --remove`")
        .into());
    }
    if let Some(wanted) = fingerprint {
        let certs = distinct.into_iter().map(|(_, c)| c).collect();
        return Ok((source, cert::select(certs, Some(wanted), false)?));
    }
    if distinct.len() == 1 {
        return Ok((source, distinct.remove(0).1));
    }
    let mut err = Error::usage(format!(
        "{} different certificates are trusted for `{registry}`; choose the one to remove with --fingerprint",
        distinct.len()
    ));
    for (stores, cert) in &distinct {
        err = err.help(format!(
            "`--fingerprint {}` (in {})",
            cert.info.sha256,
            stores.join(", ")
        ));
    }
    Err(err.into())
}
