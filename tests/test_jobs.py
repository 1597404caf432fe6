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
        history, _, _ = Client(url, verbose=False).predict(KURSK_Q, [], api_name="/chat")
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
    assert "stored as gnad-0270-sport.txt" in report and "Queued" in report, report
    assert job.finished.wait(600), job.describe()
    assert job.state.startswith("done: Indexed 303 articles"), job.state
    assert "gnad-0270-sport" in app.assistant.current_index().articles
