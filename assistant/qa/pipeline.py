"""The question-answering flow: embed the question, search, select evidence, compose an answer."""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import replace

import numpy as np
from sentence_transformers import SentenceTransformer

from assistant import logs
from assistant.config import Config
from assistant.errors import (
    AssistantError,
    IndexCorruptError,
    IndexMissingError,
    IndexOutdatedError,
    IndexWriteError,
    QuestionError,
)
from assistant.indexing import store
from assistant.indexing import update as indexing
from assistant.indexing.embedding import (
    dimension,
    embed_passages,
    embed_query,
    load_model,
    model_id,
)
from assistant.qa import about, abstention
from assistant.qa import evidence as evidence_mod
from assistant.qa.answer import Answer, choose, compose
from assistant.qa.conversation import context_for, discount_earlier, pulled_by_follow_up
from assistant.qa.retrieval import rank_articles, search
from assistant.text import dictionary

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+")


class Assistant:
    """A loaded model and index that answer questions."""

    def __init__(self, index: store.Index, model: SentenceTransformer, config: Config) -> None:
        store.check_compatible(
            index.manifest, model_id(config.model), dimension(model), config.index
        )
        self.index = index
        self.model = model
        self.config = config
        self._lock = threading.Lock()
        dictionary.load()  # now, not at the first English question (0.2 s; 7 s uncached)

    @classmethod
    def open(cls, config: Config, model: SentenceTransformer | None = None) -> Assistant:
        """Load the model (unless given) and the index of config.index."""
        model = model if model is not None else load_model(config.model)
        return cls(store.load(config.index), model, config)

    def ask(
        self, question: str, index: store.Index | None = None, earlier: list[str] | None = None
    ) -> Answer:
        """Answer one question from the newest index (or the one given), timed in milliseconds.

        earlier: the conversation's previous questions; a follow-up is searched with them.
        """
        question = check_question(question)
        if index is None:
            index = self.current_index()  # one index for the whole question
        t0 = time.perf_counter()
        query = embed_query(self.model, question)
        search_text, search_query, context_query = question, query, None
        if context := context_for(question, usable(earlier or [])):
            # A follow-up is searched as the conversation: the earlier turns it leans on, then
            # itself, as one text ("Wie viele Haubitzen …? Und wie weit reichen die?").
            search_text = f"{context} {question}"
            search_query = embed_query(self.model, search_text)
            context_query = embed_query(self.model, context)
        t1 = time.perf_counter()
        hits = search(
            index, search_query, self.config.top_k, search_text, self.config.lexical_weight
        )
        t2 = time.perf_counter()
        wanted = evidence_mod.asked(question)
        ranked = evidence_mod.select(index, wanted, hits)
        best = ranked[0].article_id if ranked else None
        signals = abstention.signals(index, search_query, question, best)
        threshold = signals.threshold(self.config.min_margin)

        def same_count(e: evidence_mod.Evidence) -> bool:
            return evidence_mod.counts_asked(index.articles[e.article_id].text, e, wanted)

        if context_query is not None:
            ranked = discount_earlier(index, ranked, search_query, context_query)
        chosen = choose(ranked, threshold, same_count=same_count)
        if context_query is not None:
            chosen = pulled_by_follow_up(index, chosen, search_query, context_query)
        chosen = self._best_keys(index, chosen, wanted, query)
        if chosen and (topic := about.topic(question)):
            # "When was the report published?": the best article's own date line answers.
            best = rank_articles(hits)[0].article_id
            found = about.evidence(index, best, topic, chosen[0].score)
            chosen = [found] if found else chosen
        newest_first = wanted.kind is not None and sum(e.key_start is not None for e in chosen) > 1
        answer = compose(question, index, ranked, chosen, rank_articles(hits), newest_first)
        t3 = time.perf_counter()
        timings = {
            "embed": (t1 - t0) * 1000,
            "search": (t2 - t1) * 1000,
            "answer": (t3 - t2) * 1000,
        }
        logs.event(
            logger, "answer", question=question[:200], ms=round((t3 - t0) * 1000, 1),
            abstained=answer.abstained, citations=[c.article_id for c in answer.citations],
            follow_up=bool(context), index_version=index.version,
        )  # fmt: skip
        return replace(
            answer,
            timings_ms={k: round(v, 2) for k, v in timings.items()},
            follow_up_of=context,
        )

    def update(self, progress: indexing.Progress | None = None) -> indexing.UpdateReport:
        """Index what changed in the articles folders, and answer from it from now on."""
        report = update_index(self.config, self.model, progress)
        self.refresh()
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
                    index.manifest, model_id(self.config.model), dimension(self.model),
                    self.config.index,
                )  # fmt: skip
            except AssistantError as err:
                logger.warning("keeping the loaded index, the new one fails: %s", err)
                return False
            self.index = index  # one assignment: questions in flight keep the old object
            logger.info("switched to index version %s", index.version)
            return True

    def _best_keys(
        self, index: store.Index, chosen: list, wanted: evidence_mod.Asked, query: np.ndarray
    ) -> list:
        """Where a quote holds several numbers or dates, keep the one nearest the question."""
        if wanted.kind is None:
            return chosen
        options = []  # (quote number, start, end, text to compare) of every candidate key span
        for i, e in enumerate(chosen):
            quote = index.articles[e.article_id].text[e.start : e.end]
            spans = evidence_mod.key_candidates(quote, wanted)
            if len(spans) > 1:
                options += [
                    (i, e.start + a, e.start + b, evidence_mod.key_context(quote, a, b))
                    for a, b in spans
                ]
        if not options:
            return chosen
        texts = [text for *_, text in options]
        similarity = embed_passages(self.model, texts) @ query
        result = list(chosen)
        for i in {o[0] for o in options}:
            best = max((j for j, o in enumerate(options) if o[0] == i), key=lambda j: similarity[j])
            result[i] = replace(result[i], key_start=options[best][1], key_end=options[best][2])
        return result


