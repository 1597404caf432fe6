"""A second updater waits while the first makes progress and says what it waits for; the
update's steps (reading, embedding, saving) reach the caller, the lock file and `index status`."""

import json
import threading
import time

import pytest
from conftest import SEEDS

from assistant.app.cli import main
from assistant.config import DEFAULT_MODEL
from assistant.errors import IndexBusyError
from assistant.indexing import update as indexing
from assistant.indexing.locking import index_lock, running_update
from assistant.ingest.articles import load_folders


def hold(folder, seconds: float, reports: int, started: threading.Event) -> threading.Thread:
    """A thread holding the index lock for seconds, reporting embedding progress `reports`
    times spread over that time (0: it reports once, at the start, then nothing)."""

    def run() -> None:
        with index_lock(folder) as lock:
            lock.report("embedding", 3, 10, force=True)
            started.set()
            for i in range(reports):
                time.sleep(seconds / max(reports, 1))
                lock.report("embedding", 4 + i, 10 + reports, force=True)
            if not reports:
                time.sleep(seconds)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    return thread


def test_a_second_updater_waits_while_the_first_makes_progress(tmp_path):
    started = threading.Event()
    holder = hold(tmp_path, seconds=4.0, reports=8, started=started)
    began = time.monotonic()
    with index_lock(tmp_path, wait_seconds=1.5):  # shorter than the holder's whole run
        waited = time.monotonic() - began
    holder.join(10)
    assert waited > 3.0  # it waited past wait_seconds, because the holder kept reporting


def test_a_stalled_updater_is_named_with_its_last_step(tmp_path, caplog):
    started = threading.Event()
    holder = hold(tmp_path, seconds=3.0, reports=0, started=started)
    with pytest.raises(IndexBusyError) as refused:
        with index_lock(tmp_path, wait_seconds=1.0):
            pass
    holder.join(10)
    message = str(refused.value)
    assert "embedding 3 of 10 chunks" in message and "no progress for 1 s" in message
    assert "waiting for another update" in caplog.text  # said at once, not only at the end


def test_status_shows_a_running_update(tmp_path, capsys):
    index = tmp_path / "index"
    assert main(["index", "build", "--articles", str(SEEDS), "--index", str(index)]) == 0
    capsys.readouterr()
    assert running_update(index) is None
    with index_lock(index) as lock:
        lock.report("embedding", 288, 3000, force=True)
        assert main(["index", "status", "--articles", str(SEEDS), "--index", str(index)]) == 0
        out = capsys.readouterr().out
        assert "an update is running: process" in out and "embedding 288 of 3,000 chunks" in out
    assert main(["index", "status", "--articles", str(SEEDS), "--index", str(index)]) == 0
    assert "an update is running" not in capsys.readouterr().out


def test_status_before_the_first_build_says_it_runs(tmp_path, capsys):
    index = tmp_path / "index"
    with index_lock(index) as lock:
        lock.report("reading", 12_000, 0, force=True)
        assert main(["index", "status", "--articles", str(SEEDS), "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert "no index yet; the first build is running" in out
    assert "12,000 articles read" in out


def test_reading_a_feed_reports_along_its_records(tmp_path):
    records = [{"id": f"r{i}", "title": f"Meldung {i}", "text": f"Bericht Nummer {i} aus Kiel."}
               for i in range(1_234)]  # fmt: skip
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    (tmp_path / "one.txt").write_text("Ein Artikel.\n\nMit Text über Kiel.")
    counts: list[int] = []
    collection = load_folders([tmp_path], read=counts.append)
    assert len(collection.articles) == 1_235
    assert counts[:2] == [500, 1000] and counts[-1] == 1_235  # along the feed, then the file
    assert counts == sorted(counts)


def test_an_update_reports_its_steps_in_order(tmp_path, model):
    steps: list[tuple[str, int, int]] = []
    index = tmp_path / "index"
    indexing.update([SEEDS], index, model, DEFAULT_MODEL, 300, 0,
                    progress=lambda *step: steps.append(step))  # fmt: skip
    stages = [stage for stage, _, _ in steps]
    assert stages[0] == "reading" and stages[-1] == "saving"
    assert stages.index("embedding") < stages.index("saving")
    reading = [done for stage, done, _ in steps if stage == "reading"]
    assert reading[-1] == 2  # the two seed articles
    embedded = [(done, total) for stage, done, total in steps if stage == "embedding"]
    assert embedded[0][0] == 0 and embedded[-1][0] == embedded[-1][1] > 0
    assert running_update(index) is None  # released
