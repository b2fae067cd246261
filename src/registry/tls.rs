//! TLS for registry connections: the OS trust store plus per-registry certificates,
//! exact-certificate trust for self-signed device certificates, and `--insecure`.
//!
//! Device certificates are often self-signed with `CA:TRUE`. webpki rejects such a
//! certificate as a server certificate (`CaUsedAsEndEntity`) even when it is a trusted
//! root, while OpenSSL, Go, curl and the other clients accept a self-signed
//! certificate that is itself a trusted root. aseecr does the same (docs/decisions.md,
//! "Exact trusted certificates"): a server certificate webpki refuses is still
//! accepted when it is byte-for-byte a certificate trusted for this registry
//! (`--ca-cert`, the remembered one) or a self-signed root of the OS trust store,
//! and it names the host, is within its validity period and may serve TLS.
//! Anything else webpki refuses stays refused.

use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context, Result};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::error::{Error, Kind};
use crate::pki;

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

/// Build the rustls configuration for one registry, and the slot where its
/// verifier keeps the server certificate it last refused.
pub fn client_config(
    extra: &[CertificateDer<'static>],
    insecure: bool,
) -> Result<(rustls::ClientConfig, Arc<Refused>)> {
    let refused = Arc::new(Refused::default());
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .context("cannot set up TLS")?;
    let verifier: Arc<dyn ServerCertVerifier> = if insecure {
        Arc::new(ChainRecorder::answering(Answer::Accept))
    } else {
        verifier(extra, true, refused.clone())?
    };
    let mut config = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    // HTTP/1.1 only: measured faster and leaner than HTTP/2 for blob streams
    // (docs/decisions.md).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((config, refused))
}

/// The server certificate a verifier last refused: what the registry presents
/// now, to compare with what was trusted for it ([`changed`]).
#[derive(Debug, Default)]
pub struct Refused(Mutex<Option<CertificateDer<'static>>>);

impl Refused {
    fn record(&self, cert: &CertificateDer<'_>) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(cert.clone().into_owned());
        }
    }

    /// The certificate refused last, if any.
    pub fn get(&self) -> Option<CertificateDer<'static>> {
        self.0.lock().ok().and_then(|slot| slot.clone())
    }
}

/// The verifier aseecr uses: webpki over the OS trust store (when `native`) and
/// `extra`, and the exact-certificate rule for what webpki refuses.
fn verifier(
    extra: &[CertificateDer<'static>],
    native: bool,
    refused: Arc<Refused>,
) -> Result<Arc<dyn ServerCertVerifier>> {
    let mut roots = RootCertStore::empty();
    if native {
        roots.add_parsable_certificates(native_roots().iter().cloned());
    }
    for cert in extra {
        // A certificate that is not a valid trust anchor is still trusted as
        // an exact server certificate below.
        let _ = roots.add(cert.clone());
    }
    let inner: Arc<dyn ServerCertVerifier> = if roots.is_empty() {
        Arc::new(ChainRecorder::answering(Answer::Unknown))
    } else {
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider())
            .build()
            .context("cannot set up certificate verification")?
    };
    let mut exact = extra.to_vec();
    if native {
        // Only self-signed roots: a server certificate trusted as itself, as
        // OpenSSL accepts it without its partial-chain flag.
        exact.extend(native_roots().iter().filter(|c| is_self_signed(c)).cloned());
    }
    Ok(Arc::new(PinningVerifier {
        inner,
        exact,
        refused,
    }))
}

fn is_self_signed(cert: &CertificateDer<'_>) -> bool {
    pki::parse_x509(cert.as_ref())
        .is_ok_and(|parsed| parsed.subject().as_raw() == parsed.issuer().as_raw())
}

