"""Stream a chat completion from an OpenAI-compatible server (Ollama, llama.cpp, vLLM, OpenAI)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx

from assistant.config import LLM_CONNECT_TIMEOUT, LLM_TIMEOUT, Config
from assistant.errors import LLMError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LLMSettings:
    base_url: str  # ends before /chat/completions, e.g. http://localhost:11434/v1
    model: str
    api_key: str | None = field(default=None, repr=False)  # never printed or logged
    connect_timeout: float = LLM_CONNECT_TIMEOUT  # seconds
    timeout: float = LLM_TIMEOUT  # seconds without data, and for the whole answer

    def describe(self) -> str:
        """'LLM <model> at <base_url>', as the chat's status line shows it."""
        return f"LLM {self.model} at {self.base_url}"


def settings_from(config: Config) -> LLMSettings | None:
    """The LLM settings of config, or None when no LLM is configured (extractive answers)."""
    if not config.llm_base_url:
        return None
    if not config.llm_model:
        raise LLMError(
            f"An LLM at {config.llm_base_url} is configured but no model name. Set "
            "ASSISTANT_LLM_MODEL or --llm-model (e.g. llama3.1 for Ollama; llama.cpp's "
            "llama-server accepts any name)."
        )
    if not config.llm_base_url.startswith(("http://", "https://")):
        raise LLMError(
            f"The LLM base URL {config.llm_base_url!r} is not an http(s) URL; expected e.g. "
            "http://localhost:11434/v1 (Ollama) or http://localhost:8080/v1 (llama-server)."
        )
    return LLMSettings(
        base_url=config.llm_base_url.rstrip("/"),
        model=config.llm_model,
        api_key=config.llm_api_key,
        connect_timeout=config.llm_connect_timeout,
        timeout=config.llm_timeout,
    )


def stream_chat(settings: LLMSettings, messages: list[dict]) -> Iterator[str]:
    """The pieces of the completion's text as they arrive; LLMError when anything fails.

    POST {base_url}/chat/completions with stream: true; the server answers with server-sent
    events, `data: {json}` lines whose choices[0].delta.content holds the text, then
    `data: [DONE]`. A stream that ends without [DONE] was cut off and is an error too.
    """
    url = f"{settings.base_url}/chat/completions"
    headers = {"Accept": "text/event-stream"}
    if settings.api_key:
        headers["Authorization"] = f"Bearer {settings.api_key}"
    body = {"model": settings.model, "messages": messages, "stream": True, "temperature": 0}
    timeout = httpx.Timeout(settings.timeout, connect=settings.connect_timeout)
    deadline = time.monotonic() + settings.timeout
    try:
        with (
            httpx.Client(timeout=timeout) as client,
            client.stream("POST", url, json=body, headers=headers) as response,
        ):
            if response.status_code != 200:
                detail = response.read().decode("utf-8", "replace")[:200].strip()
                raise LLMError(f"HTTP {response.status_code} from {url}: {detail or 'no body'}")
            for line in response.iter_lines():
                if time.monotonic() > deadline:
                    raise LLMError(f"timeout: no complete answer after {settings.timeout:g} s")
                event = _parse_event(line)
                if event is _DONE:
                    return
                if event:
                    yield event
    except httpx.ConnectTimeout as err:
        raise LLMError(f"timeout: no connection after {settings.connect_timeout:g} s") from err
    except httpx.TimeoutException as err:
        raise LLMError(f"timeout: no data for {settings.timeout:g} s") from err
    except httpx.ConnectError as err:
        raise LLMError(f"cannot connect: {err}") from err
    except httpx.HTTPError as err:
        raise LLMError(f"{type(err).__name__}: {err}") from err
    raise LLMError("malformed output: the stream ended without data: [DONE]")


_DONE = object()


def _parse_event(line: str):
    """The text of one SSE line, '' for lines without text, _DONE at the end; else LLMError."""
    line = line.strip()
    if not line or line.startswith(":") or line.startswith(("event:", "id:", "retry:")):
        return ""  # blank separators, comments and other SSE fields carry no text
    if not line.startswith("data:"):
        raise LLMError(f"malformed output: expected server-sent events, got {line[:80]!r}")
    data = line[len("data:") :].strip()
    if data == "[DONE]":
        return _DONE
    try:
        chunk = json.loads(data)
        if "error" in chunk:
            raise LLMError(f"the server reported an error: {str(chunk['error'])[:200]}")
        choices = chunk["choices"]
        if not choices:
            return ""  # e.g. a final usage-only chunk
        return choices[0].get("delta", {}).get("content") or ""
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as err:
        raise LLMError(f"malformed output: {data[:80]!r} is not a completion chunk") from err
