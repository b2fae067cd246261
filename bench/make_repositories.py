#!/usr/bin/env python3
"""Fill a plain-HTTP, anonymous registry: `make_repositories.py HOST:PORT REPOS TAGS`.

Pushes REPOS repositories (`bench/app-NN`) of TAGS tags (`1.0`, `1.1`, ...) each, every
tag its own image (linux/amd64, OCI) with its own `created` time, one hour apart, so
"keep the newest N" has one answer. Layers: three base layers every image shares
(1 MiB, 256 KiB, 64 KiB), one per repository (32 KiB) and one per image (4 KiB).
Layer bytes are deterministic, so the same layer is one blob in every repository.
Speaks the Distribution API with the standard library only: HEAD, then POST + PUT for
a blob the repository lacks, and a manifest PUT per tag.
"""
import hashlib
import http.client
import json
import random
import sys

host, repos, tags = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
conn = http.client.HTTPConnection(host)


def request(method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, response.getheader("Location"), data


def layer(seed, size):
    return random.Random(seed).randbytes(size)


def push_blob(name, data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    status, _, _ = request("HEAD", f"/v2/{name}/blobs/{digest}")
    if status != 200:
        status, location, body = request("POST", f"/v2/{name}/blobs/uploads/")
        assert status == 202, (status, body)
        if location.startswith("http"):
            location = location.split("/", 3)[3]
            location = "/" + location
        separator = "&" if "?" in location else "?"
        status, _, body = request("PUT", f"{location}{separator}digest={digest}", data,
                                  {"Content-Type": "application/octet-stream"})
        assert status == 201, (status, body)
    return {"digest": digest, "size": len(data)}


BASE = [layer(1, 1 << 20), layer(2, 256 << 10), layer(3, 64 << 10)]
for r in range(repos):
    name = f"bench/app-{r:02d}"
    repo_layer = layer(1000 + r, 32 << 10)
    for t in range(tags):
        own = layer(100000 + r * 1000 + t, 4 << 10)
        layers = [dict(push_blob(name, data), mediaType="application/vnd.oci.image.layer.v1.tar+gzip")
                  for data in BASE + [repo_layer, own]]
        hours = r * tags + t
        config = json.dumps({
            "architecture": "amd64", "os": "linux",
            "created": f"2026-01-{1 + hours // 24:02d}T{hours % 24:02d}:00:00Z",
            "config": {"Env": [f"REPO={r}", f"TAG={t}"]},
            "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in layers]},
        }).encode()
        manifest = json.dumps({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": dict(push_blob(name, config), mediaType="application/vnd.oci.image.config.v1+json"),
            "layers": layers,
        }).encode()
        status, _, body = request("PUT", f"/v2/{name}/manifests/1.{t}", manifest,
                                  {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
        assert status == 201, (status, body)
