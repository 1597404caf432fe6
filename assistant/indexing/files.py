"""The index's files: durable text and JSON Lines writes, and removal of superseded versions."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path


def write_text(path: Path, text: str) -> None:
    """Write text as UTF-8 and flush it to disk."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def write_jsonl(path: Path, records) -> None:
    """One JSON object a line. A value holding a lone surrogate (the path of a file whose name
    is not UTF-8) is written with a \\udcXX escape, which reads back as the same string."""
    records = list(records)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = "".join(_line(r) for r in records)
    write_text(path, text)


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
