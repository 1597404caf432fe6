"""Fetch axe-core (the accessibility engine the browser tests run in the page) from npm's
registry into .venv/axe-core/axe.min.js, checked against the registry's sha512; no Node needed."""

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
TARGET = Path(".venv/axe-core/axe.min.js")


def main() -> None:
    if TARGET.is_file():
        return
    meta_url = f"https://registry.npmjs.org/axe-core/{VERSION}"
    dist = json.load(urllib.request.urlopen(meta_url, timeout=60))["dist"]
    data = urllib.request.urlopen(dist["tarball"], timeout=120).read()
    algorithm, _, digest = dist["integrity"].partition("-")
    if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != digest:
        sys.exit(f"axe-core {VERSION}: the download does not match the registry's {algorithm}")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        script = tar.extractfile("package/axe.min.js").read()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(script)
    print(f"   axe-core {VERSION} -> {TARGET}")


if __name__ == "__main__":
    main()
