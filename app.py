"""Gradio entry point: `python app.py` serves the chat on 127.0.0.1:7860 (see README)."""

import logging

from assistant.config import from_env
from assistant.ui import serve

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    serve(from_env())
