"""Embedding on a real local Ray cluster (2 CPUs, started here): the same vectors and answers
as a build in this process, the same index format, progress in chunks, clear errors."""

import numpy as np
import pytest
import ray  # in the test extra, as assistant[ray]
from conftest import SEEDS, seeds_and_gnad

from assistant.config import Config
from assistant.errors import ModelError
from assistant.indexing import store
from assistant.indexing.ray_embedding import RAY_BATCH
from assistant.qa.pipeline import Assistant, update_index

QUESTIONS = [
    "How many North Korean soldiers are reported near Kursk?",
    "Welche Waffen liefert Nordkorea an Russland?",
    "What is the range of the Koksan howitzers?",
]


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture
def articles(tmp_path):
    """The seeds and 12 gnad articles: several Ray batches."""
    return seeds_and_gnad(tmp_path / "articles", 12)


def test_a_ray_build_equals_a_local_build_and_an_update_embeds_only_the_new_chunks(
    cluster, model, articles, tmp_path
):
    """One Ray build (the costly part) serves both checks: it equals a local build, and an
    update on Ray of its folder embeds only the new article's chunks."""
    here = Config(articles=[articles], index=tmp_path / "here")
    on_ray = Config(articles=[articles], index=tmp_path / "ray", ray="auto")
    steps = []
    update_index(here, model)
    report = update_index(on_ray, model, progress=lambda *step: steps.append(step))
    local, remote = store.load(here.index), store.load(on_ray.index)
    assert report.embedded == len(remote.chunks) > RAY_BATCH * 2  # several batches
    assert [c.sha256 for c in remote.chunks] == [c.sha256 for c in local.chunks]
    np.testing.assert_allclose(remote.vectors, local.vectors, atol=1e-5)
    assert remote.manifest.engine == local.manifest.engine == "onnx"
    embedding = [done for stage, done, _ in steps if stage == "embedding"]
    assert embedding[0] == 0 and embedding[-1] == report.embedded and embedding == sorted(embedding)
    for question in QUESTIONS:
        assert (
            Assistant(remote, model, on_ray).ask(question).answer
            == Assistant(local, model, here).ask(question).answer
        )
    # An update on Ray embeds only the new chunks.
    (articles / "neu.txt").write_text(
        "Die Stadt Kursk liegt im Westen Russlands. Dort leben rund 440.000 Menschen.",
        encoding="utf-8",
    )
    second = update_index(on_ray, model)
    assert second.reused == report.chunks and 0 < second.embedded <= 2
    answer = Assistant(second.index, model, on_ray).ask("Wie viele Menschen leben in Kursk?")
    assert "440.000" in answer.answer


def test_an_unreachable_cluster_is_named_with_the_ways_out(model, tmp_path):
    if ray.is_initialized():
        ray.shutdown()
    config = Config(articles=[SEEDS], index=tmp_path / "index", ray="auto")  # none runs
    with pytest.raises(ModelError, match="Could not connect to the Ray cluster") as refused:
        update_index(config, model)
    assert "--ray local" in str(refused.value)
    assert not (tmp_path / "index" / "CURRENT").exists()  # nothing half-built is left
