"""Build an index from articles, embedding only chunks whose vectors are not known yet."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sentence_transformers import SentenceTransformer

from assistant import store
from assistant.articles import Article, Collection, load_folders
from assistant.background import background_vectors
from assistant.chunking import chunk_articles
from assistant.embedding import dimension, embed_passages
from assistant.errors import IndexCorruptError, IndexMismatchError, IndexMissingError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildReport:
    articles: int
    chunks: int
    embedded: int  # chunks whose vectors were computed now
    reused: int  # chunks whose vectors came from the previous index
    skipped: list  # assistant.articles.Skipped
    version: str


def build(
    articles: list[Article],
    model: SentenceTransformer,
    model_name: str,
    chunk_size: int,
    chunk_overlap: int,
    previous: store.Index | None = None,
    progress: bool = False,
) -> tuple[store.Index, int]:
    """(new Index, number of chunks embedded now); vectors of unchanged chunks are reused."""
    chunks = chunk_articles(articles, chunk_size, chunk_overlap)
    known = _known_vectors(previous, model_name)
    # One embedding per distinct chunk text that no earlier index has a vector for.
    todo = list({c.sha256: c.text for c in chunks if c.sha256 not in known}.items())
    fresh = embed_passages(model, [text for _, text in todo], progress=progress)
    known.update(zip([sha for sha, _ in todo], fresh, strict=True))
    dim = dimension(model)
    vectors = np.array([known[c.sha256] for c in chunks], dtype=np.float32).reshape(-1, dim)
    manifest = store.new_manifest(model_name, dim, chunk_size, chunk_overlap, articles, len(chunks))
    if previous is not None and previous.manifest.model == model_name:
        background = previous.background
    else:
        background = background_vectors(model, model_name)
    index = store.Index(manifest, {a.id: a for a in articles}, chunks, vectors, background)
    return index, len(todo)


def build_folder(
    folders: list[Path],
    index_dir: Path,
    model: SentenceTransformer,
    model_name: str,
    chunk_size: int,
    chunk_overlap: int,
    progress: bool = False,
) -> BuildReport:
    """Read the folders, build (reusing the old index's vectors where possible) and save."""
    collection: Collection = load_folders(folders)
    previous = load_previous(index_dir)
    index, embedded = build(
        collection.articles, model, model_name, chunk_size, chunk_overlap, previous, progress
    )
    version = store.save(index, index_dir)
    return BuildReport(
        articles=len(index.articles),
        chunks=len(index.chunks),
        embedded=embedded,
        reused=len(index.chunks) - embedded,
        skipped=collection.skipped,
        version=version.name,
    )


def load_previous(index_dir: Path) -> store.Index | None:
    """The existing index, or None if there is none or it cannot be read (it gets replaced)."""
    try:
        return store.load(index_dir)
    except IndexMissingError:
        return None
    except (IndexCorruptError, IndexMismatchError) as err:
        logger.warning("existing index not reused: %s", err)
        return None


def pending_changes(folders: list[Path], manifest: store.Manifest) -> dict[str, list[str]]:
    """Article ids that are new, changed or deleted on disk compared with the manifest."""
    on_disk = {a.id: a.sha256 for a in load_folders(folders).articles}
    return {
        "new": sorted(set(on_disk) - set(manifest.articles)),
        "changed": sorted(
            i for i in on_disk if i in manifest.articles and on_disk[i] != manifest.articles[i]
        ),
        "deleted": sorted(set(manifest.articles) - set(on_disk)),
    }


def _known_vectors(previous: store.Index | None, model_name: str) -> dict[str, np.ndarray]:
    """Vectors of the previous index by chunk hash, if it used the same model."""
    if previous is None or previous.manifest.model != model_name:
        return {}
    return {chunk.sha256: previous.vectors[i] for i, chunk in enumerate(previous.chunks)}
