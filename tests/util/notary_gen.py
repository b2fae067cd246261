#!/usr/bin/env python3
"""Notary Project signature envelopes for aseecr's verification tests.

Written from the Notary Project specifications (signature-envelope-jws.md,
signature-envelope-cose.md, signature-specification.md) with Python's
`cryptography` and `cbor2`, independently of aseecr's Rust code. Writes into
OUTDIR: the trust store roots (root.der, other-root.der), one envelope per case
(NAME.jws or NAME.cose) and cases.json describing the subject and the signer.

usage: notary_gen.py OUTDIR [MEDIA_TYPE DIGEST SIZE]   (the subject; a fixed one without)
"""

import base64
import datetime
import json
import os
import subprocess
import sys
import tempfile

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PAYLOAD_TYPE = "application/vnd.cncf.notary.payload.v1+json"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
SUBJECT = {
    "mediaType": MANIFEST,
    "digest": "sha256:" + "ab" * 32,
    "size": 1234,
}
OTHER_DIGEST = "sha256:" + "cd" * 32
NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
DAY = datetime.timedelta(days=1)


def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "WA"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "Seattle"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "aseecr tests"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def key_usage(sign, cert_sign):
    return x509.KeyUsage(
        digital_signature=sign, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign,
        crl_sign=cert_sign, encipher_only=False, decipher_only=False)


def issue(subject, key, issuer, issuer_key, ca, eku=(ExtendedKeyUsageOID.CODE_SIGNING,),
          not_before=None, not_after=None, eku_critical=False):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - DAY)
        .not_valid_after(not_after or NOW + 30 * DAY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(key_usage(not ca, ca), critical=True)
    )
    if not ca and eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=eku_critical)
    if isinstance(issuer_key, ec.EllipticCurvePrivateKey) and issuer_key.curve.key_size >= 384:
        digest = hashes.SHA384()
    else:
        digest = hashes.SHA256()
    return builder.sign(issuer_key, digest)


def der(cert):
    return cert.public_bytes(serialization.Encoding.DER)


HASH = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}
COSE_ALG = {"PS256": -37, "PS384": -38, "PS512": -39, "ES256": -7, "ES384": -35, "ES512": -36}
CURVE = {"ES256": ec.SECP256R1, "ES384": ec.SECP384R1, "ES512": ec.SECP521R1}
RSA_BITS = {"PS256": 2048, "PS384": 3072, "PS512": 4096}


def new_key(alg):
    if alg.startswith("ES"):
        return ec.generate_private_key(CURVE[alg]())
    return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS[alg])


def sign(alg, key, data):
    digest = HASH[alg[2:]]()
    if alg.startswith("PS"):
        pss = padding.PSS(mgf=padding.MGF1(digest), salt_length=digest.digest_size)
        return key.sign(data, pss, digest)
    r, s = utils.decode_dss_signature(key.sign(data, ec.ECDSA(digest)))
    size = (key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def payload(target):
    return json.dumps({"targetArtifact": target}, separators=(",", ":")).encode()


def jws(alg, key, chain, target, scheme="notary.x509", tamper=None):
    protected = {"alg": alg, "cty": PAYLOAD_TYPE, "io.cncf.notary.signingScheme": scheme,
                 "crit": ["io.cncf.notary.signingScheme"]}
    if scheme == "notary.x509":
        protected["io.cncf.notary.signingTime"] = rfc3339(NOW)
    else:
        protected["io.cncf.notary.authenticSigningTime"] = rfc3339(NOW)
        protected["crit"].append("io.cncf.notary.authenticSigningTime")
    prot = b64url(json.dumps(protected).encode())
    body = b64url(payload(target))
    signature = sign(alg, key, f"{prot}.{body}".encode())
    if tamper == "payload":
        body = b64url(payload(dict(target, digest=OTHER_DIGEST)))
    return json.dumps({
        "payload": body,
        "protected": prot,
        "header": {"x5c": [base64.b64encode(der(c)).decode() for c in chain],
                   "io.cncf.notary.signingAgent": "aseecr-tests/1"},
        "signature": b64url(signature),
    }).encode()


def cose(alg, key, chain, target, scheme="notary.x509", timestamp=None, tamper=None):
    """`timestamp` is bytes, or a function of the signature returning the token."""
    protected = {1: COSE_ALG[alg], 2: ["io.cncf.notary.signingScheme"], 3: PAYLOAD_TYPE,
                 "io.cncf.notary.signingScheme": scheme}
    when = cbor2.CBORTag(1, int(NOW.timestamp()))
    if scheme == "notary.x509":
        protected["io.cncf.notary.signingTime"] = when
    else:
        protected["io.cncf.notary.authenticSigningTime"] = when
        protected[2].append("io.cncf.notary.authenticSigningTime")
    prot = cbor2.dumps(protected)
    body = payload(target)
    signature = sign(alg, key, cbor2.dumps(["Signature1", prot, b"", body]))
    if tamper == "signature":
        signature = signature[:-1] + bytes([signature[-1] ^ 1])
    unprotected = {33: [der(c) for c in chain], "io.cncf.notary.signingAgent": "aseecr-tests/1"}
    if callable(timestamp):
        timestamp = timestamp(signature)
    if timestamp is not None:
        unprotected["io.cncf.notary.timestampSignature"] = timestamp
    return cbor2.dumps(cbor2.CBORTag(18, [prot, unprotected, body, signature]))


TS_CONFIG = """
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
serial = {serial}
crypto_device = builtin
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
signer_digest = sha256
"""


class Tsa:
    """An RFC 3161 timestamping authority: `openssl ts` with a root and a TSA
    certificate made here (critical extended key usage timeStamping)."""

    def __init__(self, work):
        self.work = work
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.root = issue(name("aseecr test TSA root"), key, name("aseecr test TSA root"), key, True)
        tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.cert = issue(name("aseecr test TSA"), tsa_key, self.root.subject, key, False,
                          eku=(ExtendedKeyUsageOID.TIME_STAMPING,), eku_critical=True)
        pem = serialization.Encoding.PEM
        for file, data in [
            ("tsa.pem", self.cert.public_bytes(pem)),
            ("tsa-root.pem", self.root.public_bytes(pem)),
            ("tsa.key", tsa_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption())),
            ("serial", b"01\n"),
            ("ts.cnf", TS_CONFIG.format(serial=os.path.join(work, "serial")).encode()),
        ]:
            with open(os.path.join(work, file), "wb") as f:
                f.write(data)

    def token(self, signed):
        w = self.work
        digest = hashes.Hash(hashes.SHA256())
        digest.update(signed)
        query, token = os.path.join(w, "q.tsq"), os.path.join(w, "token.der")
        subprocess.run(["openssl", "ts", "-query", "-digest", digest.finalize().hex(), "-sha256",
                        "-cert", "-no_nonce", "-out", query], check=True,
                       stderr=subprocess.DEVNULL)
        subprocess.run(["openssl", "ts", "-reply", "-config", os.path.join(w, "ts.cnf"),
                        "-queryfile", query, "-signer", os.path.join(w, "tsa.pem"),
                        "-inkey", os.path.join(w, "tsa.key"),
                        "-chain", os.path.join(w, "tsa-root.pem"),
                        "-token_out", "-out", token], check=True, stderr=subprocess.DEVNULL)
        with open(token, "rb") as f:
            return f.read()


