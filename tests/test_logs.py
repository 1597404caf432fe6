"""Structured logs: one JSON line per ingest, update, answer and error."""

import json
import logging

from assistant.app.cli import main
from assistant.config import DEFAULT_MODEL
from assistant.indexing import update as indexing
from assistant.logs import JsonFormatter


def records(caplog, name: str) -> list[dict]:
    return [
        r.fields
        for r in caplog.records
        if getattr(r, "fields", None) is not None and r.event == name
    ]


def test_each_answer_is_one_record(assistant, caplog):
    caplog.set_level(logging.INFO, logger="assistant")
    assistant.ask("How many North Korean soldiers are reported near Kursk?")
    assistant.ask("What is the capital of France?")
    answers = records(caplog, "answer")
    assert [a["abstained"] for a in answers] == [False, True]
    assert answers[0]["citations"] and answers[0]["ms"] > 0
    assert answers[0]["index_version"] == assistant.index.version


def test_update_logs_ingest_per_article_and_one_update(model, seeds_copy, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="assistant")
    (seeds_copy / "empty.txt").write_bytes(b"")
    index = tmp_path / "index"
    indexing.update([seeds_copy], index, model, DEFAULT_MODEL, 300, 0)
    assert len(records(caplog, "ingest")) == 2  # the two seeds; the empty file is skipped
    (skip,) = records(caplog, "skip")
    assert skip["path"].endswith("empty.txt") and "empty" in skip["reason"]
    (update,) = records(caplog, "update")
    assert update["added"] == 2 and update["embedded"] > 0 and update["version"]
    caplog.clear()
    indexing.update([seeds_copy], index, model, DEFAULT_MODEL, 300, 0)
    assert records(caplog, "ingest") == []
    assert records(caplog, "update")[0]["version"] is None  # nothing to do is logged too


def test_cli_errors_are_a_user_line_and_a_json_record(tmp_path, capsys):
    assert main(["-v", "ask", "anything", "--index", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("error: No index in")
    record = json.loads(next(line for line in err if line.startswith("{")))
    assert record["event"] == "error" and record["kind"] == "IndexMissingError"
    assert record["level"] == "info" and record["time"].endswith("Z")


def test_formatter_writes_one_json_object_per_line():
    record = logging.LogRecord(
        "assistant.x", logging.WARNING, __file__, 1, "plain %s", ("text",), None
    )
    assert json.loads(JsonFormatter().format(record))["message"] == "plain text"
    record = logging.LogRecord("assistant.x", logging.INFO, __file__, 1, "answer", (), None)
    record.event = "answer"
    record.fields = {"question": 'Wie viele "Soldaten"?\nZeile 2', "ms": 3.5}
    line = JsonFormatter().format(record)
    assert "\n" not in line and json.loads(line)["question"] == 'Wie viele "Soldaten"?\nZeile 2'


def test_bad_environment_values_are_errors_not_tracebacks(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("ASSISTANT_PORT", "eighty")
    assert main(["index", "status", "--index", str(tmp_path)]) == 2
    assert "ASSISTANT_PORT='eighty' is not valid" in capsys.readouterr().err
