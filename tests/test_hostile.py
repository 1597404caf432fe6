"""Hostile names, feeds and folders: nothing stops an update, replaces an article or is lost."""

import json
import os
import shutil

import pytest

from assistant.app.cli import main
from assistant.config import DEFAULT_MODEL
from assistant.errors import ArticleError
from assistant.indexing import store
from assistant.indexing import update as indexing
from assistant.ingest.articles import load_folders, parse_article

SEED = "000_b82a1ae29ca0ea28"
COUNCIL = (
    "Der Stadtrat von Kleinhausen traf sich am Montag zu einer Sondersitzung. "
    "Er beschloss einstimmig einen neuen Haushalt für die drei Grundschulen der Stadt.\n"
)


def _update(folder, index, model, **flags):
    return indexing.update([folder], index, model, DEFAULT_MODEL, 300, 0, **flags)


def test_a_file_name_that_is_not_utf8_is_indexed(seeds_copy, tmp_path, model):
    name = os.fsencode(seeds_copy) + b"/caf\xe9-rat.txt"  # Latin-1 "é": not UTF-8
    with open(name, "w", encoding="utf-8") as handle:
        handle.write(COUNCIL)
    index = tmp_path / "index"
    report = _update(seeds_copy, index, model)
    assert "caf\\xe9-rat" in report.added  # the name's odd byte written out, not lost
    loaded = store.load(index)
    article = loaded.articles["caf\\xe9-rat"]
    assert os.fsencode(article.path) == name  # the stored path reads back byte for byte
    assert "Grundschulen" in article.text
    again = _update(seeds_copy, index, model)
    assert again.version is None  # recognised as unchanged, not re-read as new
    assert main(["index", "update", "--articles", str(seeds_copy), "--index", str(index)]) == 0


def test_a_feed_line_never_replaces_an_article_from_another_source(seeds_copy, tmp_path, model):
    index = tmp_path / "index"
    _update(seeds_copy, index, model)
    seed_text = store.load(index).articles[SEED].text
    fake = {"id": SEED, "date": "2030-01-01", "text": "Fake news sentence about the year 2030."}
    (seeds_copy / "0.jsonl").write_text(json.dumps(fake) + "\n")  # sorts before the seed file
    report = _update(seeds_copy, index, model)
    assert not report.changed and not report.added
    (skip,) = [s for s in report.skipped if s.path.endswith(f"0.jsonl#{SEED}")]
    assert f"{SEED}.txt" in skip.reason and "already taken" in skip.reason  # names both
    assert store.load(index).articles[SEED].text == seed_text
    # A new build from scratch gives the id to the file, not to the feed line.
    rebuilt = _update(seeds_copy, tmp_path / "fresh", model)
    assert store.load(tmp_path / "fresh").articles[SEED].text == seed_text
    assert any(s.path.endswith(f"0.jsonl#{SEED}") for s in rebuilt.skipped)


def test_feed_text_with_lone_surrogates_is_stored(tmp_path, model):
    folder = tmp_path / "articles"
    folder.mkdir()
    record = {"id": "odd", "title": "Rat \ud800", "author": 7, "text": COUNCIL + "\udcff Ende."}
    (folder / "feed.jsonl").write_text(json.dumps(record) + "\n")  # JSON escapes, valid UTF-8
    report = _update(folder, tmp_path / "index", model)
    assert report.added == ["odd"]
    article = store.load(tmp_path / "index").articles["odd"]
    assert "\ufffd" in article.text and article.title == "Rat \ufffd" and article.author is None


def test_symlinks_leaving_the_folder_are_skipped(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(COUNCIL)
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "inside.txt").write_text(COUNCIL.replace("Montag", "Dienstag"))
    (folder / "alias.txt").symlink_to(folder / "inside.txt")  # inside: read (a duplicate)
    collection = load_folders([folder])
    assert [a.id for a in collection.articles] == ["alias"]  # first by name, same content
    (skip,) = [s for s in collection.skipped if s.path.endswith("passwd.txt")]
    assert "outside the articles folder" in skip.reason


def test_an_emptied_folder_is_not_taken_as_all_deleted(seeds_copy, tmp_path, model, capsys):
    index = tmp_path / "index"
    _update(seeds_copy, index, model)
    moved = tmp_path / "moved"
    moved.mkdir()
    for path in seeds_copy.iterdir():
        shutil.move(path, moved)
    with pytest.raises(ArticleError, match="--prune") as refused:
        _update(seeds_copy, index, model)
    assert "holds 2" in str(refused.value)
    assert len(store.load(index).articles) == 2
    args = ["index", "update", "--articles", str(seeds_copy), "--index", str(index)]
    assert main(args) == 2 and "--prune" in capsys.readouterr().err
    assert main([*args, "--prune"]) == 0  # on purpose: deleted
    assert store.load(index).articles == {}
    shutil.rmtree(seeds_copy)
    with pytest.raises(ArticleError, match="does not exist"):
        _update(seeds_copy, index, model)


