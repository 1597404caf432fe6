"""Build (question, German quote, label) pairs from the project's test data (read-only)."""

import glob
import json
import re
from pathlib import Path

MAIN = Path(__file__).resolve().parents[2]


def articles():
    texts = {}
    for f in sorted(glob.glob(str(MAIN / "benchmarks/cache/**/articles.jsonl"), recursive=True)):
        for line in open(f):
            r = json.loads(line)
            texts.setdefault(r["id"], r["text"])
    for f in (MAIN / "seeds").glob("*.txt"):
        texts[f.stem] = f.read_text()
    for f in (MAIN / "tests/data/gnad-sample").glob("*.txt"):
        texts.setdefault(f.stem, f.read_text())
    return texts


def sentences(text):
    out = []
    for para in re.split(r"\n\s*\n|\n", text):
        para = para.strip()
        if not para:
            continue
        out += [s.strip() for s in re.split(r"(?<=[.!?\"“])\s+(?=[A-ZÄÖÜ\"„])", para) if s.strip()]
    return out


def find_sentence(text, needle):
    for s in sentences(text):
        if needle in s:
            return s
    # normalise whitespace fallback
    n = " ".join(needle.split())
    for s in sentences(text):
        if n in " ".join(s.split()):
            return s
    return None


def pairs():
    texts = articles()
    rows, missing = [], []
    for line in open(MAIN / "tests/data/close-questions.jsonl"):
        r = json.loads(line)
        t = texts.get(r["near"])
        s = find_sentence(t, r["passage"]) if t else None
        if s is None:
            missing.append(r["id"])
            continue
        rows.append(
            dict(
                id=r["id"], lang=r["lang"], question=r["question"], quote=s, label=0, group="close"
            )
        )
    for line in open(MAIN / "tests/data/seeds-questions.jsonl"):
        r = json.loads(line)
        if not r.get("answer"):
            continue
        t = texts.get(r["article"])
        s = find_sentence(t, r["answer"]) if t else None
        if s is None:
            missing.append(r["id"])
            continue
        rows.append(
            dict(
                id=r["id"], lang=r["lang"], question=r["question"], quote=s, label=1, group="seeds"
            )
        )
    return rows, missing


if __name__ == "__main__":
    rows, missing = pairs()
    print(
        len(rows),
        "pairs;",
        sum(r["label"] == 0 for r in rows),
        "close,",
        sum(r["label"] == 1 for r in rows),
        "answerable; missing:",
        missing,
    )
    for r in rows[:3] + rows[-3:]:
        print(r["id"], "|", r["question"], "|", r["quote"][:200])
    print(max(len(r["quote"]) for r in rows))
