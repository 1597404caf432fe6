"""New articles while the chat runs: upload through the app's API, CLI updates, re-scan."""

import json
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from browser import served
from chat_text import without_tags

from assistant.app.chat import ChatApp
from assistant.app.cli import main
from assistant.app.uploads import safe_name, store_upload
from assistant.config import Config
from assistant.qa.pipeline import Assistant, ensure_index

SAMPLE = Path(__file__).parent / "data" / "gnad-sample"
MORALES_Q = "Who came first in the first round of the presidential election in Guatemala?"
BOLT_Q = "In welcher Zeit gewann Bolt das 100-m-Finale bei der WM in Peking?"


@pytest.fixture
def app(seeds_copy, tmp_path, model):
    config = Config(articles=[seeds_copy], index=tmp_path / "index")
    return ChatApp(Assistant(ensure_index(config, model), model, config))


def reply_text(history) -> str:
    content = history[-1]["content"]
    return content[0]["text"] if isinstance(content, list) else content


def test_upload_through_the_served_app_then_ask(app, seeds_copy):
    from gradio_client import Client, handle_file

    with served(app.build()) as url:
        client = Client(url, verbose=False)
        report, status = client.predict(
            [handle_file(str(SAMPLE / "gnad-0180-international.txt"))], api_name="/upload"
        )
        assert "stored as gnad-0180-international.txt" in report and "1 new" in report
        assert "3 articles" in status
        history, _ = client.predict(MORALES_Q, [], api_name="/chat")
        assert "Jimmy Morales" in reply_text(history)
        assert "gnad-0180-international" in without_tags(reply_text(history))  # its source card
        # The same file again is recognised, not stored twice.
        report, _ = client.predict(
            [handle_file(str(SAMPLE / "gnad-0180-international.txt"))], api_name="/upload"
        )
        assert "already in the articles" in report
    assert (seeds_copy / "gnad-0180-international.txt").is_file()


def test_cli_update_is_picked_up_between_questions(app, seeds_copy, tmp_path, capsys):
    history, _ = app.respond(BOLT_Q, [])
    assert "9,79" not in reply_text(history)
    shutil.copy(SAMPLE / "gnad-0270-sport.txt", seeds_copy)
    index = str(app.assistant.config.index)
    assert main(["index", "update", "--articles", str(seeds_copy), "--index", index]) == 0
    history, _ = app.respond(BOLT_Q, history)
    assert "9,79 Sekunden" in reply_text(history)
    assert "gnad-0270-sport" in without_tags(reply_text(history))


def test_rescan_indexes_files_copied_into_the_folder(app, seeds_copy):
    shutil.copy(SAMPLE / "gnad-0540-international.txt", seeds_copy)
    report, status = app.rescan(progress=lambda *a, **k: None)
    assert "1 new" in report and "3 articles" in status


def test_questions_in_flight_never_fail_during_updates(app, seeds_copy):
    errors, answers = [], []

    def keep_asking():
        for _ in range(25):
            try:
                answers.append(
                    app.assistant.ask("Wie viele nordkoreanische Soldaten sind bei Kursk?")
                )
            except Exception as err:  # any failure is the test's failure
                errors.append(err)

    asker = threading.Thread(target=keep_asking)
    asker.start()
    for path in sorted(SAMPLE.iterdir())[:4]:
        shutil.copy(path, seeds_copy)
        app.assistant.update()
    asker.join()
    assert not errors
    assert all("10.000" in a.answer for a in answers)
    assert len(app.assistant.current_index().articles) == 6


def test_upload_names_are_made_safe(tmp_path):
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("..\\..\\evil name?.MD") == "evil-name.md"
    assert safe_name(".hidden.txt") == "hidden.txt"
    source = tmp_path / "upload.txt"
    source.write_text("Ein Artikel. Mit zwei Sätzen.")
    folder = tmp_path / "articles"
    first = store_upload(source, "../notes.txt", folder)
    source.write_text("Ein anderer Artikel. Auch mit zwei Sätzen.")
    second = store_upload(source, "notes.txt", folder)
    assert first.path == folder / "notes.txt" and second.path == folder / "notes-2.txt"
    assert "renamed" in second.message
    refused = store_upload(source, "photo.png", folder)
    assert refused.path is None and "extension" in refused.message
    assert sorted(p.name for p in folder.iterdir()) == ["notes-2.txt", "notes.txt"]


