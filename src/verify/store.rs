//! notation's trust store: a directory holding `x509/ca/NAME`,
//! `x509/signingAuthority/NAME` and `x509/tsa/NAME`, each named store a folder
//! of root certificates (`.pem`, `.crt`, `.cer`; PEM or DER). Only the named
//! stores a policy statement uses are read, each bounded; symbolic links are
//! refused (the specification requires it), sub-folders ignored.

use std::path::{Path, PathBuf};

use anyhow::Result;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::error::{Error, Kind};
use crate::fsutil::{self, ShowPath};

use super::policy::PolicyStatement;
use super::{MAX_STORE_CERTIFICATES, MAX_STORE_FILES, STORE_CERTIFICATE};

/// The three kinds of named store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StoreType {
    /// `ca`: roots of code-signing certificate chains (`notary.x509`).
    Ca,
    /// `signingAuthority`: roots for `notary.x509.signingAuthority`.
    SigningAuthority,
    /// `tsa`: roots of timestamping authorities (RFC 3161).
    Tsa,
}

impl StoreType {
    /// The name in the policy (`ca:NAME`) and the folder under `x509/`.
    pub fn name(self) -> &'static str {
        match self {
            StoreType::Ca => "ca",
            StoreType::SigningAuthority => "signingAuthority",
            StoreType::Tsa => "tsa",
        }
    }
}

/// One `trustStores` entry of a statement: `TYPE:NAME`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoreRef {
    pub kind: StoreType,
    /// `[a-zA-Z0-9_.-]+`, a folder name.
    pub name: String,
}

impl StoreRef {
    /// Parse `TYPE:NAME`; the error completes "statement \"S\" ...".
    pub fn parse(text: &str) -> Result<StoreRef, String> {
        let Some((kind, name)) = text.split_once(':') else {
            return Err(format!(
                "has the trust store \"{text}\", which is not TYPE:NAME (`ca:NAME`, `signingAuthority:NAME` or `tsa:NAME`)"
            ));
        };
        let kind = match kind {
            "ca" => StoreType::Ca,
            "signingAuthority" => StoreType::SigningAuthority,
            "tsa" => StoreType::Tsa,
            _ => {
                return Err(format!(
                    "has the trust store \"{text}\" of type \"{kind}\"; the types are ca, signingAuthority and tsa"
                ));
            }
        };
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            && name != "."
            && name != "..";
        if !valid {
            return Err(format!(
                "has the trust store \"{text}\" whose name is not [a-zA-Z0-9_.-]+"
            ));
        }
        Ok(StoreRef {
            kind,
            name: name.to_owned(),
        })
    }
}

impl std::fmt::Display for StoreRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.kind.name(), self.name)
    }
}

/// One certificate of a named store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreCertificate {
    /// DER.
    pub der: Vec<u8>,
    /// The file it came from, for messages.
    pub file: PathBuf,
}

/// The named stores one policy statement uses, read from a trust store folder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustStore {
    /// The folder (`--trust-store`), for messages.
    pub root: PathBuf,
    /// Each store the statement names, in the statement's order, with its
    /// certificates (never empty: an empty named store is an error).
    pub stores: Vec<(StoreRef, Vec<StoreCertificate>)>,
}

impl TrustStore {
    /// Read the named stores `statement` uses from `root`. A named store that
    /// is missing, a symbolic link, empty, or holds a file that is not a
    /// certificate (or a certificate that is neither a CA nor self-issued) is
    /// an error naming it.
    pub fn load(root: &Path, statement: &PolicyStatement) -> Result<TrustStore> {
        let mut stores = Vec::new();
        for store in &statement.trust_stores {
            if stores.iter().any(|(s, _)| s == store) {
                continue;
            }
            let certificates = read_named_store(root, store)?;
            stores.push((store.clone(), certificates));
        }
        Ok(TrustStore {
            root: root.to_owned(),
            stores,
        })
    }

    /// The certificates (DER) of every named store of `kind` the statement
    /// uses: the trust anchors for that kind of chain.
    #[allow(dead_code)] // for the Notary Project verifier (verify::notary)
    pub fn anchors(&self, kind: StoreType) -> impl Iterator<Item = &StoreCertificate> {
        self.stores
            .iter()
            .filter(move |(store, _)| store.kind == kind)
            .flat_map(|(_, certificates)| certificates)
    }

