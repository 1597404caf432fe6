"""The edges: the `assistant` command, the Gradio chat, evaluation, uploads."""

import os

# Gradio reports usage to its servers unless told not to; this tool works offline. Set before
# any module of this package imports gradio.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
