"""Resumable builds: vectors computed by an update are kept on disk as it goes, so that an
update killed mid-way (a reboot, kill -9, a lost Ray cluster) continues where it stopped.

While an update embeds, the vectors of every RESUME_SECONDS are appended to
INDEX/.resume/ as one file each (chunk hashes and vectors; written whole or not at all). The
next update, holding the index lock as every update does, reads them back and embeds only the
chunks that have none. They count only for the same model and vector family
(embedding.same_vectors) and dimension; a successful save removes the folder.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant import logs
from assistant.indexing.embedding import VECTOR_FAMILIES
from assistant.indexing.files import write_text
from assistant.tuning import RESUME_SECONDS

logger = logging.getLogger(__name__)

FOLDER = ".resume"


class Checkpoint:
    """The vectors an update has computed so far, in INDEX/.resume/."""

    def __init__(self, index_dir: Path, model_name: str, engine: str, dimension: int) -> None:
        self.folder = index_dir / FOLDER
        self.identity = {
            "model": model_name,
            "vectors": VECTOR_FAMILIES.get(engine, engine),
            "dimension": dimension,
        }
        self.pending: tuple[list[str], list[np.ndarray]] = ([], [])
        self.last = time.monotonic()

    def load(self) -> dict[str, np.ndarray]:
        """Vectors by chunk hash from a killed update of the same model; {} otherwise (and
        what another model left is removed)."""
        try:
            identity = json.loads((self.folder / "identity.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            identity = None
        if identity != self.identity:
            self.clear()
            return {}
        vectors: dict[str, np.ndarray] = {}
        for part in sorted(self.folder.glob("part-*.npz")):
            try:
                with np.load(part) as saved:
                    vectors.update(zip(saved["hashes"].tolist(), saved["vectors"], strict=True))
            except (OSError, ValueError, KeyError) as err:  # cut off by a full disk: skip it
                logger.warning("skipping unreadable %s: %s", part, err)
        if vectors:
            logs.event(logger, "resume", chunks=len(vectors), folder=str(self.folder))
        return vectors

    def add(self, hashes: list[str], vectors: np.ndarray) -> None:
        """Keep these vectors; written out at most RESUME_SECONDS after the last write."""
        self.pending[0].extend(hashes)
        self.pending[1].append(vectors)
        if time.monotonic() - self.last >= RESUME_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write what is pending as one more part file (whole or absent)."""
        hashes, parts = self.pending
        self.last = time.monotonic()
        if not hashes:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            identity = self.folder / "identity.json"
            if not identity.exists():
                write_text(identity, json.dumps(self.identity))
            number = len(list(self.folder.glob("part-*.npz")))
            handle, staging = tempfile.mkstemp(prefix=".part-", suffix=".npz", dir=self.folder)
            with os.fdopen(handle, "wb") as out:
                np.savez(out, hashes=np.array(hashes), vectors=np.concatenate(parts))
                out.flush()
                os.fsync(out.fileno())
            os.replace(staging, self.folder / f"part-{number:06d}.npz")
        except OSError as err:  # a full disk loses only the head start, never the update
            logger.warning("could not keep vectors for a resumed build: %s", err)
        self.pending = ([], [])

    def clear(self) -> None:
        """Remove the folder: the index holds every vector now (or they were another's)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.pending = ([], [])