/// The checks a certificate trusted as itself still has to pass: it names
/// `server_name`, `now` is within its validity, and its extended key usage (when
/// it has one) allows a TLS server. An expired certificate is refused even
/// when trusted: every other client refuses it too (docs/decisions.md).
fn check_exact(
    cert: &CertificateDer<'_>,
    server_name: &ServerName<'_>,
    now: UnixTime,
) -> Result<(), rustls::Error> {
    use rustls::CertificateError as C;
    let parsed = pki::parse_x509(cert.as_ref())
        .map_err(|_| rustls::Error::InvalidCertificate(C::BadEncoding))?;
    let now = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
    let validity = parsed.validity();
    if now < validity.not_before.timestamp() {
        return Err(rustls::Error::InvalidCertificate(C::NotValidYet));
    }
    if now > validity.not_after.timestamp() {
        return Err(rustls::Error::InvalidCertificate(C::Expired));
    }
    if let Ok(Some(eku)) = parsed.extended_key_usage()
        && !eku.value.any
        && !eku.value.server_auth
    {
        return Err(rustls::Error::InvalidCertificate(C::InvalidPurpose));
    }
    let end_entity = ParsedCertificate::try_from(cert)?;
    rustls::client::verify_server_name(&end_entity, server_name)
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
    let verifier = verifier(extra, native, Arc::default())?;
    Ok(verifier
        .verify_server_cert(leaf, intermediates, &name, &[], UnixTime::now())
        .map(|_| ()))
}

