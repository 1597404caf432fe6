"""The Gradio chat: wire the pipeline to a browser page (no answering logic lives here)."""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path

# Gradio reports usage to its servers unless told not to; this tool works offline.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from assistant import logs  # noqa: E402
from assistant.app import render  # noqa: E402
from assistant.app.render import escape_markdown as escape  # noqa: E402
from assistant.app.uploads import UPLOAD_SUFFIXES, store_upload  # noqa: E402
from assistant.config import Config  # noqa: E402
from assistant.errors import AssistantError  # noqa: E402
from assistant.indexing.embedding import load_model  # noqa: E402
from assistant.qa.pipeline import Assistant, ensure_index  # noqa: E402
from assistant.text import dictionary  # noqa: E402

logger = logging.getLogger(__name__)

EXAMPLES = [
    "How many North Korean soldiers are reported near Kursk?",
    "Wie viele nordkoreanische Soldaten sind bei Kursk?",
    "What is the range of the Koksan howitzers?",
    "Wie viele Haubitzen hat Nordkorea nach Russland geliefert?",
    "What did ISW analyst George Barros say about the Russian advance?",
]
CSS = """
.source { border-left: 3px solid #f5b400; padding: 4px 10px; margin-bottom: 12px; }
.source-meta { font-size: 0.9em; margin-bottom: 4px; }
.source mark { background: #fff1a8; color: inherit; }
"""


class ChatApp:
    """Holds the Assistant and answers chat events."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def respond(self, question: str, history: list[dict] | None) -> tuple[list[dict], str, str]:
        """Chat event: (history with the new turn, sources panel HTML, cleared input box)."""
        history, index, answer, failed = self.extractive_turn(question, history)
        if failed is not None:
            return failed
        history += [
            {"role": "user", "content": render.escape_markdown(answer.question)},
            {"role": "assistant", "content": render.message_markdown(answer)},
        ]
        return history, render.sources_html(answer, index), ""

    def extractive_turn(self, question: str, history: list[dict] | None) -> tuple:
        """(history so far, index, extractive answer, None), or with answer None and, last,
        the event's result that shows the error as a chat message (the question kept)."""
        history = list(history or [])
        index = self.assistant.current_index()  # one index for the whole question
        earlier = [message_text(m) for m in history if m.get("role") == "user"]
        try:
            return history, index, self.assistant.ask(question, index=index, earlier=earlier), None
        except AssistantError as err:
            log_error("chat", err)
            failed = history + [
                {"role": "user", "content": render.escape_markdown(question or "")},
                {"role": "assistant", "content": f"⚠️ {render.escape_markdown(str(err))}"},
            ]
            return history, index, None, (failed, "", question or "")

    def status(self) -> str:
        status = render.status_markdown(self.assistant.current_index().manifest)
        return (
            f"{status}  \n**Answerer:** {escape(self.answerer())}  \n"
            f"**English words:** {escape(dictionary.status())}"
        )

    def answerer(self) -> str:
        """Who writes the answers: quotes alone here; an LLM in assistant/ui_llm.py."""
        return "extractive"

    def upload(self, files: list[str] | None, progress=gr.Progress()) -> tuple[str, str]:  # noqa: B008
        """Upload event: store the files in the articles folder, index them; (report, status)."""
        folder = self.assistant.config.articles[0]
        stored = [store_upload(Path(f), Path(f).name, folder) for f in files or []]
        for s in stored:
            logs.event(logger, "upload", name=s.name, stored_as=s.path, message=s.message)
        lines = [f"- {escape(s.name)}: {escape(s.message)}" for s in stored]
        if not any(s.path for s in stored):
            return "\n".join(lines) or "No files were uploaded.", self.status()
        return self.rescan(progress, lines)

    def rescan(self, progress=gr.Progress(), lines: list[str] | None = None) -> tuple[str, str]:  # noqa: B008
        """Re-scan event: index what changed in the articles folder; (report, status)."""
        lines = list(lines or [])

        def report_progress(done: int, total: int) -> None:
            progress(done / max(total, 1), desc=f"embedding {done}/{total} chunks")

        try:
            report = self.assistant.update(report_progress)
        except AssistantError as err:
            log_error("rescan", err)
            return "\n".join(lines + [f"⚠️ {escape(str(err))}"]), self.status()
        lines.append(escape(report.summary()))
        lines += [
            f"- skipped {escape(Path(s.path).name)}: {escape(s.reason)}" for s in report.skipped
        ]
        return "\n".join(lines), self.status()

    def build(self) -> gr.Blocks:
        """The page: chat and examples on the left, sources and index status on the right."""
        with gr.Blocks(title="News article assistant") as page:
            gr.Markdown("## News article assistant\nAnswers quote the articles verbatim, cited.")
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(label="Chat", height=640, elem_id="chat")
                    box = gr.Textbox(
                        label="Question",
                        placeholder="Ask about the articles, in English or German",
                        elem_id="question",
                    )
                    with gr.Row():
                        send = gr.Button("Ask", variant="primary", elem_id="ask")
                        clear = gr.Button("Clear chat")
                    gr.Examples(EXAMPLES, inputs=box, label="Examples")
                with gr.Column(scale=2):
                    sources = gr.HTML(
                        "<p>Sources of the latest answer appear here.</p>", elem_id="sources"
                    )
                    status = gr.Markdown(self.status, elem_id="status")
                    with gr.Accordion("Add articles", open=False):
                        files = gr.File(
                            label="Articles (.txt, .md, .html, .jsonl)",
                            file_count="multiple",
                            file_types=list(UPLOAD_SUFFIXES),
                            type="filepath",
                            elem_id="upload",
                        )
                        rescan = gr.Button("Re-scan articles folder", elem_id="rescan")
                        report = gr.Markdown(elem_id="update-report")
            outputs = [chat, sources, box]
            send.click(self.respond, [box, chat], outputs, api_name="chat")
            box.submit(self.respond, [box, chat], outputs, api_name=False)
            clear.click(lambda: ([], "", ""), None, outputs, api_name=False)
            files.upload(self.upload, [files], [report, status], api_name="upload")
            rescan.click(self.rescan, None, [report, status], api_name="rescan")
        return page