def test_any_update_removes_versions_older_than_the_previous_one(seeds_copy, tmp_path, model):
    index = tmp_path / "index"
    _update(seeds_copy, index, model)
    current = store.current_version(index).name
    for stale in ("v-00000000T000000000000", "v-00000001T000000000000", "v-99999999T0"):
        shutil.copytree(index / current, index / stale)  # left by kills before/after a switch
    report = _update(seeds_copy, index, model)
    assert report.version is None  # "up to date", and still cleaned
    assert sorted(p.name for p in index.glob("v-*")) == ["v-00000001T000000000000", current]
    assert len(store.load(index).articles) == 2


def test_utf8_mark_before_a_latin1_body(tmp_path):
    path = tmp_path / "ueberschrift.txt"
    body = "Überschrift\n\n" + COUNCIL * 3 + "Die Bürger äußerten sich überwiegend positiv.\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("latin-1"))
    assert parse_article(path, path.read_bytes()).text.startswith("Überschrift")


def test_one_huge_token_is_named_as_such(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"QUJD" * 1_000_000)
    with pytest.raises(ArticleError, match="4,000,000-character run without spaces"):
        parse_article(path, path.read_bytes())


def test_a_lone_surrogate_in_a_question_is_cleaned(assistant):
    answer = assistant.ask("Wie viele\ud800 nordkoreanische Soldaten sind bei Kursk?\udfff")
    assert "10.000" in answer.answer and "\ud800" not in answer.question


@pytest.mark.parametrize("question", ["🤔🇰🇵" * 600, "库尔斯克附近有多少朝鲜士兵" * 150])
def test_question_cost_is_bounded_in_tokens(assistant, question):
    from assistant.errors import QuestionError

    with pytest.raises(QuestionError, match="tokens long for the model; the limit is 512"):
        assistant.ask(question[:2000])
    german = "Wie viele nordkoreanische Soldaten sind nach Angaben der Dienste bei Kursk? " * 27
    assert assistant.ask(german[:2000]).answer  # 2,000 characters of German: one window


def _call(url: str, api: str, raw_json: str) -> str:
    """POST a raw JSON body to Gradio's API (a client library cannot send a lone surrogate,
    a browser or curl can: "\\ud800" is valid JSON) and return the event stream's text."""
    import httpx

    base = f"{url}gradio_api/call/{api}"
    headers = {"content-type": "application/json"}
    event = httpx.post(base, content=raw_json.encode(), headers=headers, timeout=60).json()
    return httpx.get(f"{base}/{event['event_id']}", timeout=120).text


def test_a_lone_surrogate_through_the_chat_api(assistant):
    from browser import served

    from assistant.app.chat import ChatApp

    with served(ChatApp(assistant).build()) as url:
        body = '{"data": ["Wie viele nordkoreanische\\ud800 Soldaten sind bei Kursk?", []]}'
        stream = _call(url, "chat", body)
        assert "event: complete" in stream and "10.000" in stream, stream
        stream = _call(url, "chat", '{"data": ["\\ud800' + "🤔" * 1500 + '", []]}')
        assert "event: complete" in stream and "tokens long" in stream, stream[:300]


def test_an_unchanged_feed_is_not_parsed_again(tmp_path, model, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    records = [
        {"id": f"rec{n}", "text": COUNCIL.replace("Montag", f"Tag {n}")} for n in range(30)
    ] + [{"id": "empty", "text": "   "}]  # one unusable record: skipped, not the whole feed
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    index = tmp_path / "index"
    report = _update(folder, index, model)
    assert len(report.added) == 30
    loaded = store.load(index)
    feed = loaded.manifest.feeds[str(folder / "feed.jsonl")]
    assert feed["articles"] == 30
    again = load_folders(
        [folder], frozenset(loaded.articles), loaded.articles, {str(folder / "feed.jsonl"): feed}
    )
    assert all(a is loaded.articles[a.id] for a in again.articles)  # the same objects: not parsed
    args = ["index", "status", "--json", "--articles", str(folder), "--index", str(index)]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["pending"] == {
        "new": [],
        "changed": [],
        "deleted": [],
    }
    with open(folder / "feed.jsonl", "a") as handle:
        handle.write(json.dumps({"id": "rec99", "text": COUNCIL}) + "\n")
    assert main(args) == 0  # a changed feed is parsed again
    assert json.loads(capsys.readouterr().out)["pending"]["new"] == ["rec99"]
