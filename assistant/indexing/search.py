"""Vector search within one segment: exact over the memory-mapped vectors, or a FAISS structure.

A segment's vectors (vectors.npy, float32, unit length) are searched straight from the mmap
below SEARCH_FLAT_MAX_ROWS rows ("flat"); above, a FAISS structure built once per segment
proposes candidates and the float32 rows from the mmap score them, so every score returned is
the exact cosine whatever the kind (the caller merges top-k across segments of any kind).
The structures hold 8-bit codes, never a float32 copy of the vectors:

    "flat"  none: vectors @ query over the mmap                      exact
    "pq"    IndexPQFastScan, 192 x 4 bits (96 B a row)               every code scanned, then
            the SEARCH_PQ_CANDIDATES best rescored exactly (the kind used above the threshold)
    "hnsw"  IndexHNSWSQ (8-bit codes + graph, ~0.6 KB a row)         approximate, then exact
    "sq8"   IndexScalarQuantizer (8-bit codes, 384 B a row)          every code scanned, then exact
    "ivf"   IndexIVFScalarQuantizer (8-bit codes in lists)           approximate, then exact

hnsw, sq8 and ivf skip deleted rows inside FAISS (an IDSelector); FAISS's fast-scan PQ takes no
selector, so "pq" over-fetches in proportion to the deleted rows and drops them.

Measured in benchmarks/ann.py (benchmarks/results/ann.txt); constants in assistant/tuning.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np

from assistant.tuning import (
    SEARCH_ANN_KIND,
    SEARCH_BUILD_BLOCK,
    SEARCH_FLAT_MAX_ROWS,
    SEARCH_HNSW_EF_BUILD,
    SEARCH_HNSW_EF_SEARCH,
    SEARCH_HNSW_M,
    SEARCH_IVF_NPROBE,
    SEARCH_IVF_ROWS_PER_LIST,
    SEARCH_PQ_CANDIDATES,
    SEARCH_PQ_CODE,
    SEARCH_PQ_IMPLEM,
    SEARCH_REFINE,
    SEARCH_TRAIN_ROWS,
)

KINDS = ("flat", "pq", "hnsw", "sq8", "ivf")
_8BIT = faiss.ScalarQuantizer.QT_8bit
_IP = faiss.METRIC_INNER_PRODUCT


def kind_for(rows: int) -> str:
    """The structure for a segment of that many rows: "flat" below SEARCH_FLAT_MAX_ROWS."""
    return "flat" if rows < SEARCH_FLAT_MAX_ROWS else SEARCH_ANN_KIND


def build(vectors: np.ndarray, kind: str) -> faiss.Index | None:
    """The structure of one segment's (rows, dim) unit vectors; None for "flat". Trained on
    at most SEARCH_TRAIN_ROWS evenly spaced rows; rows are added a block at a time, so a
    memory-mapped matrix is never copied whole."""
    if kind not in KINDS:
        raise ValueError(f"unknown search structure {kind!r}; one of {', '.join(KINDS)}")
    if kind == "flat":
        return None
    rows, dim = vectors.shape
    if kind == "pq":
        index = faiss.index_factory(dim, SEARCH_PQ_CODE, _IP)
        index.implem = SEARCH_PQ_IMPLEM
    elif kind == "hnsw":
        index = faiss.IndexHNSWSQ(dim, _8BIT, SEARCH_HNSW_M, _IP)
        index.hnsw.efConstruction = SEARCH_HNSW_EF_BUILD
    elif kind == "sq8":
        index = faiss.IndexScalarQuantizer(dim, _8BIT, _IP)
    else:
        lists = max(1, rows // SEARCH_IVF_ROWS_PER_LIST)
        index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(dim), dim, lists, _8BIT, _IP)
    step = max(1, rows // SEARCH_TRAIN_ROWS)
    threads = faiss.omp_get_max_threads()
    if kind == "pq":  # 192 small k-means: 30 s on 2 contended threads, 4 s on one
        faiss.omp_set_num_threads(1)
    try:
        index.train(_block(vectors[::step][:SEARCH_TRAIN_ROWS]))
    finally:
        faiss.omp_set_num_threads(threads)
    for start in range(0, rows, SEARCH_BUILD_BLOCK):
        index.add(_block(vectors[start : start + SEARCH_BUILD_BLOCK]))
    return index


def write(structure: faiss.Index, path: Path) -> None:
    """Save a structure in FAISS's own format (the caller writes it into its staging folder)."""
    faiss.write_index(structure, str(path))


