"""Train and measure the answerability head: does this quote state what the question asks?

    .venv/bin/python benchmarks/answerability_pairs.py          # the pairs, once (~1 min)
    .venv/bin/python benchmarks/answerability.py --fold 0       # train on half 0, measure on 1

A cross-encoder on the bundled model's own weights (the converted multilingual-e5-small): the
question ("query: …") and the quote ("passage: …") are read together; the lower layers stay as
they are (their output is computed once and cached), the top TOP_LAYERS are fine-tuned with a
linear head on the mean of the last layer. Trained on the XQuAD pairs of half the Wikipedia
articles (fold) plus the close-to-topic dev half; measured on the other half of XQuAD, the
close test half and the seeds among gnad, which it never saw.
"""

from __future__ import annotations

import argparse
import copy
import json
import time

import numpy as np
import torch
from quality import CACHE
from sklearn.metrics import roc_auc_score

from assistant.indexing.convert import cached_folder

TOP_LAYERS = 2
MAX_TOKENS = 256
QUOTE_MARGIN = 0.04  # tuning.QUOTE_MARGIN: the quotes an answer shows


def encoder():
    from transformers import AutoModel, PreTrainedTokenizerFast

    folder = cached_folder()
    model = AutoModel.from_pretrained(folder, attn_implementation="eager").eval()
    return model, PreTrainedTokenizerFast.from_pretrained(folder)


def additive(mask: torch.Tensor) -> torch.Tensor:
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


@torch.no_grad()
def lower_states(model, tokenizer, rows: list[dict], batch: int = 32) -> list[torch.Tensor]:
    """The output of the frozen layers per pair (its real tokens only), in float16."""
    keep = len(model.encoder.layer) - TOP_LAYERS
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]["quote"]))
    states: list[torch.Tensor | None] = [None] * len(rows)
    started = time.time()
    for b in range(0, len(order), batch):
        idx = order[b : b + batch]
        enc = tokenizer(
            ["query: " + rows[i]["question"] for i in idx],
            ["passage: " + rows[i]["quote"] for i in idx],
            truncation="only_second",
            max_length=MAX_TOKENS,
            padding=True,
            return_tensors="pt",
        )
        hidden = model.embeddings(input_ids=enc["input_ids"])
        mask = additive(enc["attention_mask"])
        for layer in model.encoder.layer[:keep]:
            hidden = layer(hidden, attention_mask=mask)
        for j, i in enumerate(idx):
            n = int(enc["attention_mask"][j].sum())
            states[i] = hidden[j, :n].to(torch.float16)
        if b // batch % 50 == 0:
            print(f"  lower layers {b + len(idx)}/{len(rows)} {time.time() - started:.0f} s")
    return states  # type: ignore[return-value]


