"""Update the index when article files change. The index's own files are never watched, and an
error (a file name the watcher cannot decode, a folder that vanished) restarts the watcher."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from assistant import logs
from assistant.config import WATCH_RESTART_SECONDS
from assistant.errors import AssistantError, IndexBusyError
from assistant.ingest.articles import ARTICLE_SUFFIXES, FEED_SUFFIXES
from assistant.ingest.decoding import printable

logger = logging.getLogger(__name__)


class Watcher:
    """Watches the articles folders of a ChatApp's assistant and updates its index."""

    def __init__(self, app, stop: threading.Event) -> None:
        self.app = app
        self.stop = stop
        self.restarts = 0
        self.last_error: str | None = None
        self.alive = False

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="watch-articles", daemon=True)
        thread.start()
        return thread

    def describe(self) -> str:
        """One line for the status panel."""
        if not self.alive:
            return "stopped" + (f" after an error: {self.last_error}" if self.last_error else "")
        if self.restarts:
            return f"watching; restarts after errors: {self.restarts}; last: {self.last_error}"
        return "watching the articles folders"

    def run(self) -> None:
        from watchfiles import watch as watch_changes

        config = self.app.assistant.config
        folders = [str(p) for p in config.articles]
        warn_if_inside(config.index, config.articles)
        relevant = article_filter(config.articles)
        self.alive = True
        try:
            while not self.stop.is_set():
                try:
                    for changes in watch_changes(
                        *folders, stop_event=self.stop, watch_filter=relevant
                    ):
                        logs.event(logger, "watch", changed_files=len(changes))
                        self.update()
                except Exception as err:  # the watcher must outlive whatever stops it
                    self.restarts += 1
                    self.last_error = f"{type(err).__name__}: {printable(str(err))}"
                    logs.event(logger, "error", logging.WARNING, action="watch",
                               kind=type(err).__name__, message=printable(str(err)),
                               restart_in_seconds=WATCH_RESTART_SECONDS)  # fmt: skip
                    if self.stop.wait(WATCH_RESTART_SECONDS):
                        break
                    self.update()  # a change may have been missed while it was down
        finally:
            self.alive = False

    def update(self) -> None:
        try:
            while True:
                try:
                    self.app.assistant.update()  # logs its own "update" record
                    return
                except IndexBusyError as err:  # a long update holds the index: the change
                    logs.event(logger, "watch", logging.WARNING, message=str(err))  # waits
                    if self.stop.is_set():
                        return
        except AssistantError as err:
            logs.event(logger, "error", logging.WARNING, action="watch",
                       kind=type(err).__name__, message=str(err))  # fmt: skip
        except Exception as err:  # a bug must not stop the watching; it is logged in full
            logger.exception("update after a change failed: %s", err)


def article_filter(folders: list[Path]):
    """watchfiles filter: only article and feed files directly in an articles folder (what an
    update reads); never the index's versions, lock or pointer, wherever the index lies."""
    tops = {os.path.abspath(f) for f in folders} | {os.path.realpath(f) for f in folders}
    suffixes = ARTICLE_SUFFIXES + FEED_SUFFIXES

    def relevant(change, path: str) -> bool:
        return path.lower().endswith(suffixes) and os.path.dirname(os.path.abspath(path)) in tops

    return relevant


def warn_if_inside(index: Path, folders: list[Path]) -> None:
    """Say so when the index lies in (or is) an articles folder: its files are left out."""
    where = os.path.abspath(index)
    for folder in folders:
        top = os.path.abspath(folder)
        if where == top or where.startswith(top + os.sep):
            logs.event(logger, "watch", logging.WARNING, index=printable(where),
                       articles=printable(top),
                       message="the index folder is inside the articles folder; the watcher "
                       "and updates leave its files out")  # fmt: skip
