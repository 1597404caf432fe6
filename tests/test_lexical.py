"""German-aware tokens and BM25 over chunks; the fused search against brute force."""

import numpy as np

from assistant.indexing.lexical import LexicalIndex, tokens
from assistant.indexing.store import Index, Manifest
from assistant.ingest.chunking import Chunk
from assistant.qa.retrieval import search


def test_tokens_fold_stem_and_split_compounds():
    assert tokens("Die Haubitzen") == tokens("haubitze")
    assert tokens("Größe") == tokens("grosse")
    assert set(tokens("Geschütze")) & set(tokens("Artilleriegeschütze")) == {"~schutz"}
    assert tokens("Wie viele sind es?") == []


def test_bm25_prefers_the_chunk_with_the_words():
    lexical = LexicalIndex(["Die Haubitzen Koksan reichen 50 Kilometer.", "Das Brot ist frisch."])
    scores = lexical.scores("Reichweite der Koksan-Haubitzen")
    assert scores[0] > 0 and scores[1] == 0


def test_fused_search_matches_brute_force():
    rng = np.random.default_rng(3)
    texts = [f"wort{i % 7} text{i}" for i in range(300)]
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    chunks = [Chunk(f"a{i}", 0, len(t), t) for i, t in enumerate(texts)]
    manifest = Manifest(3, "m", 16, 300, 0, 2, {}, 300, "now")
    index = Index(manifest, {}, chunks, vectors, np.zeros((0, 16), np.float32))
    query = rng.normal(size=16).astype(np.float32)
    query /= np.linalg.norm(query)
    lexical = index.lexical.scores("wort3")
    hits = search(index, query, 300, lexical / lexical.max(), lexical_weight=0.5)
    expected = vectors @ query + 0.5 * lexical / lexical.max()
    order = np.argsort(-expected, kind="stable")
    assert [h.chunk.text for h in hits] == [texts[i] for i in order]
    np.testing.assert_allclose([h.score for h in hits], expected[order], rtol=1e-5)


QUESTIONS = ["Reichweite der Koksan-Haubitzen", "nordkoreanische Soldaten Kursk", "Brot"]


def test_an_update_saves_its_bm25_and_a_load_reads_it(seeds_copy, tmp_path, model, caplog):
    from assistant.config import DEFAULT_MODEL
    from assistant.indexing import store
    from assistant.indexing.lexical import SAVED
    from assistant.indexing.update import update

    folder = tmp_path / "index"
    report = update([seeds_copy], folder, model, DEFAULT_MODEL, 300, 0)
    assert report.index._lexical is not None  # built by the updater: no question waits for it
    [segment] = store.load(folder).manifest.segments
    version = folder / segment.name  # a build: one segment, which keeps its BM25
    assert (version / SAVED).is_dir()
    saved = LexicalIndex.load(version, report.chunks)
    assert saved is not None  # read from disk, not built again
    built = LexicalIndex([c.text for c in report.index.chunks])
    loaded = store.load(folder)
    for question in QUESTIONS:
        np.testing.assert_allclose(saved.scores(question), built.scores(question), rtol=1e-6)
        np.testing.assert_allclose(loaded.lexical.scores(question), built.scores(question))
    assert LexicalIndex.load(version, report.chunks + 1) is None  # not this index's
    # An index from before (no saved BM25) or one whose BM25 is damaged: built again.
    (version / SAVED / "params.index.json").write_text("{not json")
    assert LexicalIndex.load(version, report.chunks) is None
    assert "building BM25 again" in caplog.text
    rebuilt = store.load(folder).lexical
    np.testing.assert_allclose(rebuilt.scores(QUESTIONS[0]), built.scores(QUESTIONS[0]))


def test_bm25_over_segments_weighs_words_by_the_whole_index(seeds_index, tmp_path):
    """Two segments' saved BM25s, combined, score as one BM25 over all their rows (up to the
    length normalisation each segment keeps); each segment's own IDF alone would not."""
    from assistant.indexing.lexical import Part, combine

    texts = [c.text for c in seeds_index.chunks]
    cut = len(texts) * 2 // 3
    pieces = (texts[:cut], texts[cut:])
    for n, piece in enumerate(pieces):
        (tmp_path / str(n)).mkdir()
        LexicalIndex(piece).save(tmp_path / str(n))
    parts = [Part(tmp_path / "0", cut), Part(tmp_path / "1", len(texts) - cut)]
    combined = combine(parts)
    whole = LexicalIndex(texts)
    own = [LexicalIndex(piece) for piece in pieces]
    errors, naive = [], []
    for question in [*QUESTIONS[:2], texts[cut + 3][:80], texts[2][:80]]:
        expected = whole.scores(question)
        scores = combined.scores(question)
        assert scores.shape == expected.shape and np.argmax(scores) == np.argmax(expected)
        errors.append(np.abs(scores - expected).max() / expected.max())
        alone = np.concatenate([index.scores(question) for index in own])
        naive.append(np.abs(alone - expected).max() / expected.max())
    # What remains is each segment's own mean chunk length (bm25s keeps no term counts).
    assert max(errors) < 0.1, errors
    assert max(naive) > 2 * max(errors), (naive, errors)
    # Rows of deleted articles are left out, and so are they from the document frequencies:
    # as a segment of only the live rows would score them (up to its mean chunk length).
    live = np.arange(0, cut, 2)
    masked = combine([Part(tmp_path / "0", cut, live), parts[1]])
    (tmp_path / "2").mkdir()
    LexicalIndex([texts[i] for i in live]).save(tmp_path / "2")
    alive = combine([Part(tmp_path / "2", len(live)), parts[1]])
    for question in [QUESTIONS[1], texts[live[3]][:80]]:
        expected = alive.scores(question)
        assert masked.scores(question).shape == (len(live) + len(texts) - cut,)
        assert 0 < np.abs(masked.scores(question) - expected).max() < 0.1 * expected.max()
    groups = [{"haubitz", "koksan"}, {"soldat"}]
    expected = alive.scores_any(groups)
    assert np.abs(masked.scores_any(groups) - expected).max() <= 0.1 * expected.max()
