//! Arguments of `aseecr verify`.

use std::path::PathBuf;

use clap::Args;

use super::FormatArg;

const VERIFY_HELP: &str = "\
Checks the image the reference names (an index's own digest for a multi-platform image) where
it is, on a registry or in a layout, with signatures found there: cosign's `sha256-<hex>.sig`
tag and sigstore bundles stored as referrers (with --verify-key), Notary Project signatures
stored as referrers (with a trust policy). Nothing is fetched from elsewhere: no transparency
log, no revocation.

An image in an OCI layout (oci:DIR[:NAME|@DIGEST], oci-archive:FILE[:NAME|@DIGEST], as mirror
reads them) is checked with the signatures copied next to it: referrers listed in index.json,
the cosign tag named REPO:sha256-<hex>.sig. As notation's --oci-layout, --scope REPOSITORY
names the repository whose policy statement applies; without it only the \"*\" statement does.
docker-archive: is refused: it carries no signatures.

--verify-key FILE: the image must carry a cosign signature by this public key (ECDSA P-256,
as `cosign generate-key-pair` writes cosign.pub), as `cosign verify --key FILE` requires.

The trust policy is notation's trustpolicy.json (version 1.0), read unchanged: the statement
whose registryScopes name the repository applies, else the one with scope \"*\"; its level
says what a failure does (strict and permissive fail; audit reports and exits 0; skip checks
nothing). Its named stores are read from the trust store folder (notation's layout:
x509/ca/NAME/*.pem, x509/signingAuthority/NAME, x509/tsa/NAME).

Defaults: --verify-policy is `aseecr config get verify-policy`, else verify/trustpolicy.json
in aseecr's configuration folder when it exists; --trust-store is `aseecr config get
trust-store`, else verify/truststore there. With both a key and a policy, both must hold.

Exit codes: 0 verified (or audited, or skipped); 7 not verified (no signature, a signature
that does not verify, an untrusted signer); 2 a bad key, policy or trust store; 1 a layout
signature blob that does not match its digest.

Examples:
  aseecr verify oss/nginx/nginx:1.25 --verify-key cosign.pub
  aseecr verify mcr.microsoft.com/dotnet/runtime:8.0 --verify-policy trustpolicy.json \\
      --trust-store ~/.config/notation/truststore
  aseecr verify oss/nginx/nginx:1.25 --verify-key cosign.pub --format json
  aseecr verify oci-archive:/media/usb/app.tar --verify-key cosign.pub";

/// Arguments of `aseecr verify`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  aseecr verify oss/nginx/nginx:1.25 --verify-key cosign.pub\n  aseecr verify mcr.microsoft.com/dotnet/runtime:8.0 --verify-policy trustpolicy.json\n\nMore: aseecr verify --help",
    after_long_help = VERIFY_HELP
)]
pub struct VerifyArgs {
    /// The image, as [host[:port]/]path[:tag][@digest], oci:DIR[:NAME|@DIGEST] or oci-archive:FILE[:NAME|@DIGEST]
    #[arg(value_name = "REF")]
    pub reference: String,

    /// Require a cosign signature by the public key in FILE (PEM, ECDSA P-256)
    #[arg(long, value_name = "FILE")]
    pub verify_key: Option<PathBuf>,

    /// Apply the trust policy in FILE (notation's trustpolicy.json)
    #[arg(long, value_name = "FILE")]
    pub verify_policy: Option<PathBuf>,

    /// Read the policy's named trust stores from DIR (notation's trust store layout)
    #[arg(long, value_name = "DIR")]
    pub trust_store: Option<PathBuf>,

    /// For an image in a layout: the repository (host[:port]/path) whose trust policy statement applies, as notation's --scope (default: only the "*" statement)
    #[arg(long, value_name = "REPOSITORY")]
    pub scope: Option<String>,

    #[command(flatten)]
    pub format: FormatArg,
}
