"""`serve` answers at once and updates in the background; the update can be cancelled."""

import json

from browser import served

from assistant.app.server import create_app
from assistant.config import Config
from assistant.indexing import store
from assistant.qa.pipeline import ensure_index

KURSK_Q = "Wie viele nordkoreanische Soldaten sind bei Kursk?"


def _big_feed(folder, records: int = 300) -> None:
    lines = []
    for n in range(records):
        text = (
            f"Meldung {n}: Der Gemeinderat von Ort{n} beschloss am Dienstag den Bau von {n} "
            f"neuen Wohnungen. Bürgermeisterin Nummer {n} nannte die Kosten von {n * 7} "
            "Millionen Euro angemessen. Die Opposition kritisierte die Pläne scharf."
        )
        lines.append(json.dumps({"id": f"feed-{n:04d}", "text": text}) + "\n")
    (folder / "big.jsonl").write_text("".join(lines))


def _config(seeds_copy, tmp_path, model) -> Config:
    config = Config(articles=[seeds_copy], index=tmp_path / "index")
    ensure_index(config, model)  # the index of the seeds exists; then a big feed arrives
    _big_feed(seeds_copy)
    return config


def test_serve_answers_while_a_big_update_runs_in_the_background(seeds_copy, tmp_path, model):
    from gradio_client import Client

    app, page = create_app(_config(seeds_copy, tmp_path, model), background=True)
    job = app.update_job
    assert job.running()  # create_app did not wait for 300 new articles
    with served(page) as url:
        history, _ = Client(url, verbose=False).predict(KURSK_Q, [], api_name="/chat")
        assert "10.000" in str(history[-1]["content"])
        assert job.running() and "Background update:" in app.status()
    assert job.finished.wait(600), job.describe()
    assert job.state.startswith("done: Indexed 302 articles")
    assert "feed-0299" in app.assistant.current_index().articles


def test_a_background_update_can_be_cancelled(seeds_copy, tmp_path, model):
    config = _config(seeds_copy, tmp_path, model)
    before = store.current_version(config.index).name
    app, _ = create_app(config, background=True)
    job = app.update_job
    while job.running() and job.total == 0:  # wait until it embeds
        job.finished.wait(0.05)
    assert job.running()
    status = app.cancel_update()
    assert "Update cancelled while embedding" in job.state and "nothing was saved" in job.state
    assert "Update cancelled" in status
    assert store.current_version(config.index).name == before
    assert not list(config.index.glob(".staging-*"))
    assert len(app.assistant.current_index().articles) == 2


def test_an_upload_during_a_background_update_is_queued_after_it(seeds_copy, tmp_path, model):
    from pathlib import Path

    sample = Path(__file__).parent / "data" / "gnad-sample" / "gnad-0270-sport.txt"
    app, _ = create_app(_config(seeds_copy, tmp_path, model), background=True)
    job = app.update_job
    assert job.running()
    report, status = app.upload([str(sample)], progress=lambda *a, **k: None)
    assert "stored as gnad-0270-sport.txt" in report and "next in line (2 of 2)" in report, report
    assert "queued after it: one more update" in app.status()
    assert job.finished.wait(600), job.describe()
    assert job.state.startswith("done: Indexed 303 articles"), job.state
    assert "gnad-0270-sport" in app.assistant.current_index().articles


def test_serve_without_an_index_opens_at_once_and_builds_it_in_the_background(tmp_path, model):
    from conftest import SEEDS

    from assistant.indexing.locking import index_lock

    config = Config(articles=[SEEDS], index=tmp_path / "index")
    with index_lock(config.index):  # the build cannot finish while the test holds the lock
        app, _ = create_app(config, background=True)
        job = app.update_job
        assert job.running() and "**Articles:** none indexed yet" in app.status()
        assert "waiting for another update of the index: process" in app.status()
        history, _ = app.respond(KURSK_Q, [])
        assert "still being indexed" in history[-1]["content"]
    assert job.finished.wait(300), job.describe()
    assert job.state.startswith("done: Indexed 2 articles")
    history, _ = app.respond(KURSK_Q, [])
    assert "10.000" in history[-1]["content"]
    assert store.current_version(config.index)  # saved, not only in memory


def test_an_upload_can_be_cancelled_and_its_file_stays(seeds_copy, tmp_path, model):
    import threading

    config = Config(articles=[seeds_copy], index=tmp_path / "index")
    ensure_index(config, model)
    before = store.current_version(config.index).name
    app, _ = create_app(config)
    upload = tmp_path / "upload"
    upload.mkdir()
    _big_feed(upload)
    result = {}
    uploader = threading.Thread(target=lambda: result.update(report=app.upload(
        [str(upload / "big.jsonl")], progress=lambda *a, **k: None)[0]))  # fmt: skip
    uploader.start()
    while app.update_job is None or app.update_job.stage != "embedding":
        uploader.join(0.05)
        assert uploader.is_alive(), result
    app.cancel_update()
    uploader.join(60)
    assert "Update cancelled while embedding" in result["report"]
    assert "stay in the articles folder" in result["report"]
    assert (seeds_copy / "big.jsonl").exists()
    assert store.current_version(config.index).name == before