class Head(torch.nn.Module):
    def __init__(self, model) -> None:
        super().__init__()
        self.layers = torch.nn.ModuleList(copy.deepcopy(model.encoder.layer[-TOP_LAYERS:]))
        self.out = torch.nn.Linear(model.config.hidden_size, 1)

    def forward(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        extended = additive(mask)
        for layer in self.layers:
            hidden = layer(hidden, attention_mask=extended)
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        return self.out(pooled).squeeze(-1)


def padded(states: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    longest = max(len(s) for s in states)
    hidden = torch.zeros(len(states), longest, states[0].shape[1])
    mask = torch.zeros(len(states), longest)
    for i, s in enumerate(states):
        hidden[i, : len(s)] = s.float()
        mask[i, : len(s)] = 1
    return hidden, mask


def train(head: Head, states, labels, epochs: int, seed: int = 0, lr: float = 3e-5) -> None:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    optimiser = torch.optim.AdamW(
        [
            {"params": head.layers.parameters(), "lr": lr},
            {"params": head.out.parameters(), "lr": 1e-3},
        ],
        weight_decay=0.01,
    )
    positive = float(np.mean(labels))
    weight = torch.tensor((1 - positive) / positive)
    head.train()
    for epoch in range(epochs):
        order = rng.permutation(len(states))
        losses, started = [], time.time()
        for b in range(0, len(order), 16):
            idx = order[b : b + 16]
            hidden, mask = padded([states[i] for i in idx])
            target = torch.tensor([float(labels[i]) for i in idx])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                head(hidden, mask), target, pos_weight=weight
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            losses.append(float(loss.detach()))
        print(f"  epoch {epoch + 1}: loss {np.mean(losses):.4f} ({time.time() - started:.0f} s)")
    head.eval()


@torch.no_grad()
def scores(head: Head, states) -> np.ndarray:
    out = []
    for b in range(0, len(states), 64):
        hidden, mask = padded(states[b : b + 64])
        out.append(torch.sigmoid(head(hidden, mask)).numpy())
    return np.concatenate(out)


def questions(rows: list[dict], p: np.ndarray) -> list[dict]:
    """Per question and variant: abstained already, and P of the best shown quote."""
    by: dict[tuple, list[int]] = {}
    for i, r in enumerate(rows):
        by.setdefault((r["set"], r["id"], r["variant"]), []).append(i)
    out = []
    for (name, qid, variant), idx in by.items():
        best = rows[idx[0]]["margin"]
        shown = [i for i in idx if rows[i]["margin"] >= best - QUOTE_MARGIN][:3]
        out.append(
            dict(
                set=name,
                id=qid,
                variant=variant,
                lang=rows[idx[0]]["lang"],
                group=rows[idx[0]]["group"],
                abstained=best < 0,
                p=float(max(p[i] for i in shown)),
                gold=any(rows[i]["label"] for i in shown),
                answerable=rows[idx[0]]["answerable"],
            )
        )
    return out


def report(qs: list[dict], cut: float, label: str) -> None:
    def rate(group, unanswerable):
        said = [q["abstained"] if unanswerable else False for q in group]
        fired = [not q["abstained"] and q["p"] < cut for q in group]
        said = [s or f for s, f in zip(said, fired, strict=True)]
        return f"{np.mean(said):.3f} ({len(group)})" if group else "-"

    print(f"{label}: cut P < {cut:.3f}")
    for name, group, unanswerable in [
        ("xquad held-out answerable, gold shown: false not-stated",
         [q for q in qs if q["set"] == "xquad" and q["answerable"] and q["gold"]], False),
        ("xquad held-out answerable, all: not-stated",
         [q for q in qs if q["set"] == "xquad" and q["answerable"]], False),
        ("xquad held-out, paragraph hidden: abstain/not-stated",
         [q for q in qs if q["set"] == "xquad" and q["variant"] == "hidden" and not q["gold"]],
         True),
        ("close test: abstain/not-stated", [q for q in qs if q["set"] == "close"], True),
        ("seeds+gnad unanswerable: abstain/not-stated",
         [q for q in qs if q["set"] == "seeds+gnad" and not q["answerable"]], True),
        ("seeds+gnad answerable: false not-stated",
         [q for q in qs if q["set"] == "seeds+gnad" and q["answerable"]], False),
    ]:  # fmt: skip
        print(f"  {name:<56} {rate(group, unanswerable)}")


def main() -> None:
    global TOP_LAYERS
    parser = argparse.ArgumentParser()
    parser.add_argument("--fold", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--top-layers", type=int, default=TOP_LAYERS)
    parser.add_argument("--false-rate", type=float, default=0.05)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--save", help="write the trained head here (torch state dict)")
    args = parser.parse_args()
    TOP_LAYERS = args.top_layers
    torch.set_num_threads(2)
    rows = [json.loads(line) for line in (CACHE / "pairs.jsonl").read_text().splitlines()]

    def trained_on(r: dict) -> bool:
        if r["set"] == "xquad":
            return args.fold < 0 or int(r["group"]) % 2 == args.fold
        return r["set"] == "close" and r["group"] == "dev"

    train_rows = [r for r in rows if trained_on(r)]
    test_rows = [r for r in rows if not trained_on(r) and r["set"] != "close" or
                 r["set"] == "close" and r["group"] == "test"]  # fmt: skip
    model, tokenizer = encoder()
    saved = CACHE / f"states-fold{args.fold}-top{TOP_LAYERS}.pt"
    if saved.exists():
        states_train, states_test = torch.load(saved)
    else:
        states_train = lower_states(model, tokenizer, train_rows)
        states_test = lower_states(model, tokenizer, test_rows)
        torch.save((states_train, states_test), saved)
    head = Head(model)
    train(head, states_train, [r["label"] for r in train_rows], args.epochs, lr=args.lr)
    p_train, p_test = scores(head, states_train), scores(head, states_test)
    for name in ("xquad", "seeds+gnad"):
        pick = [i for i, r in enumerate(test_rows) if r["set"] == name]
        y = [test_rows[i]["label"] for i in pick]
        margin = [test_rows[i]["margin"] for i in pick]
        print(f"pair AUC held-out {name}: head {roc_auc_score(y, p_test[pick]):.3f}, "
              f"retrieval margin alone {roc_auc_score(y, margin):.3f}")  # fmt: skip
    q_train = questions(train_rows, p_train)
    answerable = [q["p"] for q in q_train if q["answerable"] and q["gold"] and not q["abstained"]]
    cut = float(np.quantile(answerable, args.false_rate))
    report(questions(test_rows, p_test), cut, f"held-out (fold {args.fold})")
    if args.save:
        torch.save({"state": head.state_dict(), "cut": cut, "top_layers": TOP_LAYERS}, args.save)


if __name__ == "__main__":
    main()