def main(out):
    os.makedirs(out, exist_ok=True)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    root = issue(name("aseecr test root"), root_key, name("aseecr test root"), root_key, True)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = issue(name("another root"), other_key, name("another root"), other_key, True)
    inter_key = ec.generate_private_key(ec.SECP384R1())
    inter = issue(name("aseecr test intermediate"), inter_key, root.subject, root_key, True)
    cases = {}

    def leaf(alg, cn="aseecr test signer", **kw):
        key = new_key(alg)
        return key, issue(name(cn), key, inter.subject, inter_key, False, **kw)

    def write(case, data, ext, leaf_cert, **extra):
        with open(os.path.join(out, f"{case}.{ext}"), "wb") as f:
            f.write(data)
        cases[case] = dict(file=f"{case}.{ext}", signer=leaf_cert.subject.rfc4514_string(), **extra)

    for alg in ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512"]:
        key, cert = leaf(alg)
        chain = [cert, inter, root]
        write(f"jws-{alg}", jws(alg, key, chain, SUBJECT), "jws", cert)
        write(f"cose-{alg}", cose(alg, key, chain, SUBJECT), "cose", cert)
    key, cert = leaf("ES256")
    chain = [cert, inter, root]
    write("jws-tampered", jws("ES256", key, chain, SUBJECT, tamper="payload"), "jws", cert)
    write("cose-tampered", cose("ES256", key, chain, SUBJECT, tamper="signature"), "cose", cert)
    write("jws-other-digest", jws("ES256", key, chain, dict(SUBJECT, digest=OTHER_DIGEST)), "jws", cert)
    write("jws-other-media-type",
          jws("ES256", key, chain, dict(SUBJECT, mediaType="application/vnd.oci.image.index.v1+json")),
          "jws", cert)
    key, cert = leaf("PS384")
    chain = [cert, inter, root]
    write("cose-timestamped", cose("PS384", key, chain, SUBJECT, timestamp=b"\x30\x03\x02\x01\x00"),
          "cose", cert)
    write("cose-signing-authority", cose("PS384", key, chain, SUBJECT, scheme="notary.x509.signingAuthority"),
          "cose", cert)
    tsa = Tsa(tempfile.mkdtemp())
    write("cose-ts", cose("PS384", key, chain, SUBJECT, timestamp=tsa.token), "cose", cert)
    write("cose-ts-other-signature",
          cose("PS384", key, chain, SUBJECT, timestamp=tsa.token(b"another signature")), "cose", cert)
    with open(os.path.join(out, "tsa-root.der"), "wb") as f:
        f.write(der(tsa.root))
    key, cert = leaf("ES256", not_before=NOW - 10 * DAY, not_after=NOW - DAY)
    write("cose-ts-expired-leaf", cose("ES256", key, [cert, inter, root], SUBJECT, timestamp=tsa.token),
          "cose", cert)
    write("jws-expired-leaf", jws("ES256", key, [cert, inter, root], SUBJECT), "jws", cert)
    key, cert = leaf("ES256", eku=(ExtendedKeyUsageOID.SERVER_AUTH,))
    write("jws-server-auth-leaf", jws("ES256", key, [cert, inter, root], SUBJECT), "jws", cert)
    key, cert = leaf("ES256", eku=())
    write("jws-no-eku-leaf", jws("ES256", key, [cert, inter, root], SUBJECT), "jws", cert)
    key, cert = leaf("ES256")
    write("jws-no-root", jws("ES256", key, [cert, inter], SUBJECT), "jws", cert)

    for cert, file in [(root, "root.der"), (other, "other-root.der"), (inter, "intermediate.der")]:
        with open(os.path.join(out, file), "wb") as f:
            f.write(der(cert))
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump({"subject": SUBJECT, "other_digest": OTHER_DIGEST, "cases": cases}, f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) == 5:
        SUBJECT.update(mediaType=sys.argv[2], digest=sys.argv[3], size=int(sys.argv[4]))
    main(sys.argv[1])
