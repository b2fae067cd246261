#!/usr/bin/env python3
"""The far site's helpers for bench/wan.sh, in front of which bench/wan_link.py sits.

    wan_origin.py token PORT KEY.pem CERT.pem ISSUER LOG
        A Bearer token service as docker-registry's `auth: token` checks it: RS256 JWTs
        with the signing certificate in `x5c`, granting what each anonymous request
        asks for (pull). Appends one line per token request to LOG (its scopes).
    wan_origin.py cdn PORT ROOT
        The "CDN" the registry's `redirect` storage middleware sends blob GETs to: the
        registry's storage folder ROOT, served as static files (HTTP/1.1, keep-alive).
"""
import base64
import functools
import http.server
import json
import sys
import time
import urllib.parse
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token_server(port, key_path, cert_path, issuer, log_path):
    with open(key_path, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), None)
    with open(cert_path, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    x5c = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go in separate writes

        def log_message(self, *args):
            pass

        def do_GET(self):
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            scopes = [s for value in query.get("scope", []) for s in value.split(" ") if s]
            with open(log_path, "a") as log:
                log.write(" ".join(scopes) + "\n")
            access = []
            for scope in scopes:
                kind, rest = scope.split(":", 1)
                name, actions = rest.rsplit(":", 1)
                access.append({"type": kind, "name": name, "actions": actions.split(",")})
            now = int(time.time())
            header = {"typ": "JWT", "alg": "RS256", "x5c": [x5c]}
            claims = {"iss": issuer, "sub": "", "aud": query.get("service", [""])[0],
                      "exp": now + 3600, "nbf": now - 60, "iat": now, "jti": uuid.uuid4().hex,
                      "access": access}
            signing = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
            signature = key.sign(signing.encode(), padding.PKCS1v15(), hashes.SHA256())
            token = signing + "." + b64(signature)
            body = json.dumps({"token": token, "access_token": token, "expires_in": 3600}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def cdn(port, root):
    class Handler(http.server.SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

    handler = functools.partial(Handler, directory=root)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()


if __name__ == "__main__":
    if sys.argv[1] == "token":
        token_server(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6])
    elif sys.argv[1] == "cdn":
        cdn(int(sys.argv[2]), sys.argv[3])
    else:
        sys.exit("usage: wan_origin.py token|cdn ...")