def read(path: Path) -> faiss.Index:
    """A structure written by write()."""
    structure = faiss.read_index(str(path))
    if isinstance(structure, faiss.IndexFastScan):
        structure.implem = SEARCH_PQ_IMPLEM  # a setting, not saved
    return structure


def search(
    vectors: np.ndarray,
    structure: faiss.Index | None,
    query: np.ndarray,
    k: int,
    live: np.ndarray | None = None,
    take: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(scores, rows) of the k live rows most similar to a unit query, best first.

    vectors: the segment's (rows, dim) float32 matrix (memory-mapped); structure: build()'s,
    None for exact search; live: bool per row, False for rows of deleted articles (None: all
    live). Scores are exact cosines from vectors; fewer than k results only when the segment
    has fewer live rows. A structure that finds too few live rows (a segment mostly deleted)
    falls back to exact search. take: reads the candidates' rows (default: vectors[rows]).
    """
    query = np.ascontiguousarray(query, dtype=np.float32).reshape(-1)
    alive = len(vectors) if live is None else int(np.count_nonzero(live))
    k = min(k, alive)
    if k <= 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    if structure is None:
        return _exact(vectors, query, k, live)
    if isinstance(structure, faiss.IndexFastScan):  # no selector: fetch more, drop the dead
        fetch = -(-max(k * SEARCH_REFINE, SEARCH_PQ_CANDIDATES) * len(vectors) // alive)
        if fetch >= len(vectors):  # mostly deleted: every row would be a candidate anyway
            return _exact(vectors, query, k, live)
        _, found = structure.search(query.reshape(1, -1), fetch)
        rows = found[0][found[0] >= 0]
        rows = np.sort(rows if live is None else rows[live[rows]])  # the mmap read in order
    else:
        fetch = min(alive, k * SEARCH_REFINE)
        bitmap = None if live is None else np.packbits(live, bitorder="little")
        sel = None if bitmap is None else faiss.IDSelectorBitmap(len(live), faiss.swig_ptr(bitmap))
        params = _params(structure, sel, fetch)
        _, found = structure.search(query.reshape(1, -1), fetch, params=params)
        rows = np.sort(found[0][found[0] >= 0])  # ascending: the mmap is read front to back
    if len(rows) < k:
        return _exact(vectors, query, k, live)
    # einsum, not @: OpenBLAS splits a gemv of 2,000 rows over threads, and on busy cores that
    # took 31 ms instead of 2 (benchmarks/results/ann.txt).
    found = take(rows) if take is not None else vectors[rows]
    scores = np.einsum("ij,j->i", found, query).astype(np.float32, copy=False)
    best = np.argsort(-scores, kind="stable")[:k]
    return scores[best], rows[best].astype(np.int64)


def _exact(
    vectors: np.ndarray, query: np.ndarray, k: int, live: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Every live row scored: vectors @ query over the mmap, then the k best."""
    scores = np.asarray(vectors @ query, dtype=np.float32)
    if live is not None:
        scores[~live] = -np.inf
    top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    top = top[np.argsort(-scores[top], kind="stable")]
    return scores[top], top.astype(np.int64)


def _params(
    structure: faiss.Index, selector: faiss.IDSelector | None, fetch: int
) -> faiss.SearchParameters:
    """The search parameters of the structure's kind, with the live-row selector."""
    if isinstance(structure, faiss.IndexHNSW):
        params = faiss.SearchParametersHNSW()
        params.efSearch = max(SEARCH_HNSW_EF_SEARCH, fetch)  # HNSW returns at most efSearch
    elif isinstance(structure, faiss.IndexIVF):
        params = faiss.SearchParametersIVF()
        params.nprobe = min(SEARCH_IVF_NPROBE, structure.nlist)
    else:
        params = faiss.SearchParameters()
    if selector is not None:
        params.sel = selector
    return params


def _block(rows: np.ndarray) -> np.ndarray:
    """A contiguous float32 copy of some rows, as FAISS takes them."""
    return np.ascontiguousarray(rows, dtype=np.float32)
