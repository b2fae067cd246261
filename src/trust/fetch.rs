//! `trust-cert --fetch`: connect to a registry with TLS and record the
//! certificate chain it presents, trusting nothing. The verifier refuses every
//! certificate after writing it down, so the handshake stops there and no request
//! is ever sent.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme};

use crate::error::{Error, Kind};
use crate::registry::reference::registry_host;

/// The message of the verifier's deliberate refusal.
const RECORDED: &str = "aseecr recorded the certificate and trusts nothing";

/// The chain `registry` (`host[:port]`, port 443 when absent) presents, leaf first.
pub fn presented_chain(registry: &str, timeout: Duration) -> Result<Vec<CertificateDer<'static>>> {
    let host = registry_host(registry);
    let port = port_of(registry)?;
    let connect_error = |what: String| {
        Error::new(Kind::Connect, what)
            .help(format!("check the name and port; map the name to the device's IP with `aseecr setup-host {host} IP`"))
    };
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|err| connect_error(format!("cannot resolve `{host}`: {err}")))?
        .collect();
    let mut last_error = None;
    let mut socket = None;
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, timeout) {
            Ok(stream) => {
                socket = Some(stream);
                break;
            }
            Err(err) => last_error = Some(err),
        }
    }
    let Some(mut socket) = socket else {
        let why = last_error.map_or_else(|| "no address".to_owned(), |e| e.to_string());
        return Err(connect_error(format!("cannot connect to `{registry}`: {why}")).into());
    };
    socket.set_read_timeout(Some(timeout))?;
    socket.set_write_timeout(Some(timeout))?;

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let recorder = Arc::new(Recorder {
        chain: Mutex::new(None),
        provider: provider.clone(),
    });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned())
        .map_err(|err| Error::usage(format!("`{host}` is not a valid TLS server name: {err}")))?;
    let mut conn = ClientConnection::new(Arc::new(config), name)?;
    let outcome = loop {
        if !conn.is_handshaking() {
            break Ok(());
        }
        match conn.complete_io(&mut socket) {
            Ok((0, 0)) => {
                break Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the server closed the connection",
                ));
            }
            Ok(_) => {}
            Err(err) => break Err(err),
        }
    };
    let chain = recorder.chain.lock().map(|mut c| c.take()).unwrap_or(None);
    match (chain, outcome) {
        (Some(chain), _) if !chain.is_empty() => Ok(chain),
        (_, Err(err)) => Err(Error::new(
            Kind::Connect,
            format!("cannot get a TLS certificate from `{registry}`: {err}"),
        )
        .help(format!("check that `{registry}` speaks HTTPS on that port"))
        .into()),
        (_, Ok(())) => Err(Error::new(
            Kind::Connect,
            format!("`{registry}` presented no certificate"),
        )
        .into()),
    }
}

fn port_of(registry: &str) -> Result<u16> {
    let has_port = match registry.strip_prefix('[') {
        Some(rest) => rest
            .split_once(']')
            .is_some_and(|(_, after)| !after.is_empty()),
        None => registry.contains(':'),
    };
    match crate::registry::reference::registry_port(registry) {
        Some(port) => Ok(port),
        None if !has_port => Ok(443),
        None => Err(Error::usage(format!("invalid port in `{registry}`")).into()),
    }
}

/// A verifier that writes the chain down and refuses it.
#[derive(Debug)]
struct Recorder {
    chain: Mutex<Option<Vec<CertificateDer<'static>>>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|c| c.clone().into_owned())
            .collect();
        if let Ok(mut slot) = self.chain.lock() {
            *slot = Some(chain);
        }
        Err(rustls::Error::General(RECORDED.to_owned()))
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_default_to_443() {
        assert_eq!(port_of("a.example").unwrap(), 443);
        assert_eq!(port_of("a.example:31001").unwrap(), 31001);
        assert_eq!(port_of("[::1]:5000").unwrap(), 5000);
        assert_eq!(port_of("[::1]").unwrap(), 443);
    }

    #[test]
    fn a_closed_port_is_a_connection_error() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let err =
            presented_chain(&format!("127.0.0.1:{port}"), Duration::from_secs(2)).unwrap_err();
        assert_eq!(crate::error::find(&err).unwrap().kind, Kind::Connect);
    }
}
