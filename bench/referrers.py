#!/usr/bin/env python3
"""Referrers for bench/referrers.sh, made from the specs (not aseecr's code).

`referrers.py attach ADDR REPO TAG`: on the plain-HTTP registry ADDR, give each
platform manifest of the index REPO:TAG three referrers: an SPDX SBOM artifact
and a notation-style signature (OCI 1.1 manifests with `subject`, listed in
the fallback index at tag `sha256-<hex>`, as the distribution spec says for a
registry without the referrers API), and a cosign-style signature at tag
`sha256-<hex>.sig` (an image manifest whose layer is a simple-signing payload).

`referrers.py count URL REPO CAFILE USER PASSWORD`: what the registry at URL
holds for REPO, one line: fallback indexes, their entries, `.sig` tags.
"""
import base64
import hashlib
import json
import re
import ssl
import sys
import urllib.request

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
ACCEPT = ", ".join([OCI_INDEX, OCI_MANIFEST,
                    "application/vnd.docker.distribution.manifest.list.v2+json",
                    "application/vnd.docker.distribution.manifest.v2+json"])


def digest_of(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


class Registry:
    def __init__(self, base, cafile=None, user=None, password=None):
        self.base = base
        self.context = ssl.create_default_context(cafile=cafile) if cafile else None
        self.headers = {}
        if user:
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            self.headers["Authorization"] = "Basic " + token

    def call(self, method, path, data=None, headers=None):
        url = path if path.startswith("http") else self.base + path
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={**self.headers, **(headers or {})})
        return urllib.request.urlopen(req, context=self.context)

    def blob(self, repo, data):
        digest = digest_of(data)
        location = self.call("POST", f"/v2/{repo}/blobs/uploads/").headers["Location"]
        sep = "&" if "?" in location else "?"
        if not location.startswith("http"):
            location = self.base + location
        self.call("PUT", f"{location}{sep}digest={digest}", data,
                  {"Content-Type": "application/octet-stream"})
        return {"digest": digest, "size": len(data)}

    def put(self, repo, reference, media_type, data):
        self.call("PUT", f"/v2/{repo}/manifests/{reference}", data, {"Content-Type": media_type})
        return {"mediaType": media_type, "digest": digest_of(data), "size": len(data)}

    def get(self, repo, reference):
        with self.call("GET", f"/v2/{repo}/manifests/{reference}", headers={"Accept": ACCEPT}) as r:
            return r.read()


def fallback_tag(digest):
    alg, ref = digest.split(":", 1)
    return re.sub(r"[^a-zA-Z0-9._-]", "-", f"{alg[:32]}-{ref[:64]}")


def artifact(reg, repo, artifact_type, layer_type, payload, subject, annotations):
    empty = dict(reg.blob(repo, b"{}"), mediaType="application/vnd.oci.empty.v1+json")
    layer = dict(reg.blob(repo, payload), mediaType=layer_type)
    manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": artifact_type,
                "config": empty, "layers": [layer], "subject": subject,
                "annotations": annotations}
    data = json.dumps(manifest).encode()
    pushed = reg.put(repo, digest_of(data), OCI_MANIFEST, data)
    # The fallback index entry: artifactType and every annotation (spec).
    return dict(pushed, artifactType=artifact_type, annotations=annotations)


def cosign(reg, repo, addr, subject):
    payload = json.dumps({"critical": {"identity": {"docker-reference": f"{addr}/{repo}"},
                                       "image": {"docker-manifest-digest": subject["digest"]},
                                       "type": "cosign container image signature"},
                          "optional": None}).encode()
    config = b'{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}}'
    manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                "config": dict(reg.blob(repo, config),
                               mediaType="application/vnd.oci.image.config.v1+json"),
                "layers": [dict(reg.blob(repo, payload),
                                mediaType="application/vnd.dev.cosign.simplesigning.v1+json",
                                annotations={"dev.cosignproject.cosign/signature": "MEUCIQDbench"})]}
    reg.put(repo, fallback_tag(subject["digest"]) + ".sig", OCI_MANIFEST, json.dumps(manifest).encode())


def attach(addr, repo, tag):
    reg = Registry(f"http://{addr}")
    top = json.loads(reg.get(repo, tag))
    for entry in top["manifests"]:
        subject = {k: entry[k] for k in ("mediaType", "digest", "size")}
        sbom = json.dumps({"spdxVersion": "SPDX-2.3", "name": entry["digest"][7:19]}).encode()
        entries = [
            artifact(reg, repo, "application/spdx+json", "application/spdx+json", sbom, subject,
                     {"org.opencontainers.image.created": "2026-12-07T00:00:00Z"}),
            artifact(reg, repo, "application/vnd.cncf.notary.signature", "application/cose",
                     f"cose-envelope-of-{entry['digest']}".encode(), subject,
                     {"org.opencontainers.image.created": "2026-12-07T01:02:03Z",
                      "io.cncf.notary.x509chain.thumbprint#S256":
                          json.dumps([hashlib.sha256(b"bench-signer").hexdigest()])}),
        ]
        index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}
        reg.put(repo, fallback_tag(entry["digest"]), OCI_INDEX, json.dumps(index).encode())
        cosign(reg, repo, addr, subject)


def count(url, repo, cafile, user, password):
    reg = Registry(url, cafile, user, password)
    try:
        with reg.call("GET", f"/v2/{repo}/tags/list") as r:
            tags = json.load(r).get("tags") or []
    except urllib.error.HTTPError as err:
        if err.code != 404:
            raise
        tags = []
    fallback = [t for t in tags if re.fullmatch(r"sha256-[0-9a-f]{64}", t)]
    entries = sum(len(json.loads(reg.get(repo, t)).get("manifests", [])) for t in fallback)
    sigs = [t for t in tags if re.fullmatch(r"sha256-[0-9a-f]{64}\.sig", t)]
    print(f"{len(fallback)} {entries} {len(sigs)}")


if __name__ == "__main__":
    {"attach": attach, "count": count}[sys.argv[1]](*sys.argv[2:])
