"""Segments: an update writes one segment and a small version; what it loads, merges and
compacts answers as a full build of the same articles does."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.config import DEFAULT_MODEL, Config
from assistant.errors import IndexOutdatedError
from assistant.indexing import compaction, store
from assistant.indexing import update as indexing
from assistant.indexing.embedding import embed_query
from assistant.qa.pipeline import Assistant

SAMPLE = Path(__file__).parent / "data" / "gnad-sample"
QUESTIONS = ["Wie viele nordkoreanische Soldaten sind bei Kursk?", "Reichweite der Haubitzen",
             "Was sagte Barros?", "Wirtschaft Österreich Arbeitslosigkeit"]  # fmt: skip


def _update(folder, index, model):
    return indexing.update([folder], index, model, DEFAULT_MODEL, 300, 0)


def _rows(index) -> dict:
    """Each chunk (article, start, end) with its vector."""
    return {(c.article_id, c.start, c.end): index.vectors[i] for i, c in enumerate(index.chunks)}


def assert_same_index(index, full, model) -> None:
    """index holds what full (one build of the same articles) holds, and answers alike."""
    from assistant.qa.retrieval import search

    assert index.articles.keys() == full.articles.keys()
    assert index.manifest.articles == full.manifest.articles
    mine, theirs = _rows(index), _rows(full)
    assert mine.keys() == theirs.keys() and len(index.chunks) == len(full.chunks)
    for key, vector in mine.items():
        np.testing.assert_allclose(vector, theirs[key], atol=1e-6)
    for question in QUESTIONS:
        vector = embed_query(model, question)
        got, want = (
            [(h.chunk.article_id, h.chunk.start, round(h.score, 4)) for h in search(i, vector)]
            for i in (index, full)
        )
        assert got == want
        # BM25 differs only by each segment's own length normalisation (lexical.py): on these
        # tiny segments by up to a fifth of the best score; the answers are the same.
        expected = dict(zip(theirs, full.lexical.scores(question), strict=True))
        scores = dict(zip(mine, index.lexical.scores(question), strict=True))
        assert max(abs(scores[k] - expected[k]) for k in expected) <= 0.25 * max(expected.values())
        answers = [
            Assistant(i, model, Config(index=i.folder or Path("."))).ask(question)
            for i in (index, full)
        ]
        assert answers[0].answer == answers[1].answer
        assert [c.quote for c in answers[0].citations] == [c.quote for c in answers[1].citations]


def _snapshot(folder: Path) -> dict:
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_an_update_writes_one_segment_and_touches_nothing_else(seeds_copy, tmp_path, model):
    index = tmp_path / "index"
    _update(seeds_copy, index, model)
    [first] = store.load(index).manifest.segments
    before = _snapshot(index / first.name)
    for path in sorted(SAMPLE.iterdir())[:3]:
        shutil.copy(path, seeds_copy)
    report = _update(seeds_copy, index, model)
    loaded = store.load(index)
    old, new = loaded.manifest.segments
    assert old == first and new.chunks == report.embedded and new.deleted == ()
    assert _snapshot(index / first.name) == before  # not rewritten, not even touched
    version = store.current_version(index)
    assert (version / "background.npy").stat().st_nlink == 2  # shared with the version before
    assert (version / "manifest.json").stat().st_size < 5_000
    assert sorted(p.name for p in index.glob("s-*")) == [first.name, new.name]
    assert [c for c in loaded.chunks] == report.index.chunks
    np.testing.assert_array_equal(loaded.vectors, report.index.vectors)


def test_changed_and_deleted_articles_answer_as_a_full_build(seeds_copy, tmp_path, model):
    index = tmp_path / "index"
    _update(seeds_copy, index, model)
    arriving = sorted(SAMPLE.iterdir())[:4]
    for path in arriving:
        shutil.copy(path, seeds_copy)
    _update(seeds_copy, index, model)
    changed = seeds_copy / arriving[0].name
    changed.write_text(changed.read_text() + "\nDie Haubitzen reichen 60 Kilometer weit.\n")
    (seeds_copy / arriving[1].name).unlink()
    report = _update(seeds_copy, index, model)
    assert report.changed == [arriving[0].stem] and report.deleted == [arriving[1].stem]
    loaded = store.load(index)
    first, second, third = loaded.manifest.segments
    assert first.deleted == () and set(second.deleted) == {arriving[0].stem, arriving[1].stem}
    assert report.embedded < 5  # the changed article's other chunks keep their vectors
    full = _update(seeds_copy, tmp_path / "full", model).index
    assert_same_index(loaded, full, model)
    assert_same_index(report.index, full, model)  # the updater's in-memory index too
    assert store.load_records(index)[0].articles == full.manifest.articles


def test_segments_are_merged_past_the_limit(seeds_copy, tmp_path, model, monkeypatch):
    monkeypatch.setattr(compaction, "MAX_SEGMENTS", 2)
    index = tmp_path / "index"
    _update(seeds_copy, index, model)
    for path in sorted(SAMPLE.iterdir())[:4]:
        shutil.copy(path, seeds_copy)
        report = _update(seeds_copy, index, model)
        assert len(report.index.manifest.segments) <= 2
        listed = {s.name for s in store.load(index).manifest.segments}
        assert listed == {s.name for s in report.index.manifest.segments}
    # Only the segments of the current version and the one before it are kept on disk.
    on_disk = {p.name for p in index.glob("s-*")}
    kept = set()
    for version in index.glob("v-*"):
        kept |= {s["name"] for s in json.loads((version / "manifest.json").read_text())["segments"]}
    assert on_disk == kept
    assert_same_index(store.load(index), _update(seeds_copy, tmp_path / "full", model).index,
                      model)  # fmt: skip


def test_compact_folds_every_segment_and_drops_deleted_rows(seeds_copy, tmp_path, model, capsys):
    from assistant.app.cli import main

    index = tmp_path / "index"
    _update(seeds_copy, index, model)
    for path in sorted(SAMPLE.iterdir())[:2]:
        shutil.copy(path, seeds_copy)
    _update(seeds_copy, index, model)
    (seeds_copy / sorted(SAMPLE.iterdir())[0].name).unlink()
    _update(seeds_copy, index, model)
    assert main(["index", "compact", "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert "Compacted 2 segments into 1" in out and "rows of deleted" in out
    loaded = store.load(index)
    [segment] = loaded.manifest.segments
    assert segment.deleted == () and segment.chunks == len(loaded.chunks)
    assert_same_index(loaded, _update(seeds_copy, tmp_path / "full", model).index, model)
    assert main(["index", "compact", "--index", str(index)]) == 0
    assert "Already compact" in capsys.readouterr().out


def _write_format_3(index, folder: Path) -> None:
    """index in the layout of format 3 (before segments), as its store wrote it."""
    import dataclasses

    import faiss

    version = folder / "v-20261201T000000000000"
    version.mkdir(parents=True)
    flat = faiss.IndexFlatIP(index.manifest.dimension)
    flat.add(np.ascontiguousarray(index.vectors, dtype=np.float32))
    faiss.write_index(flat, str(version / "vectors.faiss"))
    for name, records in (("chunks", index.chunks), ("articles", index.articles.values())):
        lines = [json.dumps(dataclasses.asdict(r), ensure_ascii=False) for r in records]
        (version / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    np.save(version / "background.npy", index.background)
    manifest = dataclasses.asdict(index.manifest)
    del manifest["segments"]
    manifest["format_version"] = 3
    (version / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "CURRENT").write_text(version.name)


def test_an_index_of_the_old_format_is_converted_by_an_update_keeping_its_vectors(
    seeds_copy, tmp_path, model
):
    _update(seeds_copy, tmp_path / "new", model)
    full = store.load(tmp_path / "new")
    old = tmp_path / "old"
    _write_format_3(full, old)
    with pytest.raises(IndexOutdatedError, match=f"keeping its vectors: assistant index update "
                                                 f"--index {old}"):  # fmt: skip
        store.load(old)
    report = _update(seeds_copy, old, model)
    assert report.embedded == 0  # every vector came from the old index
    converted = store.load(old)
    assert converted.manifest.format_version == store.FORMAT_VERSION
    assert_same_index(converted, full, model)
    # Older formats cannot be converted: the rebuild is named.
    manifest = json.loads((old / "v-20261201T000000000000" / "manifest.json").read_text())
    (old / "v-20261201T000000000000" / "manifest.json").write_text(
        json.dumps({**manifest, "format_version": 2})
    )
    (old / "CURRENT").write_text("v-20261201T000000000000")
    with pytest.raises(IndexOutdatedError, match=f"assistant index build --index {old}"):
        store.load(old)


def test_compact_without_an_index_says_so_and_creates_nothing(tmp_path, capsys):
    from assistant.app.cli import main

    missing = tmp_path / "no-index-here"
    assert main(["index", "compact", "--index", str(missing)]) != 0
    assert "No index in" in capsys.readouterr().err and not missing.exists()
