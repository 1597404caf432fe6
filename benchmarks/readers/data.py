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
    """(rows, ids of questions whose sentence was not found): close-to-topic questions with the
    sentence of their passage (label 0), answerable seeds questions with their answer's (1)."""
    texts = articles()
    rows, missing = [], []
    sources = [
        ("close-questions.jsonl", "near", "passage", 0, "close"),
        ("seeds-questions.jsonl", "article", "answer", 1, "seeds"),
    ]
    for name, article, span, label, group in sources:
        for line in open(MAIN / "tests/data" / name):
            r = json.loads(line)
            if not r.get(span):
                continue
            t = texts.get(r[article])
            s = find_sentence(t, r[span]) if t else None
            if s is None:
                missing.append(r["id"])
                continue
            rows.append(
                dict(id=r["id"], lang=r["lang"], question=r["question"], quote=s, label=label,
                     group=group)
            )  # fmt: skip
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
