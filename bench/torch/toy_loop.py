#!/usr/bin/python3
"""A plain PyTorch decode loop over the toy pair's ONNX weights: the baseline a researcher writes in an afternoon.

All problems of an arm step in lock step as one batch (left-padded prompts), KV caches grow by concatenation,
greedy decoding, arms base / guide / guided (cross-entropy gate with the calibration's tau, lambda, W) /
random (the guided arm's mean realised rho, positions from the same seeded stream as EvalCluster's RandomGate).
With --compare it checks every response against an EvalCluster run's samples.jsonl, token for token.

Debian: apt-get install -y python3-torch python3-onnx python3-numpy (bench only). Run with /usr/bin/python3.
"""
import argparse, hashlib, json, struct, sys, time

import numpy as np
import onnx
import torch
from onnx import numpy_helper

EOS = 256


class ToyLm:
    """The Qwen3-style decoder of models/toy, weights read from model.onnx by the names of the nodes using them."""

    def __init__(self, folder):
        cfg = json.load(open(f"{folder}/config.json"))
        self.layers, self.heads, self.kv_heads = cfg["num_hidden_layers"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
        self.head_dim, theta = cfg["head_dim"], cfg.get("rope_theta", 10000.0)
        self.eps = cfg.get("rms_norm_eps", 1e-6)
        model = onnx.load(f"{folder}/model.onnx")
        init = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in model.graph.initializer}
        self.w = {k: v for k, v in init.items() if k.startswith("model.")}
        for node in model.graph.node:
            if node.op_type == "MatMul" and node.input[1] in init:
                # '/model/layers.0/self_attn/q_proj/MatMul_output_0' -> 'layers.0.self_attn.q_proj'
                path = node.output[0].strip("/").split("/")
                name = ".".join(p for p in path[:-1] if p != "model") if len(path) > 1 else "lm_head"
                self.w[name] = init[node.input[1]]
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float32) / self.head_dim))

    def norm(self, x, weight):
        return x / torch.sqrt((x * x).mean(-1, keepdim=True) + self.eps) * weight

    def forward(self, ids, mask, past):
        """ids [B,S], mask [B,P+S] (1 = real token), past: list of (k, v) [B,kv,P,hd] or None -> log-probs [B,S,V], present."""
        b, s = ids.shape
        total = mask.shape[1]
        p = total - s
        pos = (mask.cumsum(-1) - 1).clamp(min=0)[:, p:].float()
        freqs = pos[..., None] * self.inv_freq
        emb = torch.cat([freqs, freqs], -1)
        cos, sin = emb.cos()[:, None], emb.sin()[:, None]
        causal = torch.arange(total)[None, :] <= torch.arange(p, total)[:, None]
        allowed = causal[None, None] & mask.bool()[:, None, None, :]
        bias = torch.where(allowed, 0.0, -1e9)
        x = self.w["model.embed"][ids]
        present = []
        for l in range(self.layers):
            pre = f"layers.{l}"
            h = self.norm(x, self.w[f"model.{pre}.input_layernorm.weight"])
            q = self.rope(self.norm((h @ self.w[f"{pre}.self_attn.q_proj"]).view(b, s, self.heads, -1), self.w[f"model.{pre}.self_attn.q_norm.weight"]).transpose(1, 2), cos, sin)
            k = self.rope(self.norm((h @ self.w[f"{pre}.self_attn.k_proj"]).view(b, s, self.kv_heads, -1), self.w[f"model.{pre}.self_attn.k_norm.weight"]).transpose(1, 2), cos, sin)
            v = (h @ self.w[f"{pre}.self_attn.v_proj"]).view(b, s, self.kv_heads, -1).transpose(1, 2)
            if past is not None:
                k, v = torch.cat([past[l][0], k], 2), torch.cat([past[l][1], v], 2)
            present.append((k, v))
            rep = self.heads // self.kv_heads
            kk, vv = k.repeat_interleave(rep, 1), v.repeat_interleave(rep, 1)
            att = torch.softmax(q @ kk.transpose(-1, -2) / self.head_dim ** 0.5 + bias, -1)
            ctx = (att @ vv).transpose(1, 2).reshape(b, s, -1)
            x = x + ctx @ self.w[f"{pre}.self_attn.o_proj"]
            m = self.norm(x, self.w[f"model.{pre}.post_attention_layernorm.weight"])
            g = m @ self.w[f"{pre}.mlp.gate_proj"]
            x = x + (g * torch.sigmoid(g) * (m @ self.w[f"{pre}.mlp.up_proj"])) @ self.w[f"{pre}.mlp.down_proj"]
        logits = self.norm(x, self.w["model.norm.weight"]) @ self.w["lm_head"]
        return torch.log_softmax(logits, -1), present

    @staticmethod
    def rope(x, cos, sin):
        half = x.shape[-1] // 2
        return x * cos + torch.cat([-x[..., half:], x[..., :half]], -1) * sin


class Batch:
    """One model's lock-step batch: left-padded prompts, then one token per row per step."""

    def __init__(self, lm, prompts):
        self.lm = lm
        width = max(len(p) for p in prompts)
        self.mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
        ids = torch.tensor([[0] * (width - len(p)) + p for p in prompts])
        lp, self.past = lm.forward(ids, self.mask, None)
        self.last = lp[:, -1]

    def step(self, tokens):
        self.mask = torch.cat([self.mask, torch.ones(len(tokens), 1, dtype=self.mask.dtype)], 1)
        lp, self.past = self.lm.forward(torch.tensor(tokens)[:, None], self.mask, self.past)
        self.last = lp[:, -1]


