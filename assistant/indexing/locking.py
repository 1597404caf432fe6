"""One index updater at a time: an advisory file lock that a killed process releases.

The holder writes what it is doing into the lock file (process, start, stage, counts), so that
a second updater waits while the first makes progress and says what it waits for, and
`index status` shows a running update.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import IndexBusyError, IndexWriteError
from assistant.tuning import LOCK_REPORT_SECONDS

logger = logging.getLogger(__name__)

LOCK_FILE = ".lock"


@dataclass(frozen=True)
class Holder:
    """What the process holding the lock reported last."""

    pid: int | None
    began: float | None  # time.time() when it took the lock
    stage: str  # "reading", "embedding", "saving" or "starting"
    done: int
    total: int  # 0 while unknown (reading)

    def describe(self) -> str:
        """ "process 4242, embedding 288 of 3,000 chunks, running 44 s"."""
        if self.stage == "reading":
            work = f"reading the articles folders ({self.done:,} articles read)"
        elif self.stage == "embedding":
            work = f"embedding {self.done:,} of {self.total:,} chunks"
        else:
            work = self.stage
        running = f", running {time.time() - self.began:.0f} s" if self.began else ""
        return f"process {self.pid or 'unknown'}, {work}{running}"


class Lock:
    """The held lock: report(stage, done, total) records progress for waiting processes."""

    def __init__(self, handle) -> None:
        self._handle = handle
        self._began = time.time()
        self._written = 0.0

    def report(self, stage: str, done: int = 0, total: int = 0, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written < LOCK_REPORT_SECONDS:
            return
        self._written = now
        state = {"pid": os.getpid(), "began": self._began, "stage": stage, "done": done,
                 "total": total}  # fmt: skip
        try:
            self._handle.seek(0)
            self._handle.truncate()
            self._handle.write(json.dumps(state))
            self._handle.flush()
        except OSError as err:  # a full disk must not stop the update here; saving will say
            logger.debug("lock file not updated: %s", err)


@contextlib.contextmanager
def index_lock(folder: Path, wait_seconds: float = 600.0) -> Iterator[Lock]:
    """Hold folder/.lock. While another updater holds it, wait as long as it reports progress;
    give up clearly after wait_seconds without any."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as err:
        raise IndexWriteError.from_os(folder, err) from err
    with handle:
        _acquire(handle, folder, wait_seconds)
        lock = Lock(handle)
        lock.report("starting", force=True)
        try:
            yield lock
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle, folder: Path, wait_seconds: float) -> None:
    last_state, last_change, last_log = None, time.monotonic(), 0.0
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = _read(handle)
        now = time.monotonic()
        if holder != last_state:  # the other updater moved on: keep waiting
            last_state, last_change = holder, now
        said = holder.describe() if holder else "process unknown"
        if now - last_change >= wait_seconds:
            raise IndexBusyError(
                f"Another update of {str(folder)!r} is running ({said}) and has reported no "
                f"progress for {wait_seconds:.0f} s. Wait for it to finish and run the command "
                "again."
            )
        if now - last_log >= 10 * LOCK_REPORT_SECONDS:
            logger.warning("waiting for another update of %s: %s", folder, said)
            last_log = now
        time.sleep(0.2)


def running_update(folder: Path) -> Holder | None:
    """The update holding folder's lock now, or None when no update runs."""
    try:
        handle = open(folder / LOCK_FILE, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(handle) or Holder(None, None, "running", 0, 0)
        fcntl.flock(handle, fcntl.LOCK_UN)
        return None


def _read(handle) -> Holder | None:
    """The holder's last report; None when unreadable (a lock file of an older version held
    only the process id)."""
    try:
        handle.seek(0)
        text = handle.read().strip()
        if text.isdigit():
            return Holder(int(text), None, "running", 0, 0)
        state = json.loads(text)
        return Holder(state["pid"], state["began"], state["stage"], state["done"], state["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
