#!/usr/bin/env python3
"""scripts/testenv.d/oci-base.py — make and push the two-platform busybox base image.

No docker CLI, no BuildKit: the image is written by hand as an OCI image layout (one gzip layer
per platform holding a static busybox and its applet links, an image config, a manifest per
platform and an OCI index over them), then pushed with the registry HTTP API (v2) — the same
bytes every time, so the digests only change when the busybox packages do.

Usage:
  oci-base.py layout OUT_DIR amd64=ROOT_AMD64 arm64=ROOT_ARM64 ...
      ROOT_* is a directory holding bin/busybox for that architecture (dpkg -x of
      busybox-static:<arch>). APPLETS (env, file path) lists applet paths, one per line
      (busybox --list-full output of any one of them).
  oci-base.py rootfs OUT_DIR amd64=ROOTFS_AMD64.tar arm64=ROOTFS_ARM64.tar ...
      The same, one layer per platform taken from a root file system tarball (mmdebstrap's).
  oci-base.py push OUT_DIR HOST:PORT REPO TAG
      Pushes the layout's index (and everything under it) as REPO:TAG over plain http.
  oci-base.py check HOST:PORT REPO TAG
      Exit 0 when REPO:TAG exists and is an OCI index with linux/amd64 and linux/arm64.
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.error
import urllib.request

EPOCH = 0  # fixed timestamps: reproducible digests
MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def layer_tar(root, applets):
    """Uncompressed tar bytes: bin/busybox, applet symlinks, a few dirs and /etc files."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        def add(name, kind, data=b"", mode=0o755, target=""):
            ti = tarfile.TarInfo(name)
            ti.mtime, ti.uid, ti.gid, ti.uname, ti.gname = EPOCH, 0, 0, "root", "root"
            ti.mode = mode
            if kind == "dir":
                ti.type = tarfile.DIRTYPE
                tar.addfile(ti)
            elif kind == "sym":
                ti.type, ti.linkname, ti.mode = tarfile.SYMTYPE, target, 0o777
                tar.addfile(ti)
            else:
                ti.size = len(data)
                tar.addfile(ti, io.BytesIO(data))

        dirs = {"bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "root", "tmp", "var"}
        for a in applets:
            d = os.path.dirname(a)
            while d:
                dirs.add(d)
                d = os.path.dirname(d)
        for d in sorted(dirs):
            add(d + "/", "dir", mode=0o1777 if d == "tmp" else (0o700 if d == "root" else 0o755))
        with open(os.path.join(root, "bin/busybox"), "rb") as f:
            add("bin/busybox", "file", f.read(), 0o755)
        add("etc/group", "file", b"root:x:0:\nnogroup:x:65534:\n", 0o644)
        add("etc/passwd", "file",
            b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n", 0o644)
        for a in sorted(set(applets)):
            if a in ("bin/busybox",):
                continue
            depth = a.count("/")
            add(a, "sym", target="../" * depth + "bin/busybox")
    return buf.getvalue()


def gz(data, level=9):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=EPOCH, compresslevel=level) as g:
        g.write(data)
    return out.getvalue()


def write_blob(out, data):
    d = sha(data)
    p = os.path.join(out, "blobs", "sha256", d.split(":")[1])
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)
    return {"digest": d, "size": len(data)}


