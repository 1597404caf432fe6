"""The `assistant` command: parse arguments, call the pipeline, print results."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path

from assistant import logs
from assistant.config import DEVICES, ENGINES, Config, from_env, threads, with_flags
from assistant.errors import AssistantError

# Commands import what they need when they run: `--help`, `index status` and every error
# before a model is needed start without torch, sentence-transformers or Gradio.

logger = logging.getLogger("assistant")


def main(argv: list[str] | None = None) -> int:
    """Run one command; errors become one line on stderr and exit status 2."""
    args = parser().parse_args(argv)
    verbose = args.verbose or args.run is run_serve  # a server logs every event
    logs.configure(logging.INFO if verbose else logging.WARNING)
    try:
        config = with_flags(
            from_env(),
            articles=getattr(args, "articles", None),
            index=args.index,
            model=getattr(args, "model", None),
            host=getattr(args, "host", None),
            port=getattr(args, "port", None),
            threads=getattr(args, "threads", None),
            engine=getattr(args, "engine", None),
            ray=getattr(args, "ray", None),
            device=getattr(args, "device", None),
            **llm_flags(args),
        )
        return args.run(args, config)
    except AssistantError as err:
        print(f"error: {err}", file=sys.stderr)
        # The line above is the user's message; the record is for -v and for servers.
        logs.event(logger, "error", kind=type(err).__name__, message=str(err))
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    commands = p.add_subparsers(dest="command", required=True)

    index_cmd = commands.add_parser("index", help="build or inspect the index")
    index_sub = index_cmd.add_subparsers(dest="index_command", required=True)
    build = index_sub.add_parser("build", help="build the index from scratch (embeds everything)")
    update = index_sub.add_parser("update", help="add new and changed articles, drop deleted ones")
    update.add_argument("--rebuild", action="store_true", help="re-embed everything (model change)")
    for sub in (build, update):
        sub.add_argument("--articles", action="append", metavar="DIR", help="repeatable")
        sub.add_argument(
            "--prune",
            action="store_true",
            help="delete the indexed articles of a folder that is empty now (refused otherwise)",
        )
        sub.add_argument("--model", metavar="NAME_OR_PATH", help="sentence-transformers model")
        sub.add_argument(
            "--ray", metavar="ADDRESS",
            help="embed on a Ray cluster: auto, ray://HOST:10001 or local (assistant[ray])",
        )  # fmt: skip
        sub.set_defaults(run=run_update)
    status = index_sub.add_parser("status", help="what is indexed and what is pending")
    status.add_argument("--articles", action="append", metavar="DIR")
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=run_status)
    compact = index_sub.add_parser(
        "compact", help="fold the index's segments into one, dropping deleted articles' rows"
    )
    compact.set_defaults(run=run_compact)

    ask = commands.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    ask.add_argument("--model", metavar="NAME_OR_PATH")
    ask.set_defaults(run=run_ask)

    evaluate = commands.add_parser("eval", help="measure quality on a JSONL question set")
    evaluate.add_argument("--questions", required=True, metavar="FILE.jsonl")
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    evaluate.add_argument(
        "--out", metavar="RESULTS.jsonl", help="write one ask --json per question"
    )
    evaluate.add_argument("--model", metavar="NAME_OR_PATH")
    evaluate.set_defaults(run=run_eval)

    serve = commands.add_parser("serve", help="start the browser chat")
    serve.add_argument("--articles", action="append", metavar="DIR")
    serve.add_argument("--model", metavar="NAME_OR_PATH")
    serve.add_argument("--host", help="default 127.0.0.1 (this machine only)")
    serve.add_argument("--port", type=int, help="default 7860")
    serve.add_argument("--watch", action="store_true", help="update when article files change")
    serve.set_defaults(run=run_serve)

    for sub in (build, update, status, compact, ask, evaluate, serve):
        sub.add_argument("--index", metavar="DIR", help="default index/")
    for sub in (build, update, ask, evaluate, serve):
        sub.add_argument(
            "--threads", type=thread_count, metavar="N",
            help="most threads per embedding call; default: every core this process may use",
        )  # fmt: skip
        sub.add_argument(
            "--engine", choices=ENGINES,
            help="what runs the bundled model (docs/models.md); default: torch on a GPU, else onnx",
        )  # fmt: skip
        sub.add_argument(
            "--device", choices=DEVICES,
            help="where torch runs the model; default: cuda when torch sees a GPU, else cpu",
        )  # fmt: skip
    for sub in (ask, evaluate, serve):
        add_llm_arguments(sub)
    p.set_defaults(index=None)
    return p


def thread_count(value: str) -> int:
    """--threads N, checked as ASSISTANT_THREADS is."""
    try:
        return threads(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{value!r} is not valid: {err}") from err


def run_update(args: argparse.Namespace, config: Config) -> int:
    from tqdm import tqdm

    from assistant.indexing.embedding import load_model
    from assistant.qa.pipeline import update_index

    rebuild = args.index_command == "build" or args.rebuild
    with tqdm(total=None, unit="article", desc="reading", file=sys.stderr, disable=None) as bar:
        shown = ["reading"]

        def progress(stage: str, done: int, total: int) -> None:
            if stage != shown[0]:  # a new stage: reading articles, embedding chunks, saving
                shown[0] = stage
                bar.set_description(stage, refresh=False)
                bar.unit = "chunk" if stage == "embedding" else "article"
                bar.reset(total=total or None)
            bar.update(done - bar.n)

        model = load_model(config.model, config.threads, config.engine, config.device)
        report = update_index(config, model, progress, rebuild=rebuild, prune=args.prune)
    print(report.summary() + f" Index: {config.index}/")
    for skipped in report.skipped:
        print(f"skipped {skipped.path}: {skipped.reason}", file=sys.stderr)
    return 0


def run_compact(args: argparse.Namespace, config: Config) -> int:
    from assistant.indexing.compaction import compact

    print(compact(config.index).summary() + f" Index: {config.index}/")
    return 0


def run_status(args: argparse.Namespace, config: Config) -> int:
    from assistant.errors import IndexMissingError
    from assistant.indexing import store
    from assistant.indexing.changes import pending_changes
    from assistant.indexing.locking import running_update

    running = running_update(config.index)
    try:
        manifest, articles = store.load_records(config.index)  # no vectors: status stays light
    except IndexMissingError:
        if running is None:
            raise
        print(f"no index yet; the first build is running: {running.describe()}")
        return 0
    pending = pending_changes(config.articles, manifest, articles)
    status = {
        "index": str(config.index),
        "articles": len(manifest.articles),
        "chunks": manifest.chunks,
        "model": manifest.model,
        "engine": manifest.engine,
        "dimension": manifest.dimension,
        "built_at": manifest.built_at,
        "pending": {"new": pending.added, "changed": pending.changed, "deleted": pending.deleted},
        "running": running.describe() if running else None,
        "segments": [
            {
                "name": s.name,
                "rows": s.chunks,
                "deleted_articles": len(s.deleted),
                "search": s.search,
            }
            for s in manifest.segments
        ],  # fmt: skip
    }
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    engine = f" ({manifest.engine} engine)" if manifest.engine else ""
    print(f"{status['articles']} articles, {status['chunks']} chunks, model {status['model']}"
          + engine)  # fmt: skip
    print(f"built at {status['built_at']}")
    parts = [f"{s.chunks:,} rows, {'searched exactly' if s.search == 'flat' else s.search}"
             + (f", {len(s.deleted)} articles deleted" if s.deleted else "")
             for s in manifest.segments]  # fmt: skip
    print(f"{len(parts)} segment{'s' if len(parts) != 1 else ''}: " + "; ".join(parts))
    waiting = ", ".join(f"{len(v)} {k}" for k, v in status["pending"].items() if v)
    print(f"pending on disk: {waiting}" if waiting else "up to date with the articles folder")
    if running:
        print(f"an update is running: {running.describe()}")
    return 0


def add_llm_arguments(sub: argparse.ArgumentParser) -> None:
    """--llm-* flags: answers written by an OpenAI-compatible LLM, every quote verified."""
    group = sub.add_argument_group("LLM answers (optional; default: extractive)")
    group.add_argument("--llm-base-url", metavar="URL", help="e.g. http://localhost:11434/v1")
    group.add_argument("--llm-model", metavar="NAME", help="e.g. llama3.1")
    group.add_argument("--llm-api-key", metavar="KEY", help="better: ASSISTANT_LLM_API_KEY")
    group.add_argument("--llm-timeout", type=float, metavar="S", help="read and total; 60")
    group.add_argument("--llm-connect-timeout", type=float, metavar="S", help="default 5")


def llm_flags(args: argparse.Namespace) -> dict:
    names = ["llm_base_url", "llm_model", "llm_api_key", "llm_timeout", "llm_connect_timeout"]
    return {name: getattr(args, name, None) for name in names}


def run_ask(args: argparse.Namespace, config: Config) -> int:
    from assistant.llm.client import settings_from
    from assistant.qa.pipeline import Assistant

    settings = settings_from(config)  # a bad LLM setting stops before the model loads
    answer = ask(Assistant.open(config), args.question, settings)
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False, indent=2))
    else:
        print(answer.answer)
    if answer.notice:
        print(answer.notice, file=sys.stderr)
    return 0


def ask(assistant, question: str, settings=None):
    """The assistant's Answer, written by the LLM of settings when one is configured."""
    from assistant.llm import writer

    index = assistant.current_index()
    extractive = assistant.ask(question, index=index)
    return extractive if settings is None else writer.write(extractive, index, settings)


