"""Structured logs: every line is one JSON object with a time, a level and an event name."""

from __future__ import annotations

import json
import logging
import sys
import time


def event(logger: logging.Logger, name: str, level: int = logging.INFO, /, **fields) -> None:
    """Log one event ("ingest", "update", "answer", "error", ...) with its fields."""
    plain = " ".join(f"{key}={value!r}" for key, value in fields.items())
    logger.log(level, "%s %s", name, plain, extra={"event": name, "fields": fields})


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "event", ...fields}; plain messages become "message"."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if fields is None:
            line["event"] = "message"
            line["message"] = record.getMessage()
        else:
            line["event"] = record.event
            line.update(fields)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        text = json.dumps(line, ensure_ascii=False, default=str)
        # A lone surrogate (a file name that is not UTF-8) would stop the line being written.
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def configure(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the `assistant` loggers (once; later calls set the level)."""
    root = logging.getLogger("assistant")
    root.setLevel(level)
    if not any(getattr(h, "_assistant", False) for h in root.handlers):
        handler = _Stderr()
        handler.setFormatter(JsonFormatter())
        handler._assistant = True  # type: ignore[attr-defined]
        root.addHandler(handler)


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (it is replaced under test capture)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass
