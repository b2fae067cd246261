//! cosign signatures verified with a public key: the legacy `sha256-<hex>.sig`
//! tag (simple signing payload) and cosign 3's sigstore bundle stored as a
//! referrer.