def canon(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()


def cmd_layout(out, specs):
    applets_file = os.environ.get("APPLETS")
    applets = []
    if applets_file:
        with open(applets_file) as f:
            applets = [l.strip().lstrip("/") for l in f if l.strip()]
    if "bin/sh" not in applets:
        applets.append("bin/sh")
    write_layout(out, [(spec.split("=", 1)[0], layer_tar(spec.split("=", 1)[1], applets))
                       for spec in specs], "Debian busybox-static")


def cmd_rootfs(out, specs):
    layers = []
    for spec in specs:
        arch, tarball = spec.split("=", 1)
        with open(tarball, "rb") as f:
            layers.append((arch, f.read()))
    write_layout(out, layers, "a Debian root file system (mmdebstrap)", level=1)


def write_layout(out, layers, what, level=9):
    os.makedirs(out, exist_ok=True)
    manifests = []
    for arch, raw in layers:
        layer = dict(mediaType=MT_LAYER, **write_blob(out, gz(raw, level)))
        config = {
            "architecture": arch,
            "os": "linux",
            "created": "1970-01-01T00:00:00Z",
            "config": {"Cmd": ["sh"], "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
            "rootfs": {"type": "layers", "diff_ids": [sha(raw)]},
            "history": [{"created": "1970-01-01T00:00:00Z",
                         "created_by": "hoist scripts/testenv: %s (%s)" % (what, arch)}],
        }
        cfg = dict(mediaType=MT_CONFIG, **write_blob(out, canon(config)))
        man = {"schemaVersion": 2, "mediaType": MT_MANIFEST, "config": cfg, "layers": [layer]}
        md = dict(mediaType=MT_MANIFEST, **write_blob(out, canon(man)))
        md["platform"] = {"architecture": arch, "os": "linux"}
        manifests.append(md)
    index = {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": manifests}
    idx = dict(mediaType=MT_INDEX, **write_blob(out, canon(index)))
    idx["annotations"] = {"org.opencontainers.image.ref.name": "latest"}
    with open(os.path.join(out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(out, "index.json"), "wb") as f:
        f.write(canon({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [idx]}))
    print(idx["digest"])


def req(method, url, data=None, headers=None):
    r = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(r, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def blob_bytes(out, digest):
    with open(os.path.join(out, "blobs", "sha256", digest.split(":")[1]), "rb") as f:
        return f.read()


def push_blob(base, repo, out, digest):
    st, _, _ = req("HEAD", "%s/v2/%s/blobs/%s" % (base, repo, digest))
    if st == 200:
        return
    st, h, body = req("POST", "%s/v2/%s/blobs/uploads/" % (base, repo))
    if st != 202:
        sys.exit("push: starting the upload of %s: HTTP %d %s" % (digest, st, body[:200]))
    loc = h.get("Location") or h.get("location")
    if loc.startswith("/"):
        loc = base + loc
    loc += ("&" if "?" in loc else "?") + "digest=" + digest
    st, _, body = req("PUT", loc, blob_bytes(out, digest), {"Content-Type": "application/octet-stream"})
    if st != 201:
        sys.exit("push: uploading %s: HTTP %d %s" % (digest, st, body[:200]))


def push_manifest(base, repo, ref, mt, data):
    st, _, body = req("PUT", "%s/v2/%s/manifests/%s" % (base, repo, ref), data, {"Content-Type": mt})
    if st != 201:
        sys.exit("push: manifest %s: HTTP %d %s" % (ref, st, body[:300]))


def cmd_push(out, hostport, repo, tag):
    base = "http://" + hostport
    with open(os.path.join(out, "index.json"), "rb") as f:
        top = json.load(f)["manifests"][0]
    index_bytes = blob_bytes(out, top["digest"])
    for m in json.loads(index_bytes)["manifests"]:
        mb = blob_bytes(out, m["digest"])
        man = json.loads(mb)
        for b in [man["config"]] + man["layers"]:
            push_blob(base, repo, out, b["digest"])
        push_manifest(base, repo, m["digest"], m["mediaType"], mb)
    push_manifest(base, repo, tag, MT_INDEX, index_bytes)
    print(top["digest"])


def cmd_check(hostport, repo, tag):
    st, h, body = req("GET", "http://%s/v2/%s/manifests/%s" % (hostport, repo, tag),
                      headers={"Accept": MT_INDEX})
    if st != 200:
        sys.exit(1)
    plats = {"%s/%s" % (m["platform"]["os"], m["platform"]["architecture"])
             for m in json.loads(body).get("manifests", [])}
    if not {"linux/amd64", "linux/arm64"} <= plats:
        sys.exit(1)
    print(h.get("Docker-Content-Digest", ""))


def main(argv):
    if len(argv) >= 3 and argv[1] == "layout":
        cmd_layout(argv[2], argv[3:])
    elif len(argv) >= 3 and argv[1] == "rootfs":
        cmd_rootfs(argv[2], argv[3:])
    elif len(argv) == 6 and argv[1] == "push":
        cmd_push(*argv[2:])
    elif len(argv) == 5 and argv[1] == "check":
        cmd_check(*argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
