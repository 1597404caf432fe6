"""Question answering over a folder of news articles with verbatim, cited quotes."""

import os

from assistant.tuning import WAIT_POLICY

# Idle OpenMP threads sleep instead of spinning: each libgomp in the process (torch's, faiss's,
# the bundled model's) reads this once, when it loads, so it is set before any of them can.
# Set late, only the model's threads slept while torch's and faiss's spun on the cores they
# need: questions beside other work took 5-8 s instead of 0.5 s (docs/tuning.md).
os.environ.setdefault("OMP_WAIT_POLICY", WAIT_POLICY)

__version__ = "0.1.0"
