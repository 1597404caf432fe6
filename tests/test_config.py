"""Settings: ASSISTANT_* variables parsed one by one, bad values named, flags applied if given."""

import os
from pathlib import Path

import pytest

from assistant.config import Config, from_env, with_flags
from assistant.errors import AssistantError
from assistant.tuning import LEXICAL_WEIGHT, MIN_MARGIN, TOP_K


@pytest.mark.parametrize(
    ("variable", "value", "field", "parsed"),
    [
        ("ASSISTANT_ARTICLES", f"news{os.pathsep}{os.pathsep}more", "articles",
         [Path("news"), Path("more")]),
        ("ASSISTANT_INDEX", "/data/index", "index", Path("/data/index")),
        ("ASSISTANT_MODEL", "intfloat/multilingual-e5-base", "model",
         "intfloat/multilingual-e5-base"),
        ("ASSISTANT_MIN_MARGIN", "0.05", "min_margin", 0.05),
        ("ASSISTANT_HOST", "0.0.0.0", "host", "0.0.0.0"),
        ("ASSISTANT_PORT", "8080", "port", 8080),
        ("ASSISTANT_AUTH", "user:secret", "auth", "user:secret"),
        ("ASSISTANT_MAX_UPLOAD_MB", "1.5", "max_upload_bytes", 1_500_000),
        ("ASSISTANT_LLM_BASE_URL", "http://localhost:11434/v1", "llm_base_url",
         "http://localhost:11434/v1"),
        ("ASSISTANT_LLM_MODEL", "llama3.1", "llm_model", "llama3.1"),
        ("ASSISTANT_LLM_API_KEY", "k-123", "llm_api_key", "k-123"),
        ("ASSISTANT_LLM_CONNECT_TIMEOUT", "2.5", "llm_connect_timeout", 2.5),
        ("ASSISTANT_LLM_TIMEOUT", "30", "llm_timeout", 30.0),
        ("ASSISTANT_THREADS", "3", "threads", 3),
    ],
)  # fmt: skip
def test_each_variable_sets_its_field_only(variable, value, field, parsed):
    config = from_env({variable: value})
    assert getattr(config, field) == parsed
    assert type(getattr(config, field)) is type(parsed)
    others = {name: v for name, v in vars(config).items() if name != field}
    assert others == {name: v for name, v in vars(Config()).items() if name != field}


def test_no_variables_give_the_defaults():
    config = from_env({})
    assert config == Config()
    assert (config.top_k, config.lexical_weight, config.min_margin) == (
        TOP_K, LEXICAL_WEIGHT, MIN_MARGIN,
    )  # fmt: skip
    assert from_env({"ASSISTANT_PORT": ""}).port == 7860  # an empty value is unset
    assert from_env({"PORT": "1", "assistant_port": "2"}).port == 7860  # only the exact names


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ASSISTANT_PORT", "80x"),
        ("ASSISTANT_MIN_MARGIN", "much"),
        ("ASSISTANT_MAX_UPLOAD_MB", "lots"),
        ("ASSISTANT_LLM_TIMEOUT", "soon"),
        ("ASSISTANT_LLM_CONNECT_TIMEOUT", "5s"),
        ("ASSISTANT_THREADS", "two"),
        ("ASSISTANT_THREADS", "0"),
    ],
)
def test_a_bad_value_names_its_variable(variable, value):
    with pytest.raises(AssistantError) as raised:
        from_env({variable: value})
    assert str(raised.value).startswith(f"{variable}={value!r} is not valid")


def test_from_env_reads_the_process_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ASSISTANT_PORT", "9001")
    monkeypatch.setenv("ASSISTANT_INDEX", str(tmp_path / "i"))
    config = from_env()
    assert config.port == 9001 and config.index == tmp_path / "i"


def test_the_api_key_is_never_in_the_repr():
    assert "k-123" not in repr(from_env({"ASSISTANT_LLM_API_KEY": "k-123"}))


def test_with_flags_applies_given_flags_and_ignores_none():
    base = from_env({"ASSISTANT_PORT": "9001", "ASSISTANT_HOST": "0.0.0.0"})
    config = with_flags(base, port=None, host="127.0.0.2", articles=None, index=None, top_k=7)
    assert (config.port, config.host, config.top_k) == (9001, "127.0.0.2", 7)
    assert config.articles == base.articles and config.index == base.index
    assert base.host == "0.0.0.0"  # a new Config; the old one is unchanged


def test_with_flags_turns_folder_strings_into_paths_and_ignores_an_empty_list():
    config = with_flags(Config(), articles=["a", "b"], index="idx")
    assert config.articles == [Path("a"), Path("b")] and config.index == Path("idx")
    assert with_flags(config, articles=[]).articles == [Path("a"), Path("b")]


def test_with_flags_refuses_an_unknown_setting():
    with pytest.raises(TypeError):
        with_flags(Config(), colour="blue")


def test_threads_below_one_say_how_to_fix():
    with pytest.raises(AssistantError, match="1 or more; leave it unset to use every core"):
        from_env({"ASSISTANT_THREADS": "-2"})