    /// Whether the statement names any store of `kind` (a `tsa` store turns
    /// timestamp verification on).
    #[allow(dead_code)] // for the Notary Project verifier (verify::notary)
    pub fn has(&self, kind: StoreType) -> bool {
        self.stores.iter().any(|(store, _)| store.kind == kind)
    }
}

fn store_error(message: String) -> anyhow::Error {
    Error::new(Kind::Usage, message)
        .help("put the root certificates in the trust store as notation does: `x509/ca/NAME/root.pem` (`notation cert add --type ca --store NAME FILE`), or point --trust-store at notation's trust store")
        .into()
}

fn read_named_store(root: &Path, store: &StoreRef) -> Result<Vec<StoreCertificate>> {
    let dir = root.join("x509").join(store.kind.name()).join(&store.name);
    let meta = std::fs::symlink_metadata(&dir).map_err(|err| {
        store_error(format!(
            "trust store `{store}` cannot be read at `{}`: {err}",
            dir.shown()
        ))
    })?;
    if meta.file_type().is_symlink() || !meta.is_dir() {
        return Err(store_error(format!(
            "trust store `{store}` at `{}` is not a folder (symbolic links are not followed)",
            dir.shown()
        )));
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let entry = entry?;
        let path = entry.path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if !matches!(ext.as_deref(), Some("pem" | "crt" | "cer")) {
            continue;
        }
        let file_type = entry.file_type()?;
        if file_type.is_dir() {
            continue;
        }
        if file_type.is_symlink() {
            return Err(store_error(format!(
                "trust store `{store}` holds `{}`, a symbolic link; notation's trust store allows none",
                path.shown()
            )));
        }
        files.push(path);
        if files.len() > MAX_STORE_FILES {
            return Err(store_error(format!(
                "trust store `{store}` holds more than {MAX_STORE_FILES} certificate files, aseecr's limit"
            )));
        }
    }
    files.sort();
    let mut certificates = Vec::new();
    for file in files {
        let bytes = fsutil::read_file(&file, &STORE_CERTIFICATE)?;
        for der in certificates_in(&bytes) {
            check_root(&der, &file, store)?;
            certificates.push(StoreCertificate {
                der,
                file: file.clone(),
            });
            if certificates.len() > MAX_STORE_CERTIFICATES {
                return Err(store_error(format!(
                    "trust store `{store}` holds more than {MAX_STORE_CERTIFICATES} certificates, aseecr's limit"
                )));
            }
        }
        if certificates.last().is_none_or(|c| c.file != file) {
            return Err(store_error(format!(
                "trust store `{store}` holds `{}`, which is no certificate (PEM or DER)",
                file.shown()
            )));
        }
    }
    if certificates.is_empty() {
        return Err(store_error(format!(
            "trust store `{store}` at `{}` holds no certificate (.pem, .crt or .cer)",
            dir.shown()
        )));
    }
    Ok(certificates)
}

/// The certificates in a file: every PEM `CERTIFICATE` block, else the whole
/// file as one DER certificate.
fn certificates_in(bytes: &[u8]) -> Vec<Vec<u8>> {
    let pem: Vec<Vec<u8>> = CertificateDer::pem_slice_iter(bytes)
        .filter_map(|c| c.ok())
        .map(|c| c.as_ref().to_vec())
        .collect();
    if !pem.is_empty() {
        return pem;
    }
    if x509_parser::parse_x509_certificate(bytes).is_ok() {
        return vec![bytes.to_vec()];
    }
    Vec::new()
}

/// A trust store holds roots: a CA certificate, or a self-issued one (a
/// self-signed signing certificate), as notation accepts.
fn check_root(der: &[u8], file: &Path, store: &StoreRef) -> Result<()> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).map_err(|err| {
        store_error(format!(
            "trust store `{store}` holds `{}`, which is no valid certificate: {err}",
            file.shown()
        ))
    })?;
    if cert.is_ca() || cert.subject() == cert.issuer() {
        return Ok(());
    }
    Err(store_error(format!(
        "trust store `{store}` holds `{}`, which is neither a CA nor a self-signed certificate ({})",
        file.shown(),
        cert.subject()
    )))
}
