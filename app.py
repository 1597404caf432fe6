"""Gradio entry point: `python app.py` serves the chat on 127.0.0.1:7860 (see README).

Arguments are those of `assistant serve` (--host, --port, --articles, --watch, ...); settings
also come from ASSISTANT_* environment variables.
"""

import sys

from assistant.app.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["serve", *sys.argv[1:]]))
