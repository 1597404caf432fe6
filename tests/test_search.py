"""Vector search within a segment (assistant/indexing/search.py) on real chunk and question
vectors: recall against exact search, deleted rows, exact scores, saved structures."""

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.indexing import search
from assistant.indexing.embedding import embed_query
from assistant.tuning import CHUNK_OVERLAP, CHUNK_SIZE, SEARCH_ANN_KIND, SEARCH_FLAT_MAX_ROWS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
ROWS = 4000  # real-like passage vectors in a segment-like .npy
APPROXIMATE = [kind for kind in search.KINDS if kind != "flat"]


@pytest.fixture(scope="module")
def vectors(model, tmp_path_factory) -> np.ndarray:
    """ROWS real-like passage vectors, memory-mapped as a segment's are: the chunks of the seeds
    and the 12 gnad sample articles embedded here (~200 real vectors), each repeated with noise
    that leaves it at cosine ~0.9 to its source (about the real data's nearest-neighbour cosine,
    0.893: benchmarks/results/ann.txt), renormalised."""
    from assistant.indexing.embedding import embed_passages
    from assistant.ingest.articles import load_folders
    from assistant.ingest.chunking import chunk_article

    articles = load_folders([DATA / "gnad-sample", ROOT / "seeds"]).articles
    texts = [c.text for a in articles for c in chunk_article(a, CHUNK_SIZE, CHUNK_OVERLAP)]
    real = np.asarray(embed_passages(model, texts), dtype=np.float32)
    rng = np.random.default_rng(0)
    matrix = real[np.arange(ROWS) % len(real)]
    spread = np.sqrt((1 / 0.9**2 - 1) / real.shape[1])  # noise of norm ~0.48: cosine ~0.9
    matrix = matrix + spread * rng.standard_normal(matrix.shape).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    path = tmp_path_factory.mktemp("segment") / "vectors.npy"
    np.save(path, matrix.astype(np.float32))
    return np.load(path, mmap_mode="r")


@pytest.fixture(scope="module")
def questions(model) -> np.ndarray:
    """Real question vectors: the 134 of close-questions and seeds-questions, embedded here."""
    texts = [
        json.loads(line)["question"]
        for name in ("close-questions.jsonl", "seeds-questions.jsonl")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return np.stack([embed_query(model, text) for text in texts])


@pytest.fixture(scope="module")
def built(vectors) -> dict:
    return {kind: search.build(vectors, kind) for kind in APPROXIMATE}


def test_kind_for_is_flat_below_the_threshold():
    assert search.kind_for(0) == search.kind_for(SEARCH_FLAT_MAX_ROWS - 1) == "flat"
    assert search.kind_for(SEARCH_FLAT_MAX_ROWS) == SEARCH_ANN_KIND != "flat"
    with pytest.raises(ValueError, match="unknown search structure"):
        search.build(np.zeros((3, 4), np.float32), "lsh")


def test_flat_is_exact(vectors, questions):
    assert search.build(vectors, "flat") is None
    for q in questions[:20]:
        scores, rows = search.search(vectors, None, q, 50)
        exact = np.asarray(vectors) @ q
        assert np.array_equal(rows, np.argsort(-exact, kind="stable")[:50])
        assert np.allclose(scores, exact[rows], atol=1e-6)


@pytest.mark.parametrize("candidates", [None, 100])
def test_chosen_kind_finds_the_exact_top_10(vectors, questions, built, candidates, monkeypatch):
    """With its own settings, and with 100 candidates (2.5% of the rows, as 2,000 are 2% of
    100k): the codes' ranking must hold, not only the oversampling of a small segment."""
    if candidates:
        monkeypatch.setattr(search, "SEARCH_PQ_CANDIDATES", candidates)
        monkeypatch.setattr(search, "SEARCH_REFINE", 1)
        monkeypatch.setattr(search, "SEARCH_HNSW_EF_SEARCH", candidates)
    recall = []
    for q in questions:
        _, exact = search.search(vectors, None, q, 10)
        _, found = search.search(vectors, built[SEARCH_ANN_KIND], q, 50)
        recall.append(len(set(found[:10]) & set(exact)) / 10)
    assert np.mean(recall) >= 0.98


@pytest.mark.parametrize("kind", APPROXIMATE)
def test_scores_are_exact_cosines_best_first(vectors, questions, built, kind):
    for q in questions[:20]:
        scores, rows = search.search(vectors, built[kind], q, 50)
        assert len(rows) == 50 == len(set(rows.tolist()))
        assert np.allclose(scores, np.asarray(vectors)[rows] @ q, atol=1e-6)
        assert np.all(np.diff(scores) <= 0)
        flat_scores, _ = search.search(vectors, None, q, 1)
        assert scores[0] <= flat_scores[0] + 1e-6  # never better than the exact best


@pytest.mark.parametrize("kind", [*APPROXIMATE, "flat"])
@pytest.mark.parametrize("deleted", [0.3, 0.995])
def test_deleted_rows_are_never_returned(vectors, questions, built, kind, deleted):
    live = np.random.default_rng(1).random(ROWS) >= deleted
    structure = built.get(kind)
    for q in questions[:10]:
        scores, rows = search.search(vectors, structure, q, 50, live)
        assert len(rows) == min(50, int(live.sum()))
        assert live[rows].all()
        assert np.allclose(scores, np.asarray(vectors)[rows] @ q, atol=1e-6)


@pytest.mark.parametrize("kind", [*APPROXIMATE, "flat"])
def test_k_larger_than_the_live_rows(vectors, questions, built, kind):
    live = np.zeros(ROWS, bool)
    live[[3, 500, 1999, 3999]] = True
    scores, rows = search.search(vectors, built.get(kind), questions[0], 50, live)
    assert sorted(rows.tolist()) == [3, 500, 1999, 3999]
    assert np.all(np.diff(scores) <= 0)
    nothing = search.search(vectors, built.get(kind), questions[0], 50, np.zeros(ROWS, bool))
    assert len(nothing[0]) == len(nothing[1]) == 0


@pytest.mark.parametrize("kind", APPROXIMATE)
def test_write_read_round_trip(vectors, questions, built, kind, tmp_path):
    search.write(built[kind], tmp_path / "search.faiss")
    again = search.read(tmp_path / "search.faiss")
    assert again.ntotal == ROWS
    for q in questions[:10]:
        first, second = (search.search(vectors, s, q, 50) for s in (built[kind], again))
        assert np.array_equal(first[1], second[1])
        assert np.array_equal(first[0], second[0])


def test_a_large_segment_is_saved_with_its_structure_and_searched_through_it(
    vectors, questions, tmp_path
):
    """Above SEARCH_FLAT_MAX_ROWS a segment is written with its structure, the manifest
    records the kind, a load searches through it (recall@10 against exact search), and the
    rows of articles deleted later never come back."""
    from assistant.indexing import store
    from assistant.ingest.articles import Article
    from assistant.ingest.chunking import Chunk

    per_article, rows = 10, SEARCH_FLAT_MAX_ROWS + 1_000
    rng = np.random.default_rng(0)  # each real vector five times, moved a little
    matrix = np.asarray(vectors)[np.arange(rows) % ROWS]
    matrix = matrix + 0.01 * rng.standard_normal(matrix.shape).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    articles, chunks = [], []
    for n in range(rows // per_article):
        text = " ".join(f"wort{n}x{j}" for j in range(per_article))
        article = Article(f"a{n}", f"Artikel {n}", None, "", None, text, f"{n:064x}", f"a{n}.txt")
        articles.append(article)
        starts = [i for i, c in enumerate(text) if i == 0 or text[i - 1] == " "]
        ends = [*(s - 1 for s in starts[1:]), len(text)]
        chunks += [Chunk(article.id, s, e, text[s:e]) for s, e in zip(starts, ends, strict=True)]
    folder = tmp_path / "index"
    manifest = store.new_manifest("m", 384, 300, 0, articles, rows, engine="onnx")
    store.save(store.Index(manifest, {a.id: a for a in articles}, chunks, matrix,
                           np.zeros((0, 384), np.float32)), folder)  # fmt: skip
    loaded = store.load(folder)
    [ref] = loaded.manifest.segments
    assert (
        ref.search == SEARCH_ANN_KIND != "flat" and (folder / ref.name / "search.faiss").is_file()
    )
    assert loaded.segments[0].structure is not None
    recall = []
    for q in questions:
        exact = np.argsort(-(matrix @ q), kind="stable")[:10]
        recall.append(len(set(loaded.nearest(q, 10).tolist()) & set(exact.tolist())) / 10)
    assert np.mean(recall) >= 0.98

    gone = {a.id for a in articles[::3]}
    kept = [a for a in articles if a.id not in gone]
    update = store.new_manifest("m", 384, 300, 0, kept, 0, engine="onnx")
    store.append(loaded, folder, update, [], [], np.zeros((0, 384), np.float32), gone)
    after = store.load(folder)
    assert len(after.chunks) == len(kept) * per_article and after.segments[0].structure is not None
    for q in questions[:20]:
        found = after.nearest(q, 50)
        assert all(after.chunks[r].article_id not in gone for r in found.tolist())
        np.testing.assert_allclose(after.top_scores(q, 50), after.vectors[found] @ q, atol=1e-5)