def gate_seed(run_seed, problem_id, sample, arm):
    text = f"{run_seed}\x1f{problem_id}\x1f{sample}\x1f{arm}/gate".encode()
    return struct.unpack("<Q", hashlib.sha256(text).digest()[:8])[0]


class SplitMix64:
    def __init__(self, seed):
        self.state = seed

    def next_double(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return ((z ^ (z >> 31)) >> 11) * (1.0 / (1 << 53))


def run_arm(arm, base, guide, prompts, max_new, cal, ids, rho=None):
    n = len(prompts)
    b = Batch(base, prompts) if arm != "guide" else None
    g = Batch(guide, prompts) if arm != "base" else None
    out = [[] for _ in range(n)]
    takeovers = [0] * n
    windows = [[] for _ in range(n)]
    rngs = [SplitMix64(gate_seed(0, pid, 0, "random")) for pid in ids] if arm == "random" else None
    done = [False] * n
    for t in range(max_new):
        if arm == "base":
            choice = b.last.argmax(-1).tolist()
        elif arm == "guide":
            choice = g.last.argmax(-1).tolist()
            takeovers = [k + (not d) for k, d in zip(takeovers, done)]
        else:
            if arm == "guided":
                score = (-(b.last.exp() * g.last).sum(-1)).double().tolist()
                use_guide = []
                for i in range(n):
                    w = windows[i]
                    mean = sum(w) / len(w) if w else None
                    s = score[i]
                    use_guide.append(s > cal["tau"] and (mean is None or s > cal["lambda"] * mean))
                    w.append(s)
                    del w[:-cal["window"]]
            else:
                use_guide = [r.next_double() < rho for r in rngs]
            bc, gc = b.last.argmax(-1).tolist(), g.last.argmax(-1).tolist()
            choice = [gc[i] if use_guide[i] else bc[i] for i in range(n)]
            takeovers = [k + (u and not d) for k, u, d in zip(takeovers, use_guide, done)]
        for i in range(n):
            if not done[i]:
                out[i].append(choice[i])
                done[i] = choice[i] == EOS
        if all(done):
            break
        if b is not None:
            b.step(choice)
        if g is not None:
            g.step(choice)
    return out, takeovers


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--guide", required=True)
    ap.add_argument("--problems", required=True, help="toy-plan.jsonl")
    ap.add_argument("--calibration", required=True)
    ap.add_argument("--preamble", default="", help="text put before every prompt (the long-prompt variant)")
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--compare", help="an EvalCluster samples.jsonl of the same problems and arms")
    ap.add_argument("--arms", default="base,guide,guided,random")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_grad_enabled(False)
    cal = json.load(open(a.calibration))
    if "entries" in cal:
        # Calibration format 2 (one entry per spike ratio r): the default guided arm uses the only entry, as `run` does.
        if len(cal["entries"]) != 1:
            sys.exit(f"{a.calibration}: {len(cal['entries'])} entries; this loop takes a file with one (calibrate -r R)")
        cal = {**cal["entries"][0], "window": cal["window"]}
    rows = [json.loads(l) for l in open(a.problems) if l.strip()]
    tok = json.load(open(f"{a.base}/tokenizer.json"))["model"]["vocab"]
    byte_map = gpt2_bytes()
    def encode(text):
        return [tok[byte_map[c]] for c in text.encode("utf-8")]
    inv = {v: k for k, v in tok.items()}
    unmap = {ch: b for b, ch in byte_map.items()}
    def decode(ids):
        return bytes(unmap[c] for i in ids if i < 256 for c in inv[i]).decode("utf-8", "replace")
    prompts = [encode(a.preamble + r["problem"] + "\n") for r in rows]
    ids = [r["id"] for r in rows]
    base, guide = ToyLm(a.base), ToyLm(a.guide)
    results, times = {}, {}
    start = time.time()
    rho = None
    for arm in a.arms.split(","):
        t0 = time.time()
        out, takeovers = run_arm(arm, base, guide, prompts, a.max_new_tokens, cal, ids, rho)
        times[arm] = time.time() - t0
        results[arm] = (out, takeovers)
        if arm == "guided":
            rho = float(f"{np.mean([k / len(o) for k, o in zip(takeovers, out)]):.6f}")
    total = time.time() - start
    tokens = sum(len(o) for out, _ in results.values() for o in out)
    print(f"torch loop: {len(rows)} problems x {len(results)} arms, {tokens} tokens, {total:.1f} s "
          f"({', '.join(f'{k} {v:.1f} s' for k, v in times.items())}), guided rho {rho}")
    if a.compare:
        theirs = {}
        for line in open(a.compare):
            r = json.loads(line)
            theirs[(r["arm"], r["problem_id"])] = r["response"]
        same = differ = missing = 0
        for arm, (out, _) in results.items():
            for pid, o in zip(ids, out):
                text = decode(o)
                if (arm, pid) not in theirs:
                    missing += 1
                elif theirs[(arm, pid)] == text:
                    same += 1
                else:
                    differ += 1
                    if differ <= 3:
                        print(f"  differs: {arm} {pid}: torch {text!r} vs evalcluster {theirs[(arm, pid)]!r}")
        print(f"identical responses: {same} of {same + differ + missing} (differ {differ}, missing {missing})")
    print(json.dumps({"seconds": round(total, 2), "tokens": tokens}))


def gpt2_bytes():
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\xa1"), ord("\xac") + 1)) + list(range(ord("\xae"), ord("\xff") + 1))
    mapping, n = {}, 0
    for b in range(256):
        if b in printable:
            mapping[b] = chr(b)
        else:
            mapping[b] = chr(256 + n)
            n += 1
    return mapping


if __name__ == "__main__":
    main()
