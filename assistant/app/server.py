"""Serve the chat: load the model and the index once, build the page, watch the folders."""

from __future__ import annotations

import logging
import threading

import gradio as gr
import numpy as np

from assistant.app.chat import ChatApp
from assistant.app.chat_llm import chat_app
from assistant.app.jobs import UpdateJob
from assistant.app.loading import loading_page
from assistant.app.look import CSS, PAGE_JS
from assistant.app.watcher import Watcher
from assistant.config import Config
from assistant.errors import (
    AssistantError,
    IndexCorruptError,
    IndexMissingError,
    IndexOutdatedError,
)
from assistant.indexing.background import background_vectors
from assistant.indexing.embedding import dimension, engine_name, load_model, model_id
from assistant.indexing.store import Index, check_compatible, load, new_manifest
from assistant.qa.pipeline import Assistant, ensure_index

logger = logging.getLogger(__name__)


def create_app(config: Config, background: bool = False) -> tuple[ChatApp, gr.Blocks]:
    """Load the model and the index (building it if missing or stale) and build the page.

    background: the index is served at once (an empty one when there is none yet) and built or
    brought up to date in the background (a big new feed takes hours to embed).
    """
    model = load_model(config.model, config.threads, config.engine, config.device)
    if background:
        index = usable_index(config, model)
        if index is None:
            logger.warning("no usable index in %s yet: serving now, building it in the "
                           "background", config.index)  # fmt: skip
            index = empty_index(config, model)
    else:
        index = ensure_index(config, model, progress=None)
    app = chat_app(Assistant(index, model, config))
    if background:
        app.update_job = UpdateJob(app).start()
    return app, app.build()


def empty_index(config: Config, model) -> Index:
    """An index of no articles, in memory only: the page is served while the first build runs
    (a first feed of 50,000 articles takes hours)."""
    name, size = model_id(config.model), dimension(model)
    manifest = new_manifest(
        name, size, config.chunk_size, config.chunk_overlap, [], 0, engine=engine_name(model)
    )
    vectors = np.zeros((0, size), np.float32)
    return Index(manifest, {}, [], vectors, background_vectors(model, name))


def usable_index(config: Config, model) -> Index | None:
    """The index on disk if it loads and fits the model (another model stops with the
    command that rebuilds it); None if it is missing, corrupt or outdated."""
    try:
        index = load(config.index)
    except (IndexMissingError, IndexCorruptError, IndexOutdatedError):
        return None
    check_compatible(index.manifest, model_id(config.model), model, config.index)
    return index


def watch(app: ChatApp, stop: threading.Event) -> threading.Thread:
    """Update the index whenever files in the articles folders change, until stop is set; the
    status panel shows whether the watcher runs."""
    app.watcher = Watcher(app, stop)
    return app.watcher.start()


def serve(config: Config, watch_folders: bool = False) -> None:
    """Start the chat on config.host:config.port and block."""
    with loading_page(config):  # "Loading the model" on the port until the chat is ready
        app, page = prepared(config, watch_folders)
    launch(page, config)


def prepared(config: Config, watch_folders: bool = False) -> tuple[ChatApp, gr.Blocks]:
    """The app and its page, the index served at once and updated in the background."""
    app, page = create_app(config, background=True)  # the port opens before the update ends
    if watch_folders:
        watch(app, threading.Event())
    return app, page


def launch(page: gr.Blocks, config: Config, block: bool = True) -> None:
    """Serve the page with the exposure settings of config (host, port, login, upload limit)."""
    if config.host not in ("127.0.0.1", "localhost", "::1"):
        logger.warning(
            "serving on %s: the chat is reachable from other machines%s", config.host,
            "" if config.auth else "; set ASSISTANT_AUTH=user:password to require a login",
        )  # fmt: skip
    page.queue(default_concurrency_limit=4).launch(
        server_name=config.host, server_port=config.port, css=CSS, js=PAGE_JS, footer_links=["api"],
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
