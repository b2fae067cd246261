//! `trust-cert --fetch`: connect to a registry with TLS and record the
//! certificate chain it presents, trusting nothing. The verifier refuses every
//! certificate after writing it down, so the handshake stops there and no request
//! is ever sent.

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use rustls::ClientConnection;
use rustls::pki_types::{CertificateDer, ServerName};

use crate::error::{Error, Kind};
use crate::registry::reference::registry_host;
use crate::registry::tls::ChainRecorder;

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

    let recorder = Arc::new(ChainRecorder::default());
    let config = recorder.client_config()?;
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
    let chain = recorder.take();
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
