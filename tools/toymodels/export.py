"""Export a trained ToyLm as an ONNX decoder-with-past plus HF-style config and byte-level tokenizer files."""
import json
import os

import torch

import toymodel as tm


class WithPast(torch.nn.Module):
    """Flat-argument wrapper: input_ids, attention_mask, then key/value per layer."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, *flat_past):
        past = [(flat_past[2 * i], flat_past[2 * i + 1]) for i in range(tm.LAYERS)]
        logits, presents = self.model(input_ids, attention_mask, past)
        flat = []
        for k, v in presents:
            flat += [k, v]
        return (logits, *flat)


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable unicode map (what the ByteLevel pre-tokenizer uses)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def write_tokenizer(out):
    mapping = bytes_to_unicode()
    vocab = {mapping[b]: b for b in range(256)}
    special = [("<|endoftext|>", tm.EOS_ID), ("<|startoftext|>", tm.BOS_ID)]
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": c, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
            for c, i in special
        ],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
        "model": {
            "type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
            "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
            "vocab": vocab, "merges": [],
        },
    }
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer, f, ensure_ascii=False, indent=1)
    config = {
        "add_bos_token": False,
        "add_eos_token": False,
        "bos_token": "<|startoftext|>",
        "eos_token": "<|endoftext|>",
        "pad_token": "<|endoftext|>",
        "model_max_length": 512,
        "tokenizer_class": "PreTrainedTokenizerFast",
    }
    with open(os.path.join(out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=1)


def write_config(out):
    config = {
        "architectures": ["Qwen3ForCausalLM"],
        "model_type": "qwen3",
        "hidden_size": tm.D_MODEL,
        "intermediate_size": tm.FF,
        "num_hidden_layers": tm.LAYERS,
        "num_attention_heads": tm.HEADS,
        "num_key_value_heads": tm.KV_HEADS,
        "head_dim": tm.HEAD_DIM,
        "vocab_size": tm.VOCAB,
        "max_position_embeddings": 512,
        "rope_theta": tm.ROPE_THETA,
        "rms_norm_eps": tm.EPS,
        "tie_word_embeddings": True,
        "hidden_act": "silu",
        "bos_token_id": tm.BOS_ID,
        "eos_token_id": tm.EOS_ID,
        "pad_token_id": tm.EOS_ID,
        "torch_dtype": "float32",
    }
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=1)


def export_model(model, out):
    tm.Linear.conv = False
    model.eval()
    wrapper = WithPast(model)
    b, p, s = 2, 3, 2
    ids = torch.tensor([[97, 98], [99, 100]], dtype=torch.long)
    mask = torch.ones(b, p + s, dtype=torch.long)
    past = []
    for _ in range(tm.LAYERS):
        past += [torch.zeros(b, tm.KV_HEADS, p, tm.HEAD_DIM), torch.zeros(b, tm.KV_HEADS, p, tm.HEAD_DIM)]
    input_names = ["input_ids", "attention_mask"]
    output_names = ["logits"]
    dynamic = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "total"}, "logits": {0: "batch", 1: "seq"}}
    for i in range(tm.LAYERS):
        for kind in ("key", "value"):
            input_names.append(f"past_key_values.{i}.{kind}")
            output_names.append(f"present.{i}.{kind}")
            dynamic[f"past_key_values.{i}.{kind}"] = {0: "batch", 2: "past"}
            dynamic[f"present.{i}.{kind}"] = {0: "batch", 2: "total"}
    path = os.path.join(out, "model.onnx")
    with torch.no_grad():
        torch.onnx.export(wrapper, (ids, mask, *past), path, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic, opset_version=14, do_constant_folding=True)
    write_config(out)
    write_tokenizer(out)
    write_golden(model, out)
    print(f"exported {path} ({os.path.getsize(path)} bytes)", flush=True)


@torch.no_grad()
def write_golden(model, out):
    """Torch logits for a left-padded batch with a hole, for the C# check of the exported graph."""
    prompt = list("a=3 b=4 c=6 find (a+b)*c\n".encode())
    ids = torch.tensor([prompt, [0, 0, 0] + prompt[3:]], dtype=torch.long)
    mask = torch.ones_like(ids)
    mask[1, :3] = 0
    mask[1, 10] = 0  # a hole in the middle must be ignored, not just leading padding
    logits, _ = model(ids, mask)
    golden = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "last_logits": logits[:, -1].tolist()}
    with open(os.path.join(out, "golden.json"), "w") as f:
        json.dump(golden, f)
