//! The Windows OS trust store: the LocalMachine `Root` store, through CryptoAPI
//! (the `schannel` crate). Not redirectable with `--root`.

use anyhow::{Context, Result};
use schannel::cert_context::CertContext;
use schannel::cert_store::{CertAdd, CertStore};

use super::{Action, Environment, Op, Outcome, Request, Store};
use crate::error::Error;

const TARGET: &str = "LocalMachine\\Root";

fn open() -> Result<CertStore> {
    CertStore::open_local_machine("Root").map_err(|err| {
        if err.kind() == std::io::ErrorKind::PermissionDenied {
            super::permission_error("open", std::path::Path::new(TARGET))
        } else {
            anyhow::Error::new(err).context(format!("cannot open the `{TARGET}` certificate store"))
        }
    })
}

fn find(store: &CertStore, der: &[u8]) -> Option<CertContext> {
    store.certs().find(|cert| cert.to_der() == der)
}

/// Plan the Root store: is the certificate there already?
pub fn plan(env: &Environment, request: &Request<'_>) -> Result<Action> {
    if env.root.is_some() {
        return Err(
            Error::usage("the Windows certificate store cannot be redirected with --root")
                .help("leave it out: `--store docker,aseecr`")
                .into(),
        );
    }
    let der = request.cert.der();
    let present = find(&open()?, der).is_some();
    let op = |add| Op::WindowsRoot {
        add,
        der: der.to_vec(),
    };
    Ok(match (request.remove, present) {
        (false, true) => Action::new(Store::Os, Outcome::AlreadyTrusted, TARGET),
        (false, false) => Action::new(Store::Os, Outcome::Add, TARGET).op(op(true)),
        (true, true) => Action::new(Store::Os, Outcome::Remove, TARGET).op(op(false)),
        (true, false) => Action::new(Store::Os, Outcome::NotTrusted, TARGET),
    })
}

/// Add the certificate to the Root store.
pub fn add(der: &[u8]) -> Result<()> {
    let cert = CertContext::new(der).context("Windows cannot read the certificate")?;
    open()?
        .add_cert(&cert, CertAdd::ReplaceExisting)
        .map_err(map_write_error)?;
    Ok(())
}

/// Remove the certificate from the Root store (nothing when it is not there).
pub fn remove(der: &[u8]) -> Result<()> {
    if let Some(cert) = find(&open()?, der) {
        cert.delete().map_err(map_write_error)?;
    }
    Ok(())
}

fn map_write_error(err: std::io::Error) -> anyhow::Error {
    if err.kind() == std::io::ErrorKind::PermissionDenied {
        super::permission_error("change", std::path::Path::new(TARGET))
    } else {
        anyhow::Error::new(err).context(format!("cannot change the `{TARGET}` certificate store"))
    }
}
