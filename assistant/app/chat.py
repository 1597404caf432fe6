"""The Gradio chat: wire the pipeline to a browser page (no answering logic lives here)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from assistant import logs
from assistant.app import answerers, library, page, render
from assistant.app.jobs import UpdateJob
from assistant.app.render import escape_markdown as escape
from assistant.app.uploads import store_upload
from assistant.errors import AssistantError, IndexBuildingError
from assistant.indexing.store import Index
from assistant.ingest.decoding import scrub
from assistant.qa.answer import Answer
from assistant.qa.pipeline import Assistant
from assistant.text import dictionary

logger = logging.getLogger(__name__)

PROGRESS_SECONDS = 0.25  # how often an upload's progress bar is refreshed while it indexes


@dataclass(frozen=True)
class Turn:
    """One chat question: the history before it, the index it was answered from, and its
    answer, or (answer None) the event's result that shows the error, the question kept."""

    history: list[dict]
    index: Index
    answer: Answer | None
    failed: tuple[list[dict], str] | None = None


class ChatApp:
    """Holds the Assistant and answers chat events."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.watcher = None  # a Watcher when `serve --watch` runs one
        self.update_job = None  # an UpdateJob when `serve` updates in the background

    def respond(self, question: str, history: list[dict] | None) -> tuple[list[dict], str]:
        """Chat event: (history with the new turn and its sources, cleared input box)."""
        return answerers.quotes_turn(self, question, history)

    def extractive_turn(self, question: str, history: list[dict] | None) -> Turn:
        """The extractive answer to a chat question, or the chat's error message for it."""
        history = list(history or [])
        index = self.assistant.current_index()  # one index for the whole question
        earlier = [message_text(m) for m in history if m.get("role") == "user"]
        try:
            if not index.articles and self.update_job is not None and self.update_job.running():
                raise IndexBuildingError(
                    "The articles are still being indexed "
                    f"({self.update_job.describe()}); ask again when the status panel says "
                    "the update is done."
                )
            return Turn(history, index, self.assistant.ask(question, index=index, earlier=earlier))
        except AssistantError as err:
            log_error("chat", err)
            question = scrub(question or "")  # shown again: text JSON and UTF-8 can hold
            failed = history + [
                {"role": "user", "content": render.escape_markdown(question)},
                {"role": "assistant", "content": f"⚠️ {render.escape_markdown(str(err))}"},
            ]
            return Turn(history, index, None, (failed, question))

    def status(self) -> str:
        status = render.status_markdown(self.assistant.current_index())
        watching = ""
        if self.watcher is not None:
            watching = f"  \n**Folder watcher:** {escape(self.watcher.describe())}"
        if self.update_job is not None:
            watching += f"  \n**Background update:** {escape(self.update_job.describe())}"
        return (
            f"{status}  \n**Answerer:** {escape(self.answerer())}  \n"
            f"**English words:** {escape(dictionary.status())}{watching}"
        )

    def cancel_update(self) -> str:
        """Cancel event: stop the background update (nothing is saved); the status."""
        if self.update_job is not None and self.update_job.running():
            self.update_job.cancel()
            self.update_job.finished.wait(timeout=30)
        return self.status()

    def answerer(self) -> str:
        """Who writes the answers: quotes alone here; an LLM in assistant/ui_llm.py."""
        return "extractive"

    def upload(self, files: list[str] | None, progress=gr.Progress()) -> tuple[str, str]:  # noqa: B008
        """Upload event: store the files in the articles folder, index them; (report, status)."""
        folder = self.assistant.config.articles[0]
        stored = []
        for file in files or []:
            stored.append(store_upload(Path(file), Path(file).name, folder))
            remove_gradio_copy(Path(file))
        for s in stored:
            logs.event(logger, "upload", name=s.name, stored_as=s.path, message=s.message)
        lines = [f"- {escape(s.name)}: {escape(s.message)}" for s in stored]
        if not any(s.path for s in stored):
            return "\n".join(lines) or "No files were uploaded.", self.status()
        return self.rescan(progress, lines, uploaded={s.path for s in stored if s.path})

    def rescan(
        self,
        progress=gr.Progress(),  # noqa: B008
        lines: list[str] | None = None,
        uploaded: set[Path] | None = None,
    ) -> tuple[str, str]:
        """Re-scan event: index what changed in the articles folder; (report, status).
        uploaded: files this upload stored; those the update skips are not kept."""
        lines = list(lines or [])
        if self.update_job is not None and self.update_job.queue_another():
            lines.append(
                "Queued, next in line (2 of 2): indexed by the update that starts right after "
                f"the one running now ({escape(self.update_job.doing())}); the status panel "
                "shows its progress."
            )
            return "\n".join(lines), self.status()

        job = self.update_job = UpdateJob(self).start()  # cancellable: the Cancel button
        while not job.finished.wait(PROGRESS_SECONDS):  # progress shown from this thread
            if job.stage == "embedding":
                progress(job.done / max(job.total, 1), desc=job.describe())
            else:
                progress(None, desc=job.describe())
        if job.report is None:  # cancelled or failed: the files stay in the folder
            lines.append(f"⚠️ {escape(job.state)}")
            if any(line.startswith("- ") for line in lines):
                lines.append("The stored files stay in the articles folder; Re-scan indexes them.")
            return "\n".join(lines), self.status()
        lines += [""] if lines else []  # the summary is its own paragraph, not the last bullet
        lines.append(escape(job.report.summary()))
        for skipped in job.report.skipped:
            line = f"- skipped {escape(Path(skipped.path).name)}: {escape(skipped.reason)}"
            if Path(skipped.path).resolve() in {p.resolve() for p in uploaded or ()}:
                # An uploaded file with nothing to index is not left behind to report again.
                Path(skipped.path).unlink(missing_ok=True)
                line += "; not kept in the articles folder"
            lines.append(line)
        return "\n".join(lines), self.status()

    def library(self, search: str = "") -> tuple[list[list], str]:
        """Library event: the indexed articles matching the search, and how many."""
        return library.rows(self.assistant.current_index(), search or "")

    def remove_article(
        self,
        article_id: str,
        search: str = "",
        progress=gr.Progress(),  # noqa: B008
    ) -> tuple[str, str, list[list], str]:
        """Remove event: the article's file set aside, the index updated; (report, status,
        library rows, library count)."""
        config = self.assistant.config
        index = self.assistant.current_index()
        done = library.remove(index, (article_id or "").strip(), config.articles, config.index)
        lines = [escape(done)]
        if done.startswith("Removed"):
            logs.event(logger, "remove", article=article_id, message=done)
            report, status = self.rescan(progress, lines)
        else:
            report, status = "\n".join(lines), self.status()
        return (report, status, *self.library(search))

    def build(self) -> gr.Blocks:
        """The page (assistant/app/page.py)."""
        return page.build(self)


def remove_gradio_copy(path: Path) -> None:
    """Delete Gradio's temporary copy of an upload once it is stored (or refused): a big feed
    would otherwise stay on disk twice. Files outside Gradio's upload folder are left alone."""
    from gradio.utils import get_upload_folder

    uploads = Path(get_upload_folder()).resolve()
    try:
        resolved = path.resolve()
        if uploads in resolved.parents:
            resolved.unlink(missing_ok=True)
            if resolved.parent != uploads:
                resolved.parent.rmdir()  # Gradio's per-upload folder, when now empty
    except OSError:
        pass  # another file shares the folder, or Gradio removed it first


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
