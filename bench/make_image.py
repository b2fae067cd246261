#!/usr/bin/env python3
"""Write a test image as an OCI layout: `make_image.py DIR SHAPE SEED`.

Shapes: `big` (1 GiB in 8 incompressible layers), `big256` (256 MiB in 8), `small` (200 layers of 64 KiB),
`index` (a 4-platform index, 3 layers of 2 MiB per platform), `sample` (a small
linux/amd64 + linux/arm64 index, for the quick start).
Layers are random bytes: registries and copy tools do not look inside them.
"""
import hashlib
import json
import os
import sys

out, shape, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
blobs = os.path.join(out, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)


def put(data: bytes) -> dict:
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + digest, "size": len(data)}


def put_random(size: int) -> dict:
    h = hashlib.sha256()
    tmp = os.path.join(blobs, "tmp")
    with open(tmp, "wb") as f:
        left = size
        while left:
            chunk = os.urandom(min(left, 1 << 20))
            h.update(chunk)
            f.write(chunk)
            left -= len(chunk)
    digest = h.hexdigest()
    os.replace(tmp, os.path.join(blobs, digest))
    return {"digest": "sha256:" + digest, "size": size}


def image(os_name: str, arch: str, layer_sizes: list) -> dict:
    layers = [dict(put_random(s), mediaType="application/vnd.oci.image.layer.v1.tar+gzip") for s in layer_sizes]
    config = json.dumps({
        "architecture": arch, "os": os_name, "created": "2026-01-01T00:00:00Z",
        "config": {"Env": ["SEED=%d" % seed]},
        "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in layers]},
    }).encode()
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": dict(put(config), mediaType="application/vnd.oci.image.config.v1+json"),
        "layers": layers,
    }).encode()
    return dict(put(manifest), mediaType="application/vnd.oci.image.manifest.v1+json")


if shape == "big":
    top = image("linux", "amd64", [128 << 20] * 8)
elif shape == "big256":  # `big` scaled down for slow links (bench/wan.sh)
    top = image("linux", "amd64", [32 << 20] * 8)
elif shape == "small":
    top = image("linux", "amd64", [64 << 10] * 200)
elif shape == "index":
    entries = []
    for os_name, arch in [("linux", "amd64"), ("linux", "arm64"), ("linux", "ppc64le"), ("linux", "s390x")]:
        entry = image(os_name, arch, [2 << 20] * 3)
        entry["platform"] = {"os": os_name, "architecture": arch}
        entries.append(entry)
    index = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                        "manifests": entries}).encode()
    top = dict(put(index), mediaType="application/vnd.oci.image.index.v1+json")
elif shape == "sample":
    entries = []
    for os_name, arch in [("linux", "amd64"), ("linux", "arm64")]:
        entry = image(os_name, arch, [256 << 10, 64 << 10])
        entry["platform"] = {"os": os_name, "architecture": arch}
        entries.append(entry)
    index = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                        "manifests": entries}).encode()
    top = dict(put(index), mediaType="application/vnd.oci.image.index.v1+json")
else:
    sys.exit("unknown shape " + shape)

top["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [top]}, f)
with open(os.path.join(out, "oci-layout"), "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
