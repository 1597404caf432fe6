"""How close the English word-by-word glosses come to an English translation.

    .venv/bin/python benchmarks/gloss.py             # token F1 by half, and the worst pairs
    .venv/bin/python benchmarks/gloss.py --show 40

XQuAD-de dev gives each question in English and German with its answer span in both
languages ("feststehende Scheiben" / "static discs"). The German answer is glossed
(assistant/text/gloss.py) and compared with the English one as bags of words (SQuAD's token
F1, without English function words, which a word-by-word gloss cannot place). Pairs whose
answers are the same in both languages (names, numbers) are left out. Halves split the
Wikipedia paragraphs as benchmarks/quality.py does: tune on half 0, check on half 1.
"""

from __future__ import annotations

import argparse
import json
import re
import zlib
from collections import Counter
from pathlib import Path

from assistant.text import gloss

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "xquad-de-dev" / "questions.jsonl"
# English words a gloss cannot place (articles, prepositions, auxiliaries): not compared.
SKIP = frozenset(
    "the a an of to in on at for and or by with as from is are was were be that this its it "
    "his her their".split()
)


def pairs(path: Path = DATA) -> list[tuple[str, str, int]]:
    """(German answer, English answer, half) of each question asked in both languages."""
    twins: dict[str, dict[str, dict]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        twins.setdefault(row["id"].rsplit("-", 1)[0], {})[row["lang"]] = row
    return [
        (t["de"]["answer"], t["en"]["answer"], zlib.crc32(t["de"]["article"].encode()) % 2)
        for t in twins.values()
        if {"de", "en"} <= t.keys() and t["de"]["answer"] != t["en"]["answer"]
    ]


def f1(said: str, gold: str) -> float:
    """SQuAD's token F1 of two texts, lowercased, without SKIP words."""
    a, b = (
        Counter(w for w in re.findall(r"[a-z0-9]+", t.lower()) if w not in SKIP)
        for t in (said, gold)
    )
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", type=int, default=0, help="print this many of the worst pairs")
    args = parser.parse_args()
    scored = [(f1(gloss.gloss(de), en), de, en, half) for de, en, half in pairs()]
    for half in (0, 1):
        group = [s for s, *_, h in scored if h == half]
        print(f"half {half}: token F1 {sum(group) / len(group):.4f} ({len(group)} pairs)")
    print(f"all:    token F1 {sum(s for s, *_ in scored) / len(scored):.4f} ({len(scored)} pairs)")
    for score, de, en, _ in sorted(scored, key=lambda row: row[0])[: args.show]:
        print(f"{score:.2f}  {de}  →  {gloss.gloss(de)}  |  {en}")


if __name__ == "__main__":
    main()
