"""Put uploaded files into the articles folder under safe, unique names; never overwrite.

Concurrent uploads of one name each get their own temporary file, and the final name is taken
with os.link, which fails rather than replaces: the name reported is the name stored.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.config import STALE_UPLOAD_SECONDS
from assistant.ingest.articles import (
    ARTICLE_SUFFIXES,
    FEED_SUFFIXES,
    MAX_FEED_BYTES,
    MAX_FILE_BYTES,
)

UPLOAD_SUFFIXES = ARTICLE_SUFFIXES + FEED_SUFFIXES
PARTIAL_PREFIX = ".upload-"  # temporary files of uploads in progress; the loader skips them


@dataclass(frozen=True)
class Stored:
    name: str  # the name the user gave
    path: Path | None  # where it was stored; None when refused or already present
    message: str


def store_upload(source: Path, original_name: str, folder: Path) -> Stored:
    """Copy one uploaded file into folder; refuse wrong types, oversize and duplicates."""
    name = safe_name(original_name)
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        allowed = ", ".join(UPLOAD_SUFFIXES)
        return Stored(original_name, None, f"not stored: {suffix or 'no'} extension ({allowed})")
    size = source.stat().st_size
    if size == 0:  # refused before storing: nothing to index, nothing left in the folder
        return Stored(original_name, None, "not stored: the file is empty")
    limit = MAX_FEED_BYTES if suffix in FEED_SUFFIXES else MAX_FILE_BYTES
    if size > limit:
        return Stored(original_name, None, f"not stored: {size:,} bytes is over {limit:,}")
    digest = _sha256(source)
    for existing in folder.glob(f"*{suffix}"):
        if existing.is_file() and existing.stat().st_size == size and _sha256(existing) == digest:
            return Stored(original_name, None, f"already in the articles as {existing.name}")
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(folder)
    # This upload's own temporary file, in the same folder (a link cannot cross file systems).
    handle, partial_name = tempfile.mkstemp(prefix=PARTIAL_PREFIX, suffix=".part", dir=folder)
    partial = Path(partial_name)
    try:
        with os.fdopen(handle, "wb") as out, open(source, "rb") as data:
            shutil.copyfileobj(data, out)
        os.chmod(partial, 0o644)  # mkstemp's 0600 would hide the article from other readers
        target = link_unique(partial, folder, name)  # whole file or nothing, never replaced
    finally:
        partial.unlink(missing_ok=True)
    note = "" if target.name == name else f" (renamed: {name} was taken)"
    return Stored(original_name, target, f"stored as {target.name}{note}")


def remove_stale_parts(folder: Path) -> None:
    """Delete temporary files of uploads killed mid-copy (older than STALE_UPLOAD_SECONDS; a
    younger one may belong to an upload in progress)."""
    limit = time.time() - STALE_UPLOAD_SECONDS
    for part in folder.glob(f"{PARTIAL_PREFIX}*.part"):
        try:
            if part.stat().st_mtime < limit:
                part.unlink()
        except OSError:
            continue  # removed by another upload meanwhile


def safe_name(name: str) -> str:
    """A plain file name: no folders, no leading dots, only letters, digits, '.', '_' and '-'."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip(".-")[:100] or "article"
    return stem + suffix


def candidates(name: str):
    """name, then stem-2.suffix, stem-3.suffix, …"""
    yield name
    number = 2
    while True:
        yield f"{Path(name).stem}-{number}{Path(name).suffix}"
        number += 1


def link_unique(partial: Path, folder: Path, name: str) -> Path:
    """Give partial the first free name of candidates(name); atomic, never replaces a file."""
    for candidate in candidates(name):
        target = folder / candidate
        try:
            os.link(partial, target)
            return target
        except FileExistsError:
            continue
    raise AssertionError("unreachable")  # candidates() never ends


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
