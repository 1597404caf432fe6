"""The folder watcher: never triggered by the index's own files, never stopped by an error."""

import logging
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from assistant.app.chat import ChatApp
from assistant.app.server import watch
from assistant.config import Config
from assistant.qa.pipeline import Assistant, ensure_index

SAMPLE = Path(__file__).parent / "data" / "gnad-sample"


def _app(articles: Path, index: Path, model) -> ChatApp:
    config = Config(articles=[articles], index=index)
    return ChatApp(Assistant(ensure_index(config, model), model, config))


def _wait_for(app: ChatApp, article_id: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while article_id not in app.assistant.current_index().articles:
        assert time.monotonic() < deadline, f"the watcher did not index {article_id}"
        time.sleep(0.3)


def _updates(caplog) -> int:
    return len([r for r in caplog.records if getattr(r, "event", None) == "update"])


@pytest.mark.parametrize("where", ["inside", "same"])
def test_an_index_in_the_articles_folder_does_not_retrigger_the_watcher(
    seeds_copy, model, caplog, where
):
    index = seeds_copy / "index" if where == "inside" else seeds_copy
    app = _app(seeds_copy, index, model)
    caplog.set_level(logging.INFO, logger="assistant")
    stop = threading.Event()
    thread = watch(app, stop)
    try:
        time.sleep(0.5)
        shutil.copy(SAMPLE / "gnad-0900-web.txt", seeds_copy)
        _wait_for(app, "gnad-0900-web")
        after_first = _updates(caplog)
        time.sleep(4)  # an update that retriggered itself would run again within this time
        assert _updates(caplog) == after_first, "the index's own writes triggered updates"
    finally:
        stop.set()
        thread.join(timeout=10)
    assert after_first <= 2
    assert any("inside the articles folder" in r.getMessage() for r in caplog.records)


def test_a_name_the_watcher_cannot_decode_does_not_stop_it(seeds_copy, tmp_path, model):
    app = _app(seeds_copy, tmp_path / "index", model)
    stop = threading.Event()
    thread = watch(app, stop)
    try:
        time.sleep(0.5)
        with open(os.fsencode(seeds_copy) + b"/caf\xe9.txt", "wb") as handle:
            handle.write((SAMPLE / "gnad-0540-international.txt").read_bytes())
        _wait_for(app, "caf\\xe9")  # indexed by the update after the watcher's restart
        assert "restarts after errors: 1" in app.status()
        shutil.copy(SAMPLE / "gnad-0900-web.txt", seeds_copy)
        _wait_for(app, "gnad-0900-web")  # still watching
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive() and "stopped" in app.status()