def usable(questions: list[str]) -> list[str]:
    """The earlier questions a follow-up may lean on: not the empty or over-long ones that were
    refused (the chat keeps them in its history, with the error)."""
    result = []
    for question in questions:
        try:
            result.append(check_question(question))
        except QuestionError:
            continue
    return result


def check_question(question: str) -> str:
    """The question without control characters and outer spaces; QuestionError if unusable."""
    question = _CONTROL.sub(" ", question or "").strip()
    if not question:
        raise QuestionError("The question is empty. Type a question about the articles.")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question has {len(question):,} characters; the limit is "
            f"{MAX_QUESTION_CHARS:,}. Ask a shorter question."
        )
    return question


def ensure_index(
    config: Config, model: SentenceTransformer, progress: indexing.Progress | None = None
) -> store.Index:
    """Load config.index after bringing it up to date with config.articles (built if missing)."""
    try:
        manifest = store.load(config.index).manifest
        # Another model is never swapped in silently: that stops with the rebuild command.
        store.check_compatible(manifest, model_id(config.model), dimension(model), config.index)
    except (IndexMissingError, IndexCorruptError, IndexOutdatedError) as err:
        logger.warning("building the index from %s: %s", [str(p) for p in config.articles], err)
    try:
        update_index(config, model, progress)
    except IndexWriteError as err:
        try:
            index = store.load(config.index)  # a read-only index still answers
        except AssistantError:
            raise err from None
        logs.event(logger, "error", logging.WARNING, action="update", kind=type(err).__name__,
                   message=f"{err} Answering from the existing index.")  # fmt: skip
        return index
    return store.load(config.index)


def update_index(
    config: Config,
    model: SentenceTransformer,
    progress: indexing.Progress | None = None,
    rebuild: bool = False,
) -> indexing.UpdateReport:
    """Run an index update with the settings of config."""
    return indexing.update(
        config.articles, config.index, model, model_id(config.model),
        config.chunk_size, config.chunk_overlap, rebuild=rebuild, progress=progress,
    )  # fmt: skip
