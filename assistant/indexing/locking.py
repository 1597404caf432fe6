"""One index updater at a time: an advisory file lock that a killed process releases."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import IndexBusyError, IndexWriteError

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def index_lock(folder: Path, wait_seconds: float = 600.0) -> Iterator[None]:
    """Hold folder/.lock; wait up to wait_seconds for another updater, then give up clearly."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / ".lock", "a+", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as err:
        raise IndexWriteError.from_os(folder, err) from err
    with handle:
        deadline = time.monotonic() + wait_seconds
        waited = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise IndexBusyError(
                        f"Another update of {str(folder)!r} is running (process {holder}). "
                        "Wait for it to finish and run the command again."
                    ) from None
                if not waited:
                    logger.warning("another update of %s is running; waiting", folder)
                    waited = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
