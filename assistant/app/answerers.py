"""Who writes a chat answer: the quotes alone, or an LLM — the server's (`--llm-base-url`) or
one set in the page for the browser session, tested before it is used."""

from __future__ import annotations

import time
from collections.abc import Iterator

from assistant.app import render
from assistant.errors import LLMError
from assistant.llm import client as llm
from assistant.llm import writer

QUOTES_ONLY = {"quotes_only": True}  # a session's choice of no LLM, even if the server has one
TEST_TIMEOUT = 20.0  # seconds a test question may take before the endpoint is called unusable


def llm_turns(app, question: str, history: list[dict] | None, settings: llm.LLMSettings
              ) -> Iterator[tuple[list[dict], str]]:  # fmt: skip
    """Chat event of app (a ChatApp) with an LLM: the draft as it writes, then the checked
    answer with its sources; each yielded as (history, input box)."""
    turn = app.extractive_turn(question, history)
    if turn.answer is None:
        yield turn.failed
        return
    history, index, extractive = turn.history, turn.index, turn.answer
    user = {"role": "user", "content": render.escape_markdown(extractive.question)}
    for draft in writer.stream(extractive, index, settings):
        if draft.answer is None:
            reply = render.draft_markdown(draft.text, settings.describe())
        else:
            reply = render.message_markdown(draft.answer, index)
        yield history + [user, {"role": "assistant", "content": reply}], ""


def quotes_turn(app, question: str, history: list[dict] | None) -> tuple[list[dict], str]:
    """Chat event of app (a ChatApp) answered from the quotes alone: (history, input box)."""
    turn = app.extractive_turn(question, history)
    if turn.answer is None:
        return turn.failed
    return turn.history + [
        {"role": "user", "content": render.escape_markdown(turn.answer.question)},
        {"role": "assistant", "content": render.message_markdown(turn.answer, turn.index)},
    ], ""


def session_turns(app, question: str, history: list[dict] | None, session: dict | None
                  ) -> Iterator[tuple[list[dict], str]]:  # fmt: skip
    """Chat event: as set in the page for this session (an LLM, or QUOTES_ONLY), else as the
    app answers (the server's LLM, if it has one)."""
    if session == QUOTES_ONLY:
        yield quotes_turn(app, question, history)
        return
    if session:
        yield from llm_turns(app, question, history, llm.LLMSettings(**session))
        return
    result = app.respond(question, history)
    if isinstance(result, tuple):
        yield result
    else:
        yield from result


def tested(base_url: str, model: str, api_key: str) -> tuple[dict | None, str]:
    """Settings event: the endpoint asked one short question; (the session's settings, what
    happened). Not usable: (None, why), and the answers stay as they were."""
    base_url, model = (base_url or "").strip().rstrip("/"), (model or "").strip()
    if not base_url.startswith(("http://", "https://")):
        return None, "⚠️ The base URL must be http(s), e.g. http://localhost:11434/v1 (Ollama)."
    if not model:
        return None, "⚠️ Name the model (e.g. llama3.1 for Ollama)."
    settings = llm.LLMSettings(base_url, model, (api_key or "").strip() or None,
                               connect_timeout=5.0, timeout=TEST_TIMEOUT)  # fmt: skip
    began = time.monotonic()
    try:
        said = "".join(llm.stream_chat(settings, [{"role": "user", "content": "Reply: OK"}]))
    except LLMError as err:
        return None, f"⚠️ Not used: {render.escape_markdown(str(err))}"
    if not said.strip():
        return None, "⚠️ Not used: the endpoint answered with no text."
    seconds = time.monotonic() - began
    session = {"base_url": base_url, "model": model, "api_key": settings.api_key}
    return session, f"Tested ({seconds:.1f} s): {active(session, '')}"


def active(session: dict | None, app_answerer: str) -> str:
    """Who answers in this session, in words."""
    if session == QUOTES_ONLY:
        return "**Answers by:** the quotes alone (this session)"
    if session:
        where = render.escape_markdown(llm.LLMSettings(**session).describe())
        return f"**Answers by:** {where}, from the quotes; every quote checked (this session)"
    if app_answerer == "extractive":
        return "**Answers by:** the quotes alone (no LLM)"
    return f"**Answers by:** {render.escape_markdown(app_answerer)}"