def answer_json(answer) -> dict:
    """The `ask --json` contract of DESIGN.md."""
    record = asdict(answer)
    record["retrieved"] = [
        {"article_id": r["article_id"], "score": round(r["score"], 4)} for r in record["retrieved"]
    ]
    return record


def run_eval(args: argparse.Namespace, config: Config) -> int:
    from tqdm import tqdm

    from assistant.app import evaluation
    from assistant.llm.client import settings_from
    from assistant.qa.pipeline import Assistant

    settings = settings_from(config)  # a bad LLM setting stops before the model loads
    questions = evaluation.load_questions(Path(args.questions))
    assistant = Assistant.open(config)  # one model load for the whole run
    progress = tqdm(questions, desc="questions", unit="q", file=sys.stderr, disable=None)
    outcomes = evaluation.run(lambda question: ask(assistant, question, settings), progress)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            for outcome in outcomes:
                record = evaluation.record(outcome, answer_json)
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    summary = evaluation.summarise(outcomes)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(format_summary(summary))
    return 0


def format_summary(summary: dict) -> str:
    """A small table: one row per language and one for all questions."""
    keys = ["questions", "recall@1", "recall@5", "mrr", "answer_in_first_quote",
            "answer_in_quotes", "false_abstain", "abstain_correct", "p50_ms", "p95_ms"]  # fmt: skip
    rows = [("all", summary)] + list(summary.get("by_lang", {}).items())
    lines = ["        " + " ".join(f"{k:>12.12}" for k in keys)]
    for name, metrics in rows:
        cells = ["-" if metrics[k] is None else f"{metrics[k]:g}" for k in keys]
        lines.append(f"{name:<8}" + " ".join(f"{c:>12}" for c in cells))
    return "\n".join(lines)


def run_serve(args: argparse.Namespace, config: Config) -> int:
    from assistant.app.loading import loading_page

    with loading_page(config):  # on the port within a second, before the heavy imports
        from assistant.app.server import launch, prepared

        _, page = prepared(config, watch_folders=args.watch)
    launch(page, config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
