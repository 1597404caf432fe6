"""kill -9 during `assistant index update`: the index still loads, and the next update ends it."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SEEDS

from assistant.config import DEFAULT_MODEL, Config
from assistant.indexing import store
from assistant.indexing import update as indexing
from assistant.qa.pipeline import Assistant

SAMPLE = Path(__file__).parent / "data" / "gnad-sample"


def start_update(folder: Path, index: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "assistant", "index", "update"]
    command += ["--articles", str(folder), "--index", str(index)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_compact(index: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "assistant", "index", "compact", "--index", str(index)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def assert_usable(index: Path, folder: Path, model, old_ids: set, new_ids: set) -> None:
    loaded = store.load(index)
    assert set(loaded.articles) in (old_ids, new_ids)
    answer = Assistant(loaded, model, Config(articles=[folder], index=index)).ask(
        "Wie viele nordkoreanische Soldaten sind bei Kursk?"
    )
    assert "10.000" in answer.answer


@pytest.fixture
def setup(tmp_path, model):
    folder, index = tmp_path / "articles", tmp_path / "index"
    shutil.copytree(SEEDS, folder)
    indexing.update([folder], index, model, DEFAULT_MODEL, 300, 0)
    old_ids = set(store.load(index).articles)
    arriving = sorted(SAMPLE.iterdir())[:6]
    for path in arriving:
        shutil.copy(path, folder)
    new_ids = old_ids | {p.stem for p in arriving}
    return folder, index, old_ids, new_ids


def test_sigkill_at_several_points(setup, model):
    folder, index, old_ids, new_ids = setup
    # How long an undisturbed update takes here, then kills spread over that time.
    pristine = index.parent / "pristine"
    shutil.copytree(index, pristine)
    began = time.monotonic()
    assert start_update(folder, index).wait(timeout=300) == 0
    duration = time.monotonic() - began
    assert_usable(index, folder, model, old_ids, new_ids)
    for fraction in (0.2, 0.5, 0.8, 0.95):
        shutil.rmtree(index)
        shutil.copytree(pristine, index)
        process = start_update(folder, index)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert_usable(index, folder, model, old_ids, new_ids)
    # The next update finishes the job.
    report = indexing.update([folder], index, model, DEFAULT_MODEL, 300, 0)
    assert set(store.load(index).articles) == new_ids
    assert report.version is not None or report.articles == len(new_ids)
    assert not list(index.glob(".staging-*"))


def test_sigkill_while_writing_the_new_version(setup, model):
    folder, index, old_ids, new_ids = setup
    process = start_update(folder, index)
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        if any(index.glob(".staging-*")):  # the new version is being written now
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.001)
    process.wait(timeout=30)
    assert_usable(index, folder, model, old_ids, new_ids)
    indexing.update([folder], index, model, DEFAULT_MODEL, 300, 0)
    assert set(store.load(index).articles) == new_ids


def test_a_second_updater_waits_or_says_why(setup, model):
    from assistant.errors import IndexBusyError
    from assistant.indexing.locking import index_lock

    folder, index, _, _ = setup
    with index_lock(index):
        with pytest.raises(IndexBusyError, match="Another update .* is running"):
            indexing.update([folder], index, model, DEFAULT_MODEL, 300, 0, wait_seconds=0.5)


def _segments_listed(index: Path) -> set[str]:
    import json

    listed = set()
    for version in index.glob("v-*"):
        manifest = json.loads((version / "manifest.json").read_text())
        listed |= {segment["name"] for segment in manifest["segments"]}
    return listed


def test_sigkill_during_compact(setup, model):
    folder, index, _, new_ids = setup
    indexing.update([folder], index, model, DEFAULT_MODEL, 300, 0)  # a second segment
    changed = sorted(folder.glob("gnad-*"))[0]
    changed.write_text(changed.read_text() + "\nDer Gemeinderat tagte am Montag erneut.\n")
    indexing.update([folder], index, model, DEFAULT_MODEL, 300, 0)  # a third, and a deletion
    assert len(store.load(index).manifest.segments) == 3
    pristine = index.parent / "pristine"
    shutil.copytree(index, pristine)
    began = time.monotonic()
    assert start_compact(index).wait(timeout=300) == 0
    duration = time.monotonic() - began
    assert len(store.load(index).manifest.segments) == 1
    assert_usable(index, folder, model, new_ids, new_ids)
    segments = {p.name for p in pristine.glob("s-*")}
    moments = [
        lambda: any(index.glob(".staging-*")),  # the merged segment or its version is written
        lambda: {p.name for p in index.glob("s-*")} - segments,  # the merged one is in place
    ]
    for fraction in (0.3, 0.6, 0.9, *moments):
        shutil.rmtree(index)
        shutil.copytree(pristine, index)
        process = start_compact(index)
        if callable(fraction):
            deadline = time.monotonic() + 300
            while process.poll() is None and time.monotonic() < deadline and not fraction():
                time.sleep(0.001)
        else:
            time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert_usable(index, folder, model, new_ids, new_ids)
    # The next compaction finishes the job and removes what the killed one left.
    assert start_compact(index).wait(timeout=300) == 0
    assert len(store.load(index).manifest.segments) == 1
    assert {p.name for p in index.glob("s-*")} == _segments_listed(index)
    assert not list(index.glob(".staging-*"))
    assert_usable(index, folder, model, new_ids, new_ids)
