"""Bad input of every kind gets a clear message, never a traceback, and loses nothing.

Each case here is a row of the README table "Bad input"; the rest of that table is tested
where the feature lives (see the table's last column).
"""

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import QuestionError
from assistant.indexing import store
from assistant.ingest.articles import load_folders, parse_article

KURSK_DE = "Wie viele nordkoreanische Soldaten sind bei Kursk?"
ROOT = Path(__file__).resolve().parent.parent
SERVE_READ_ONLY = """
import sys
from pathlib import Path
from assistant import logs
from assistant.config import Config
from assistant.indexing.embedding import load_model
from assistant.qa.pipeline import ensure_index
logs.configure()
config = Config(articles=[Path(sys.argv[1])], index=Path(sys.argv[2]))
print(len(ensure_index(config, load_model(config.model)).articles))
"""


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele\x00 nordkoreanische\x07 Soldaten sind \x1b[31mbei Kursk?",  # control characters
        "How many North\u200b Korean soldiers are near Kursk?\u202e",  # invisible format marks
        "🤔 How many North Korean soldiers are near Kursk? 🇰🇵",  # emoji
    ],
)
def test_odd_characters_are_removed_or_harmless(assistant, question):
    answer = assistant.ask(question)
    assert not answer.abstained and "10.000" in answer.answer
    assert "\x00" not in answer.question and "\u202e" not in answer.question


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        ("Сколько северокорейских солдат находится под Курском?", True),  # Russian
        ("كم عدد الجنود الكوريين الشماليين بالقرب من كورسك؟", True),  # Arabic
        ("库尔斯克附近有多少朝鲜士兵？", False),  # Chinese
        ("🤔🤔🤔", False),
        ("?", False),
    ],
)
def test_other_scripts_and_symbols_get_an_answer_or_an_abstention(assistant, question, answered):
    """The multilingual model answers Russian and Arabic; symbols and Chinese abstain, with
    the closest passages labelled as such. Whatever is shown is in the article file."""
    answer = assistant.ask(question)
    assert answer.abstained is not answered, answer.answer
    if not answered:
        assert answer.answer.startswith("The articles do not say.")
    for citation in answer.citations:
        path = Path(assistant.index.articles[citation.article_id].path)
        assert citation.quote in parse_article(path, path.read_bytes()).text
    assert answer.citations


def test_only_control_characters_is_an_empty_question(assistant):
    with pytest.raises(QuestionError, match="empty"):
        assistant.ask("\x00\x01\x1b\u200b")


def test_files_without_words_and_utf16_files(tmp_path):
    (tmp_path / "rules.txt").write_text("----\n****\n====\n")
    (tmp_path / "table.txt").write_text("1 2 3\n4 5 6\n")
    (tmp_path / "headline.txt").write_text("Nordkorea schickt Soldaten nach Kursk")  # no full stop
    text = "Die Bürger in Köln äußerten sich über die Straßenbahn."
    (tmp_path / "unicode.txt").write_text(text, encoding="utf-16")  # with BOM, as Windows saves
    (tmp_path / "huge.txt").write_text("Ein Satz. " * 510_000)
    (tmp_path / "scripts.html").write_text("<html><body><script>alert(1)</script></body></html>")
    collection = load_folders([tmp_path])
    assert sorted(a.id for a in collection.articles) == ["headline", "unicode"]
    assert next(a for a in collection.articles if a.id == "unicode").text == text
    reasons = {Path(s.path).name: s.reason for s in collection.skipped}
    assert (
        reasons["rules.txt"]
        == reasons["table.txt"]
        == ("no words in it (only digits, punctuation or symbols)")
    )
    assert "over the 5,000,000-byte limit" in reasons["huge.txt"]
    assert reasons["scripts.html"] == "no article text found in the HTML page"


def cli(args: list[str], env: dict, **popen) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "assistant", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, **popen)


@pytest.fixture
def shared_dir(tmp_path):
    yield tmp_path
    for path in [tmp_path, *tmp_path.rglob("*")]:  # undo read-only modes so pytest can clean up
        path.chmod(0o777 if path.is_dir() else 0o666)


@pytest.fixture
def built(shared_dir, seeds_index, seeds_config) -> tuple[Path, Path, dict]:
    """(articles, index, environment): a copy of the seeds and of their session index."""
    articles, index = shared_dir / "articles", shared_dir / "index"
    shutil.copytree(ROOT / "seeds", articles)
    shutil.copytree(seeds_config.index, index)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    env.pop("ASSISTANT_INDEX", None)
    return articles, index, env


def read_only(index: Path, args: list[str]) -> list[str]:
    """The command run with the index folder read-only: a read-only bind mount in a private
    mount namespace when root (file modes do not bind root), else file modes."""
    if os.geteuid() != 0:
        for path in [index, *index.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return args
    mount = f"mount --bind {index} {index} && mount -o remount,bind,ro {index} {index}"
    return ["unshare", "--mount", "sh", "-c", f'{mount} && exec "$@"', "sh", *args]


def test_read_only_index_folder_keeps_answering(built):
    articles, index, env = built
    sample = sorted((ROOT / "tests" / "data" / "gnad-sample").glob("*.txt"))[0]
    shutil.copy(sample, articles)
    before = store.load(index).manifest
    python = [sys.executable, "-m", "assistant"]
    update = [*python, "index", "update", "--articles", str(articles), "--index", str(index)]
    result = subprocess.run(read_only(index, update), env=env, capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "Cannot write to the index folder" in result.stderr and "unchanged" in result.stderr
    assert "Read-only file system" in result.stderr or "Permission denied" in result.stderr
    ask = [*python, "ask", KURSK_DE, "--index", str(index)]
    result = subprocess.run(read_only(index, ask), env=env, capture_output=True, text=True)
    assert result.returncode == 0 and "10.000" in result.stdout, result.stderr
    # The app starts on it too: the pending article cannot be indexed, the old index serves.
    start = [sys.executable, "-c", SERVE_READ_ONLY, str(articles), str(index)]
    result = subprocess.run(read_only(index, start), env=env, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.split() == ["2"], result.stderr
    assert '"event": "error"' in result.stderr and "Answering from the existing index" in (
        result.stderr
    )
    assert store.load(index).manifest == before


def test_full_disk_keeps_the_old_index(built):
    articles, index, env = built
    (articles / "more.txt").write_text(
        "Bei einem Erdrutsch in Tirol wurden am Sonntag drei Häuser zerstört. " * 3
    )
    before = store.load(index).manifest

    # Writes past 1 kB fail like a full disk does (EFBIG instead of ENOSPC): the update writes
    # only its new segment, whose vectors alone (3 chunks, 4.6 kB) do not fit.
    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000, 1_000))

    update = cli(["index", "update", "--articles", str(articles), "--index", str(index)], env,
                 preexec_fn=small_disk)  # fmt: skip
    assert update.returncode == 2 and "Traceback" not in update.stderr, update.stderr
    assert "Cannot write to the index folder" in update.stderr and "unchanged" in update.stderr
    assert store.load(index).manifest == before
    assert not list(index.glob(".staging-*"))
    assert len(list(index.glob("v-*"))) == 1  # no half-written version left behind
    retry = cli(["index", "update", "--articles", str(articles), "--index", str(index)], env)
    assert retry.returncode == 0 and "1 new" in retry.stdout