def test_watch_indexes_files_as_they_appear(app, seeds_copy):
    import time

    from assistant.app.server import watch

    stop = threading.Event()
    thread = watch(app, stop)
    try:
        time.sleep(0.5)  # let the watcher start before the file arrives
        shutil.copy(SAMPLE / "gnad-0900-web.txt", seeds_copy)
        deadline = time.monotonic() + 120
        while "gnad-0900-web" not in app.assistant.current_index().articles:
            assert time.monotonic() < deadline, "the watcher did not index the new file"
            time.sleep(0.5)
    finally:
        stop.set()
        thread.join(timeout=10)
    answer = app.assistant.ask("Kann man die Raumstation ISS virtuell erkunden?")
    assert answer.citations[0].article_id == "gnad-0900-web"


def test_the_library_lists_searches_and_removes_an_article(app, seeds_copy, tmp_path):
    shutil.copy(SAMPLE / "gnad-0180-international.txt", seeds_copy)
    app.rescan(progress=lambda *a, **k: None)
    rows, said = app.library()
    assert said == "3 articles" and [r[2] for r in rows][0] == "000_b82a1ae29ca0ea28"
    assert rows[0][1] == "17 Nov 2024" and rows[0][3] > 0  # newest first, with its passages
    rows, said = app.library("morales KOMIKER")  # every word, any case
    assert said == "1 of 3 articles" and rows[0][2] == "gnad-0180-international"
    history, _ = app.respond(MORALES_Q, [])
    assert "gnad-0180-international" in without_tags(reply_text(history))
    # Removed: the file is set aside (nothing lost), the index no longer has it.
    report, status, rows, said = app.remove_article(
        "gnad-0180-international", "", progress=lambda *a, **k: None
    )
    assert report.startswith("Removed gnad-0180-international.txt") and "2 articles" in status
    assert not (seeds_copy / "gnad-0180-international.txt").exists()
    assert (tmp_path / "index" / "removed-articles" / "gnad-0180-international.txt").is_file()
    assert said == "2 articles" and "gnad-0180-international" not in str(rows)
    history, _ = app.respond(MORALES_Q, [])
    assert "gnad-0180-international" not in reply_text(history)
    # An id that is not there, or a record of a feed, is not removed: it says why.
    report, *_ = app.remove_article("gnad-0180-international", "", progress=lambda *a, **k: None)
    assert report.startswith("No article")


def test_an_article_of_a_moved_folder_is_removed_from_where_it_is_now(app, seeds_copy, tmp_path):
    """The articles folder moved (remounted, renamed): an unchanged article keeps the path it
    was indexed from, and the library still finds its file, by its id and bytes, to remove."""
    moved = tmp_path / "moved"
    shutil.move(seeds_copy, moved)
    (moved / "feed.jsonl").write_text(
        json.dumps(
            {
                "id": "council",
                "text": "Der Stadtrat von Kleinhausen beschloss am Montag "
                "einstimmig einen neuen Haushalt für die drei Grundschulen der Stadt.",
            }
        )
        + "\n",
        "utf-8",
    )
    config = replace(app.assistant.config, articles=[moved])
    moved_app = ChatApp(
        Assistant(ensure_index(config, app.assistant.model), app.assistant.model, config)
    )
    assert "000_b82a1ae29ca0ea28" in str(moved_app.library()[0])
    report, status, rows, said = moved_app.remove_article(
        "000_b82a1ae29ca0ea28", "", progress=lambda *a, **k: None
    )
    assert report.replace("\\_", "_").startswith("Removed 000_b82a1ae29ca0ea28.txt"), report
    assert not (moved / "000_b82a1ae29ca0ea28.txt").exists() and "2 articles" in status
    assert (tmp_path / "index" / "removed-articles" / "000_b82a1ae29ca0ea28.txt").is_file()
    report, *_ = moved_app.remove_article("council", "", progress=lambda *a, **k: None)
    assert report.startswith("council is a record of the feed feed.jsonl"), report
    assert (moved / "feed.jsonl").is_file()


def test_an_upload_with_nothing_to_index_is_not_left_in_the_folder(app, seeds_copy, tmp_path):
    blank = tmp_path / "only-spaces.txt"
    blank.write_text("   \n\n\t  \n", encoding="utf-8")  # not empty, but no text to index
    report, status = app.upload([str(blank)], progress=lambda *a, **k: None)
    assert "- only-spaces.txt: stored as only-spaces.txt" in report
    assert "- skipped only-spaces.txt: " in report and "; not kept in the articles folder" in report
    assert not (seeds_copy / "only-spaces.txt").exists() and "2 articles" in status
    report, _ = app.upload([str(blank)], progress=lambda *a, **k: None)  # again: no "already"
    assert "already in the articles" not in report