def log_error(action: str, err: Exception) -> None:
    """The structured record of an error shown to a user."""
    logs.event(logger, "error", logging.WARNING, action=action, kind=type(err).__name__,
               message=str(err))  # fmt: skip


def message_text(message: dict) -> str:
    """Plain text of a chat message (Gradio may hand content back as a list of parts)."""
    content = message.get("content")
    if isinstance(content, list):
        content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return re.sub(r"\\(.)", r"\1", str(content or ""))  # undo escape_markdown


def create_app(config: Config) -> tuple[ChatApp, gr.Blocks]:
    """Load the model and the index (building it if missing or stale) and build the page."""
    model = load_model(config.model)
    index = ensure_index(config, model, progress=None)
    from assistant.app.chat_llm import chat_app  # it extends ChatApp

    app = chat_app(Assistant(index, model, config))
    return app, app.build()


def watch(app: ChatApp, stop: threading.Event) -> threading.Thread:
    """Update the index whenever files in the articles folders change, until stop is set."""
    from watchfiles import watch as watch_changes

    def loop() -> None:
        folders = [str(p) for p in app.assistant.config.articles]
        for changes in watch_changes(*folders, stop_event=stop):
            logs.event(logger, "watch", changed_files=len(changes))
            try:
                app.assistant.update()  # logs its own "update" record
            except AssistantError as err:
                log_error("watch", err)

    thread = threading.Thread(target=loop, name="watch-articles", daemon=True)
    thread.start()
    return thread


def serve(config: Config, watch_folders: bool = False) -> None:
    """Start the chat on config.host:config.port and block."""
    app, page = create_app(config)
    if watch_folders:
        watch(app, threading.Event())
    launch(page, config)


def launch(page: gr.Blocks, config: Config, block: bool = True) -> None:
    """Serve the page with the exposure settings of config (host, port, login, upload limit)."""
    if config.host not in ("127.0.0.1", "localhost", "::1"):
        logger.warning(
            "serving on %s: the chat is reachable from other machines%s", config.host,
            "" if config.auth else "; set ASSISTANT_AUTH=user:password to require a login",
        )  # fmt: skip
    page.queue(default_concurrency_limit=4).launch(
        server_name=config.host, server_port=config.port, css=CSS, footer_links=["api"],
        max_file_size=config.max_upload_bytes, auth=login(config.auth),
        prevent_thread_lock=not block, quiet=not block,
    )  # fmt: skip


def login(auth: str | None) -> tuple[str, str] | None:
    """("user", "password") from ASSISTANT_AUTH=user:password, or None for no login."""
    if not auth:
        return None
    user, colon, password = auth.partition(":")
    if not (user and colon and password):
        raise AssistantError(
            "ASSISTANT_AUTH must be user:password with both parts non-empty; got "
            f"{'a value without a colon' if not colon else 'an empty user or password'}."
        )
    return user, password
