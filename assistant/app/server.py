"""Serve the chat: load the model and the index once, build the page, watch the folders."""

from __future__ import annotations

import logging
import threading

import gradio as gr

from assistant import logs
from assistant.app.chat import CSS, ChatApp, log_error
from assistant.app.chat_llm import chat_app
from assistant.config import Config
from assistant.errors import AssistantError
from assistant.indexing.embedding import load_model
from assistant.qa.pipeline import Assistant, ensure_index

logger = logging.getLogger(__name__)


def create_app(config: Config) -> tuple[ChatApp, gr.Blocks]:
    """Load the model and the index (building it if missing or stale) and build the page."""
    model = load_model(config.model, config.threads)
    index = ensure_index(config, model, progress=None)
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