/// webpki first; a certificate webpki refuses is accepted only when it is
/// byte-for-byte one of `exact` and passes [`check_exact`]. What it refuses is
/// recorded in `refused`.
#[derive(Debug)]
struct PinningVerifier {
    inner: Arc<dyn ServerCertVerifier>,
    /// The registry's own trusted certificates, then the OS store's self-signed roots.
    exact: Vec<CertificateDer<'static>>,
    refused: Arc<Refused>,
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
        let webpki = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        let result = match webpki {
            Ok(verified) => return Ok(verified),
            Err(err)
                if self
                    .exact
                    .iter()
                    .any(|cert| cert.as_ref() == end_entity.as_ref()) =>
            {
                // Trusted as itself: its own checks decide, and say why not.
                let _ = err;
                check_exact(end_entity, server_name, now).map(|()| ServerCertVerified::assertion())
            }
            Err(err) => Err(err),
        };
        if result.is_err() {
            self.refused.record(end_entity);
        }
        result
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        check_signature(Version::Tls12, message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        check_signature(Version::Tls13, message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        signature_schemes()
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
        check_signature(Version::Tls12, message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        check_signature(Version::Tls13, message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        signature_schemes()
    }
}

/// The TLS version a handshake signature is checked for.
#[derive(Debug, Clone, Copy)]
enum Version {
    Tls12,
    Tls13,
}

/// The handshake signature check both verifiers make, with the provider's
/// algorithms (the ones webpki's verifier is built with too).
fn check_signature(
    version: Version,
    message: &[u8],
    cert: &CertificateDer<'_>,
    dss: &DigitallySignedStruct,
) -> Result<HandshakeSignatureValid, rustls::Error> {
    let algorithms = &provider().signature_verification_algorithms;
    match version {
        Version::Tls12 => rustls::crypto::verify_tls12_signature(message, cert, dss, algorithms),
        Version::Tls13 => rustls::crypto::verify_tls13_signature(message, cert, dss, algorithms),
    }
}

/// The signature schemes both verifiers accept.
fn signature_schemes() -> Vec<SignatureScheme> {
    provider()
        .signature_verification_algorithms
        .supported_schemes()
}

/// The error for a registry that now presents `presented` while aseecr
/// remembers `remembered` for it (trusted on `trusted_on`): `None` when
/// `presented` is one of them, or nothing is remembered. Called only for a
/// certificate refused as untrusted, so a leaf signed by a remembered CA that
/// fails for another reason (expiry, name) is not mistaken for a new one.
pub fn changed(
    registry: &str,
    presented: &CertificateDer<'_>,
    remembered: &[CertificateDer<'_>],
    trusted_on: Option<&str>,
) -> Option<Error> {
    if remembered.is_empty()
        || remembered
            .iter()
            .any(|cert| cert.as_ref() == presented.as_ref())
    {
        return None;
    }
    let before: Vec<String> = remembered
        .iter()
        .map(|cert| pki::sha256_colon(cert.as_ref()))
        .collect();
    let when = trusted_on.map_or_else(String::new, |date| format!(" on {date}"));
    Some(
        Error::new(
            Kind::TlsChanged,
            format!(
                "the certificate of `{registry}` changed: the registry now presents SHA-256 {}; you trusted SHA-256 {}{when}",
                pki::sha256_colon(presented.as_ref()),
                before.join(", ")
            ),
        )
        .on_registry(registry),
    )
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
        // webpki found a trusted certificate with the issuer's name, but its key
        // did not sign this one: a self-signed server certificate re-issued
        // under the same name (`CA:FALSE` devices), or one that is not what was
        // trusted. Untrusted, so a remembered certificate is compared ([`changed`]).
        rustls::Error::InvalidCertificate(C::BadSignature) => (
            Kind::TlsUntrusted,
            "is not signed by the certificate trusted under its issuer's name (a bad signature)"
                .to_owned(),
        ),
        rustls::Error::InvalidCertificate(C::Expired | C::ExpiredContext { .. }) => {
            (Kind::TlsExpired, "has expired".to_owned())
        }
        rustls::Error::InvalidCertificate(C::NotValidYet | C::NotValidYetContext { .. }) => (
            Kind::TlsExpired,
            "is not valid yet (check this machine's clock)".to_owned(),
        ),
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
        rustls::Error::InvalidCertificate(C::InvalidPurpose | C::InvalidPurposeContext { .. }) => (
            Kind::Tls,
            "is not allowed to identify a TLS server (extended key usage)".to_owned(),
        ),
        other => (Kind::Tls, format!("was rejected: {other}")),
    };
    Error::new(kind, format!("the TLS certificate of `{registry}` {what}")).on_registry(registry)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed `CA:TRUE` certificate for `ecr.example`, valid from
    /// `from` to `to` (years).
    fn device_cert(from: i32, to: i32) -> CertificateDer<'static> {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["ecr.example".to_owned()]).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.not_before = rcgen::date_time_ymd(from, 1, 1);
        params.not_after = rcgen::date_time_ymd(to, 1, 1);
        params.self_signed(&key).unwrap().der().clone()
    }

    fn verify(
        cert: &CertificateDer<'static>,
        host: &str,
        trusted: &[CertificateDer<'static>],
    ) -> Result<(), rustls::Error> {
        verify_chain(std::slice::from_ref(cert), host, trusted, false).unwrap()
    }

    #[test]
    fn an_exact_certificate_still_passes_name_and_validity_checks() {
        let current = device_cert(2020, 2090);
        let trusted = std::slice::from_ref(&current);
        assert_eq!(verify(&current, "ecr.example", trusted), Ok(()));
        // Not trusted: webpki's answer stands.
        let other = device_cert(2020, 2090);
        assert!(matches!(
            verify(&other, "ecr.example", trusted),
            Err(rustls::Error::InvalidCertificate(_))
        ));
        // Trusted, but for another name.
        assert!(matches!(
            verify(&current, "other.example", trusted),
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForName
                    | rustls::CertificateError::NotValidForNameContext { .. }
            ))
        ));
        // Trusted, but expired, or not valid yet.
        let expired = device_cert(2001, 2002);
        assert_eq!(
            verify(&expired, "ecr.example", std::slice::from_ref(&expired)),
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::Expired
            ))
        );
        let future = device_cert(2080, 2090);
        assert_eq!(
            verify(&future, "ecr.example", std::slice::from_ref(&future)),
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidYet
            ))
        );
        assert_eq!(
            describe(
                &verify(&expired, "ecr.example", std::slice::from_ref(&expired)).unwrap_err(),
                "r:1"
            )
            .kind,
            Kind::TlsExpired
        );
    }

    #[test]
    fn a_different_certificate_is_a_change() {
        let old = device_cert(2020, 2090);
        let new = device_cert(2020, 2090);
        assert!(changed("r:1", &old, std::slice::from_ref(&old), None).is_none());
        assert!(changed("r:1", &new, &[], None).is_none());
        let error = changed(
            "r:1",
            &new,
            std::slice::from_ref(&old),
            Some("2026-01-02T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(error.kind, Kind::TlsChanged);
        assert_eq!(error.registry.as_deref(), Some("r:1"));
        assert!(
            error.message.contains(&pki::sha256_colon(new.as_ref())),
            "{}",
            error.message
        );
        assert!(
            error.message.contains(&pki::sha256_colon(old.as_ref())),
            "{}",
            error.message
        );
        assert!(
            error.message.ends_with(" on 2026-01-02T00:00:00Z"),
            "{}",
            error.message
        );
    }
}
