"""The index's files: durable text and JSON Lines writes, and removal of superseded versions."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import numpy as np


def write_text(path: Path, text: str) -> None:
    """Write text as UTF-8 and flush it to disk."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def write_array(path: Path, array: np.ndarray) -> None:
    """Write an array as .npy and flush it to disk. Not np.save: numpy's own file writes do not
    report a full disk (a 1 kB file limit left a truncated file and no error)."""
    array = np.ascontiguousarray(array)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, np.lib.format.header_data_from_array_1_0(array))
    with open(path, "wb") as handle:
        handle.write(header.getvalue())
        handle.write(memoryview(array.reshape(-1)).cast("B"))
        handle.flush()
        os.fsync(handle.fileno())


def write_jsonl(path: Path, records) -> list[int]:
    """One JSON object a line; returns each line's length in bytes (where to read it back). A
    value holding a lone surrogate (the path of a file whose name is not UTF-8) is written
    with a \\udcXX escape, which reads back as the same string."""
    lines = []
    for record in records:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        try:
            lines.append(line.encode("utf-8"))
        except UnicodeEncodeError:
            lines.append(_line(record).encode("utf-8"))
    with open(path, "wb") as handle:
        handle.write(b"".join(lines))
        handle.flush()
        os.fsync(handle.fileno())
    return [len(line) for line in lines]


def _line(record) -> str:
    line = json.dumps(record, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(record)  # ASCII: every non-ASCII character escaped
    return line + "\n"


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def remove_old_versions(folder: Path, keep: str) -> None:
    """Delete every version but keep (the current one) and the one before it, which a reader
    may still be opening. Versions after keep were written by an update killed before it
    switched to them; only the lock holder calls this, so none of them is being written."""
    versions = sorted(p.name for p in folder.glob("v-*") if p.is_dir())
    if keep not in versions:
        return
    position = versions.index(keep)
    for name in versions[: max(0, position - 1)] + versions[position + 1 :]:
        shutil.rmtree(folder / name, ignore_errors=True)


def remove_staging(folder: Path) -> None:
    """Half-written versions and segments of an update that was killed; only the lock holder
    writes them."""
    for staging in folder.glob(".staging-*"):
        shutil.rmtree(staging, ignore_errors=True)
