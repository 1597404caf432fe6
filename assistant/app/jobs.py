"""An index update in the background: the chat answers from the index in use meanwhile, the
status panel shows its progress, and it can be cancelled (nothing is saved then)."""

from __future__ import annotations

import logging
import threading
import time

from assistant import logs
from assistant.errors import AssistantError
from assistant.indexing.locking import running_update

logger = logging.getLogger(__name__)


class UpdateCancelled(AssistantError):
    """The update was cancelled before it saved anything."""


class UpdateJob:
    """One background update of a ChatApp's assistant."""

    def __init__(self, app) -> None:
        self.app = app
        self.report = None  # the last run's UpdateReport, once it succeeded
        self.cancelled = threading.Event()
        self.finished = threading.Event()
        self.state = "waiting to start"
        self.stage = "waiting"  # for the index lock, until the update reports its first step
        self.done = self.total = 0
        self.began = time.monotonic()
        self._again = False  # an upload or re-scan asked for one more update after this one
        self._lock = threading.Lock()

    def start(self) -> UpdateJob:
        threading.Thread(target=self.run, name="background-update", daemon=True).start()
        return self

    def run(self) -> None:
        try:
            while True:
                self.state = "running"
                self.stage, self.done, self.total = "waiting", 0, 0
                self.update()
                with self._lock:
                    if not self._again or self.cancelled.is_set():
                        return
                    self._again = False
        finally:
            self.finished.set()

    def update(self) -> None:
        try:
            self.report = self.app.assistant.update(self.progress)
            self.state = f"done: {self.report.summary()}"
        except UpdateCancelled as err:
            self.state = str(err)
            logs.event(logger, "update", logging.WARNING, cancelled=True, message=str(err))
        except AssistantError as err:
            self.report = None
            self.state = f"failed: {err}"
            logs.event(logger, "error", logging.WARNING, action="background-update",
                       kind=type(err).__name__, message=str(err))  # fmt: skip

    def queue_another(self) -> bool:
        """Ask for one more update when this one ends (new uploads arrived); False if it has
        ended already, so the caller updates itself."""
        with self._lock:
            if self.finished.is_set() or self.cancelled.is_set():
                return False
            self._again = True
            return True

    def progress(self, stage: str, done: int, total: int) -> None:
        """Called by the update along its steps; raises when cancelled (not once saving)."""
        if self.cancelled.is_set() and stage != "saving":
            where = f"embedding {done:,} of {total:,} chunks" if stage == "embedding" else stage
            raise UpdateCancelled(
                f"Update cancelled while {where}; nothing was saved and the index in use is "
                "unchanged."
            )
        self.stage, self.done, self.total = stage, done, total

    def cancel(self) -> None:
        self.cancelled.set()

    def running(self) -> bool:
        return not self.finished.is_set()

    def describe(self) -> str:
        """One line for the status panel, with the update queued after this one, if any."""
        if not self.running():
            return self.state
        queued = "; queued after it: one more update, for new files" if self._again else ""
        return self.doing() + queued

    def doing(self) -> str:
        """What the running update does now: its step and counts."""
        seconds = time.monotonic() - self.began
        if self.stage == "embedding":
            return f"embedding {self.done:,} of {self.total:,} chunks ({seconds:.0f} s)"
        if self.stage == "waiting":
            holder = running_update(self.app.assistant.config.index)
            if holder is not None:
                return f"waiting for another update of the index: {holder.describe()}"
            return f"starting ({seconds:.0f} s)"
        if self.stage == "saving":
            return f"saving the new index version ({seconds:.0f} s)"
        read = f": {self.done:,} articles read" if self.done else ""
        return f"reading the articles folders{read} ({seconds:.0f} s)"
