"""Follow-up questions in a conversation: answered from the right passage, or abstained.

    .venv/bin/python benchmarks/followups.py                # seeds, and seeds among gnad-1028
    .venv/bin/python benchmarks/followups.py --cases        # also one line per conversation

tests/data/follow-ups.jsonl holds conversations about the seed articles: earlier turns, then a
follow-up that leans on them ("Und wie weit reichen die?"), with the gold string of its answer,
or "none" when no article answers it. Each conversation is asked turn by turn through
Assistant.ask with the earlier questions, as the chat does; only the last turn is scored.
Indexes come from benchmarks/cache/ (built by benchmarks/quality.py if missing).
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.app import evaluation  # noqa: E402
from assistant.config import DEFAULT_MODEL, Config  # noqa: E402
from assistant.indexing import store  # noqa: E402
from assistant.indexing import update as indexing  # noqa: E402
from assistant.indexing.embedding import load_model  # noqa: E402
from assistant.qa.answer import Answer  # noqa: E402
from assistant.qa.pipeline import Assistant  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / "cache"
CONVERSATIONS = ROOT / "tests" / "data" / "follow-ups.jsonl"
SETS = {
    "seeds": [ROOT / "seeds"],
    "seeds+gnad": [ROOT / "seeds", ROOT.parent / "shared" / "data" / "gnad-1028" / "articles"],
}


@dataclass(frozen=True)
class Conversation:
    id: str
    lang: str
    turns: list[str]
    article: str  # the article that answers the last turn, or "none"
    answer: str


def load_conversations(path: Path = CONVERSATIONS) -> list[Conversation]:
    with open(path, encoding="utf-8") as handle:
        return [
            Conversation(r["id"], r["lang"], r["turns"], r["article"], r.get("answer", ""))
            for r in map(json.loads, filter(str.strip, handle))
        ]


def last_answer(assistant: Assistant, conversation: Conversation) -> Answer:
    """The answer to the conversation's last turn, asked after the earlier ones."""
    for n, question in enumerate(conversation.turns):
        answer = assistant.ask(question, earlier=conversation.turns[:n])
    return answer


def correct(conversation: Conversation, answer: Answer) -> bool:
    """Answerable: not abstained, gold in the answer text or first quote. Else: abstained."""
    if conversation.article == evaluation.NONE:
        return answer.abstained
    if answer.abstained:
        return False
    first = answer.citations[0].quote if answer.citations else ""
    return evaluation.contains(answer.answer + "\n" + first, conversation.answer)


def measure(name: str, model, conversations: list[Conversation], cases: bool) -> None:
    folders = SETS[name]
    config = Config(articles=folders, index=CACHE / name)
    indexing.update(
        folders, config.index, model, DEFAULT_MODEL, config.chunk_size, config.chunk_overlap
    )
    assistant = Assistant(store.load(config.index), model, config)
    rows: dict[tuple[str, bool], list[bool]] = {}
    for c in conversations:
        answer = last_answer(assistant, c)
        ok = correct(c, answer)
        answerable = c.article != evaluation.NONE
        for lang in (c.lang, "all"):
            rows.setdefault((lang, answerable), []).append(ok)
        if cases:
            first = answer.citations[0].quote[:70].replace("\n", " ") if answer.citations else ""
            state = "abstained" if answer.abstained else "answered"
            print(f"  {c.id:<10}{'ok' if ok else 'WRONG':<7}{state:<11}{first}")
    for lang in ("all", "de", "en"):
        right, abstain = rows.get((lang, True), []), rows.get((lang, False), [])
        print(
            f"{name:<11}{lang:<5}{len(right):>5}{_share(right):>22}"
            f"{len(abstain):>7}{_share(abstain):>22}",
            flush=True,
        )


def _share(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.3f}" if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--cases", action="store_true", help="one line per conversation")
    args = parser.parse_args()
    conversations = load_conversations()
    model = load_model(DEFAULT_MODEL)
    print(
        f"{'set':<11}{'lang':<5}{'n':>5}{'answered right':>22}{'n':>7}{'unanswerable abstain':>22}"
    )
    for name in args.sets:
        measure(name, model, conversations, args.cases)


if __name__ == "__main__":
    main()
