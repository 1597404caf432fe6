"""The assistant: a loaded model and index; a question is analysed, searched and answered."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import replace

from assistant import logs
from assistant.config import Config
from assistant.errors import (
    AssistantError,
    IndexCorruptError,
    IndexMissingError,
    IndexOutdatedError,
    IndexWriteError,
)
from assistant.indexing import store
from assistant.indexing.embedding import load_model, model_id, query_tokens
from assistant.indexing.update import Progress, UpdateReport, update
from assistant.qa import selection
from assistant.qa.answer import Answer
from assistant.qa.question import analyse, check_question
from assistant.qa.retrieval import retrieve
from assistant.text import dictionary, gloss

logger = logging.getLogger(__name__)


class Assistant:
    """A loaded model and index that answer questions."""

    def __init__(self, index: store.Index, model, config: Config) -> None:
        store.check_compatible(index.manifest, model_id(config.model), model, config.index)
        self.index = index
        self.model = model
        self.config = config
        self._lock = threading.Lock()
        dictionary.load()  # now, not at the first English question (0.2 s; 7 s uncached)
        gloss.table()  # the German → English glosses of English answers, likewise

    @classmethod
    def open(cls, config: Config, model=None) -> Assistant:
        """Load the index of config.index, then the model (unless given): a missing index
        stops before the model loads."""
        index = store.load(config.index)
        if model is None:
            model = load_model(config.model, config.threads, config.engine, config.device)
        return cls(index, model, config)

    def ask(
        self, question: str, index: store.Index | None = None, earlier: Sequence[str] = ()
    ) -> Answer:
        """Answer one question from the newest index (or the one given), timed in milliseconds.

        earlier: the conversation's previous questions; a follow-up is searched with them.
        """
        # A refused question costs no embedding; counting its tokens costs microseconds.
        check_question(question, lambda text: query_tokens(self.model, text))
        if index is None:
            index = self.current_index()  # one index for the whole question
        t0 = time.perf_counter()
        query = analyse(question, self.model, earlier)
        t1 = time.perf_counter()
        hits = retrieve(index, query, self.config.top_k, self.config.lexical_weight)
        t2 = time.perf_counter()
        answer = selection.answer(index, query, hits, self.model, self.config.min_margin)
        t3 = time.perf_counter()
        timings = {"embed": t1 - t0, "search": t2 - t1, "answer": t3 - t2}
        logs.event(
            logger, "answer", question=query.text[:200], ms=round((t3 - t0) * 1000, 1),
            abstained=answer.abstained, citations=[c.article_id for c in answer.citations],
            follow_up=query.context is not None, index_version=index.version,
        )  # fmt: skip
        return replace(
            answer,
            timings_ms={k: round(v * 1000, 2) for k, v in timings.items()},
            follow_up_of=query.context,
        )

    def update(self, progress: Progress | None = None) -> UpdateReport:
        """Index what changed in the articles folders, and answer from it from now on."""
        report = update_index(self.config, self.model, progress, loaded=self.index)
        if report.index is not None and report.index.version != self.index.version:
            with self._lock:
                self.index = report.index  # questions in flight keep the old object
        return report

    def current_index(self) -> store.Index:
        """The newest index version on disk, loaded once and then shared."""
        self.refresh()
        return self.index

    def refresh(self) -> bool:
        """Swap in a newer index version written by any updater (CLI, upload, watcher)."""
        try:
            current = store.current_version(self.config.index).name
        except AssistantError as err:
            logger.warning("keeping the loaded index: %s", err)
            return False
        if current == self.index.version:
            return False
        with self._lock:
            if current == self.index.version:
                return False
            try:
                index = store.load(self.config.index)
                store.check_compatible(
                    index.manifest, model_id(self.config.model), self.model,
                    self.config.index,
                )  # fmt: skip
            except AssistantError as err:
                logger.warning("keeping the loaded index, the new one fails: %s", err)
                return False
            self.index = index  # one assignment: questions in flight keep the old object
            logger.info("switched to index version %s", index.version)
            return True


def ensure_index(config: Config, model, progress: Progress | None = None) -> store.Index:
    """config.index brought up to date with config.articles (built if missing), loaded once."""
    loaded = None
    try:
        loaded = store.load(config.index)
        # Another model is never swapped in silently: that stops with the rebuild command.
        store.check_compatible(loaded.manifest, model_id(config.model), model, config.index)
    except (IndexMissingError, IndexCorruptError, IndexOutdatedError) as err:
        logger.warning("building the index from %s: %s", [str(p) for p in config.articles], err)
        loaded = None
    try:
        report = update_index(config, model, progress, loaded=loaded)
    except IndexWriteError as err:
        if loaded is None:
            try:
                loaded = store.load(config.index)  # a read-only index still answers
            except AssistantError:
                raise err from None
        logs.event(logger, "error", logging.WARNING, action="update", kind=type(err).__name__,
                   message=f"{err} Answering from the existing index.")  # fmt: skip
        return loaded
    return report.index if report.index is not None else store.load(config.index)


def update_index(
    config: Config,
    model,
    progress: Progress | None = None,
    rebuild: bool = False,
    loaded: store.Index | None = None,
    prune: bool = False,
) -> UpdateReport:
    """Run an index update with the settings of config (loaded: the index in memory; prune:
    allow deleting every article of a folder that has none now)."""
    return update(
        config.articles, config.index, model, model_id(config.model),
        config.chunk_size, config.chunk_overlap, rebuild=rebuild, progress=progress,
        loaded=loaded, prune=prune, ray=config.ray,
    )  # fmt: skip
