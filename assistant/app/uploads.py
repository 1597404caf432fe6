"""Put uploaded files into the articles folder under safe, unique names; never overwrite."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest.articles import (
    ARTICLE_SUFFIXES,
    FEED_SUFFIXES,
    MAX_FEED_BYTES,
    MAX_FILE_BYTES,
)

UPLOAD_SUFFIXES = ARTICLE_SUFFIXES + FEED_SUFFIXES


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
    limit = MAX_FEED_BYTES if suffix in FEED_SUFFIXES else MAX_FILE_BYTES
    if size > limit:
        return Stored(original_name, None, f"not stored: {size:,} bytes is over {limit:,}")
    digest = _sha256(source)
    for existing in folder.glob(f"*{suffix}"):
        if existing.is_file() and existing.stat().st_size == size and _sha256(existing) == digest:
            return Stored(original_name, None, f"already in the articles as {existing.name}")
    folder.mkdir(parents=True, exist_ok=True)
    target = unique_path(folder, name)
    partial = target.with_name(f".{target.name}.part")
    shutil.copyfile(source, partial)
    partial.rename(target)  # whole file or nothing: the indexer never sees half an upload
    note = "" if target.name == name else f" (renamed: {name} was taken)"
    return Stored(original_name, target, f"stored as {target.name}{note}")


def safe_name(name: str) -> str:
    """A plain file name: no folders, no leading dots, only letters, digits, '.', '_' and '-'."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip(".-")[:100] or "article"
    return stem + suffix


def unique_path(folder: Path, name: str) -> Path:
    """folder/name, or folder/stem-2.suffix, -3, … if taken."""
    path = folder / name
    number = 2
    while path.exists():
        path = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
        number += 1
    return path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
