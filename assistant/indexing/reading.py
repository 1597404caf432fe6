"""Reading the index: the active version's manifest, and its segments seen as one Index."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.errors import IndexCorruptError, IndexMissingError, IndexOutdatedError
from assistant.indexing import segments
from assistant.indexing.memory import FORMAT_VERSION, Index, Manifest, SegmentRef
from assistant.ingest.articles import Article

CURRENT = "CURRENT"  # names the active version folder; replaced atomically


def load(folder: Path) -> Index:
    """Load the active version, or raise a message naming the problem and the fix."""
    version = current_version(folder)
    manifest = read_manifest(version)
    hint = rebuild_hint(folder)
    try:
        background = np.load(version / "background.npy").astype(np.float32)
    except (ValueError, OSError, EOFError) as err:
        raise IndexCorruptError(f"Index {str(version)!r} lacks a readable background.npy "
                                f"({err}). {hint}") from err  # fmt: skip
    if background.ndim != 2 or background.shape[1] != manifest.dimension:
        raise IndexCorruptError(
            f"background.npy in {str(version)!r} has shape {background.shape}. {hint}"
        )
    pieces = [
        (segments.read(folder, ref.name, manifest.dimension, hint), frozenset(ref.deleted))
        for ref in manifest.segments
    ]
    index = Index.over(manifest, pieces, background, version.name, folder)
    if len(index.chunks) != manifest.chunks:
        raise IndexCorruptError(
            f"Index {str(version)!r} has {len(index.chunks)} live chunks in its segments and a "
            f"manifest that says {manifest.chunks}. {hint}"
        )
    index.manifest = replace(manifest, articles={a.id: a.sha256 for a in index.articles.headers()})
    return index


def load_records(folder: Path) -> tuple[Manifest, dict[str, Article]]:
    """The active version's manifest and articles (without their texts), not its vectors and
    chunks: what `index status` needs to compare the folders with the index."""
    version = current_version(folder)
    manifest = read_manifest(version)
    articles = {}
    for ref in manifest.segments:
        deleted = set(ref.deleted)
        for article in segments.read_headers(folder, ref.name, rebuild_hint(folder)):
            if article.id not in deleted:
                articles[article.id] = article
    manifest = replace(manifest, articles={a.id: a.sha256 for a in articles.values()})
    return manifest, articles


def current_version(folder: Path) -> Path:
    """The folder CURRENT points at."""
    pointer = folder / CURRENT
    if not pointer.is_file():
        raise IndexMissingError(
            f"No index in {str(folder)!r}. Build one: assistant index build --index {folder}"
        )
    version = folder / pointer.read_text(encoding="utf-8").strip()
    if not version.is_dir():
        raise IndexCorruptError(
            f"{str(pointer)!r} names {version.name!r}, which does not exist. {rebuild_hint(folder)}"
        )
    return version


def read_manifest(version: Path) -> Manifest:
    """Parse manifest.json of one version folder (its articles are filled in by the caller)."""
    path = version / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format_version") != FORMAT_VERSION:
            older = data.get("format_version") == 3  # indexing/migration.py converts it
            raise IndexOutdatedError(
                f"Index format {data.get('format_version')} is not the format this version "
                f"reads ({FORMAT_VERSION}: segments). "
                + (
                    "Convert it, keeping its vectors: assistant index update --index "
                    f"{version.parent}"
                    if older
                    else f"Its vectors cannot be reused. {rebuild_hint(version.parent)}"
                )
            )
        data["segments"] = tuple(
            SegmentRef(
                s["name"], int(s["chunks"]), tuple(s.get("deleted", ())), s.get("search", "flat")
            )  # fmt: skip
            for s in data.get("segments", ())
        )
        manifest = Manifest(**{**data, "articles": {}})
    except (OSError, ValueError, TypeError, AttributeError, KeyError) as err:
        raise IndexCorruptError(
            f"Manifest {str(path)!r} is unreadable or truncated ({err}). "
            f"{rebuild_hint(version.parent)}"
        ) from err
    return manifest


def rebuild_hint(folder: Path) -> str:
    """The command that rebuilds the index in folder."""
    return f"Rebuild it: assistant index build --index {folder}"
