"""The chat with LLM answers: the LLM's text streams in, then its checked answer and sources."""

from __future__ import annotations

from collections.abc import Iterator

from assistant.app.answerers import llm_turns
from assistant.app.chat import ChatApp
from assistant.llm import client as llm
from assistant.qa.pipeline import Assistant


def chat_app(assistant: Assistant) -> ChatApp:
    """An LLMChatApp when the config names an LLM, else the extractive ChatApp."""
    settings = llm.settings_from(assistant.config)
    return ChatApp(assistant) if settings is None else LLMChatApp(assistant, settings)


class LLMChatApp(ChatApp):
    """Answers written by an LLM from the extractive answer's passages, every quote checked."""

    def __init__(self, assistant: Assistant, settings: llm.LLMSettings) -> None:
        super().__init__(assistant)
        self.settings = settings

    def answerer(self) -> str:
        return self.settings.describe()

    def respond(  # a generator: Gradio streams each yielded (history, input box)
        self, question: str, history: list[dict] | None
    ) -> Iterator[tuple[list[dict], str]]:
        """Chat event: the draft as the LLM writes it, then the checked answer and sources."""
        yield from llm_turns(self, question, history, self.settings)
