//! TLS for registry connections: the OS trust store plus per-registry certificates,
//! exact-certificate pinning for self-signed device certificates, and `--insecure`.
//!
//! Device certificates are often self-signed with `CA:TRUE`. webpki rejects such a
//! certificate as a server certificate (`CaUsedAsEndEntity`) even when it is a trusted
//! root, so a certificate the user explicitly trusted for a registry is also pinned:
//! a server presenting exactly those bytes is accepted. Anything else goes through
//! normal webpki verification; nothing untrusted is accepted silently.

use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::error::{Error, Kind};

fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .clone()
}

/// The OS trust store, loaded once per process.
fn native_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let result = rustls_native_certs::load_native_certs();
        for err in &result.errors {
            tracing::debug!("skipping part of the OS trust store: {err}");
        }
        result.certs
    })
}

/// Build the rustls configuration for one registry.
pub fn client_config(
    extra: &[CertificateDer<'static>],
    insecure: bool,
) -> Result<rustls::ClientConfig> {
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .context("cannot set up TLS")?;
    let verifier: Arc<dyn ServerCertVerifier> = if insecure {
        Arc::new(ChainRecorder::answering(Answer::Accept))
    } else {
        verifier(extra, true)?
    };
    let mut config = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    // HTTP/1.1 only: measured faster and leaner than HTTP/2 for blob streams
    // (docs/decisions.md).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The verifier aseecr uses: webpki over the OS trust store (when `native`) and
/// `extra`, with `extra` also pinned as exact server certificates.
fn verifier(
    extra: &[CertificateDer<'static>],
    native: bool,
) -> Result<Arc<dyn ServerCertVerifier>> {
    let mut roots = RootCertStore::empty();
    if native {
        roots.add_parsable_certificates(native_roots().iter().cloned());
    }
    for cert in extra {
        // A certificate that is not a valid trust anchor is still pinned below.
        let _ = roots.add(cert.clone());
    }
    let inner: Arc<dyn ServerCertVerifier> = if roots.is_empty() {
        Arc::new(ChainRecorder::answering(Answer::Unknown))
    } else {
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .context("cannot set up certificate verification")?
    };
    Ok(Arc::new(PinningVerifier {
        inner,
        pinned: extra.to_vec(),
    }))
}

/// Check a presented chain (leaf first) for `host`: against the OS trust store
/// alone (`extra` empty, `native` true), or as aseecr would (`extra` = the
/// registry's trusted certificates).
pub fn verify_chain(
    chain: &[CertificateDer<'static>],
    host: &str,
    extra: &[CertificateDer<'static>],
    native: bool,
) -> Result<Result<(), rustls::Error>> {
    let Some((leaf, intermediates)) = chain.split_first() else {
        return Ok(Err(rustls::Error::NoCertificatesPresented));
    };
    let name = ServerName::try_from(host.to_owned())
        .map_err(|_| Error::usage(format!("`{host}` is not a valid TLS server name")))?;
    let verifier = verifier(extra, native)?;
    Ok(verifier
        .verify_server_cert(leaf, intermediates, &name, &[], UnixTime::now())
        .map(|_| ()))
}

/// Accepts a server certificate that is byte-for-byte one the user trusted for this
/// registry; everything else goes to webpki.
#[derive(Debug)]
struct PinningVerifier {
    inner: Arc<dyn ServerCertVerifier>,
    pinned: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for PinningVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self
            .pinned
            .iter()
            .any(|pin| pin.as_ref() == end_entity.as_ref())
        {
            return Ok(ServerCertVerified::assertion());
        }
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// What a [`ChainRecorder`] answers about the certificate it records.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// Refuse after recording, so the handshake stops before any request
    /// (`trust-cert --fetch`, `doctor`).
    #[default]
    Record,
    /// Accept any certificate (`--insecure`).
    Accept,
    /// Refuse as unknown: a trust store with no anchors at all.
    Unknown,
}

/// A verifier that does not use webpki: it records the chain a server presents
/// and gives a fixed answer. Handshake signatures are still checked.
#[derive(Debug, Default)]
pub struct ChainRecorder {
    answer: Answer,
    chain: std::sync::Mutex<Option<Vec<CertificateDer<'static>>>>,
}

/// The error a recording [`ChainRecorder`] ends every handshake with.
const RECORDED: &str = "aseecr recorded the certificate and trusts nothing";

impl ChainRecorder {
    fn answering(answer: Answer) -> ChainRecorder {
        ChainRecorder {
            answer,
            chain: std::sync::Mutex::default(),
        }
    }

    /// A client configuration that records the presented chain into `self`.
    pub fn client_config(self: &Arc<Self>) -> Result<rustls::ClientConfig> {
        Ok(rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .context("cannot set up TLS")?
            .dangerous()
            .with_custom_certificate_verifier(self.clone())
            .with_no_client_auth())
    }

    /// The chain recorded, leaf first.
    pub fn take(&self) -> Option<Vec<CertificateDer<'static>>> {
        self.chain.lock().ok().and_then(|mut slot| slot.take())
    }
}

impl ServerCertVerifier for ChainRecorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.answer {
            Answer::Accept => Ok(ServerCertVerified::assertion()),
            Answer::Unknown => Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer,
            )),
            Answer::Record => {
                let chain = std::iter::once(end_entity)
                    .chain(intermediates)
                    .map(|c| c.clone().into_owned())
                    .collect();
                if let Ok(mut slot) = self.chain.lock() {
                    *slot = Some(chain);
                }
                Err(rustls::Error::General(RECORDED.to_owned()))
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        check_tls12(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        check_tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        signature_schemes()
    }
}

fn check_tls12(
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    rustls::crypto::verify_tls12_signature(
        message,
        cert,
        dss,
        &provider().signature_verification_algorithms,
    )
}

fn check_tls13(
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    rustls::crypto::verify_tls13_signature(
        message,
        cert,
        dss,
        &provider().signature_verification_algorithms,
    )
}

fn signature_schemes() -> Vec<SignatureScheme> {
    provider()
        .signature_verification_algorithms
        .supported_schemes()
}

/// Describe a rustls certificate error for people, with its kind decided on the
/// error's type (rustls's `CertificateError`, webpki's error inside `Other`).
pub fn describe(err: &rustls::Error, registry: &str) -> Error {
    use rustls::CertificateError as C;
    let (kind, what) = match err {
        rustls::Error::InvalidCertificate(C::UnknownIssuer) => (
            Kind::TlsUntrusted,
            "is signed by an unknown authority (not trusted)".to_owned(),
        ),
        rustls::Error::InvalidCertificate(
            C::Expired | C::ExpiredContext { .. } | C::NotValidYet | C::NotValidYetContext { .. },
        ) => (Kind::TlsExpired, "has expired".to_owned()),
        rustls::Error::InvalidCertificate(
            C::NotValidForName | C::NotValidForNameContext { .. },
        ) => (
            Kind::TlsNameMismatch,
            "does not match the registry's host name".to_owned(),
        ),
        rustls::Error::InvalidCertificate(C::Other(other))
            if matches!(
                other.0.downcast_ref::<webpki::Error>(),
                Some(webpki::Error::CaUsedAsEndEntity)
            ) =>
        {
            (
                Kind::TlsUntrusted,
                "is a CA certificate used as a server certificate and is not trusted".to_owned(),
            )
        }
        other => (Kind::Tls, format!("was rejected: {other}")),
    };
    Error::new(kind, format!("the TLS certificate of `{registry}` {what}")).on_registry(registry)
}
