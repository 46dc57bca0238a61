"""Qwen3-like toy decoder (RMSNorm with q/k norm, rotary, grouped-query attention, SwiGLU, tied embeddings).

One module serves training and export. During training each linear layer runs as a 1x1 conv2d, because
Debian's torch links the reference BLAS (slow matmul) while oneDNN convolutions are about 7x faster on
CPU; export switches to plain MatMul so the ONNX graph is the ordinary decoder.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 258          # 256 bytes + <|endoftext|> (256) + <|startoftext|> (257)
EOS_ID = 256
BOS_ID = 257
D_MODEL = 96
LAYERS = 4
HEADS = 4
KV_HEADS = 2
HEAD_DIM = 24
FF = 256
ROPE_THETA = 10000.0
EPS = 1e-6
MASK_MIN = -1e9      # finite on purpose: a fully masked row must not produce NaN


class Linear(nn.Module):
    """Weight-only linear layer; `conv` selects the oneDNN path used for training speed."""

    conv = False

    def __init__(self, d_in, d_out):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(d_out, d_in) / math.sqrt(d_in))

    def forward(self, x):
        if Linear.conv:
            shape = x.shape
            y = F.conv2d(x.reshape(-1, shape[-1], 1, 1), self.weight[:, :, None, None])
            return y.reshape(*shape[:-1], self.weight.shape[0])
        return torch.matmul(x, self.weight.t())


class RMSNorm(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj = Linear(D_MODEL, HEADS * HEAD_DIM)
        self.k_proj = Linear(D_MODEL, KV_HEADS * HEAD_DIM)
        self.v_proj = Linear(D_MODEL, KV_HEADS * HEAD_DIM)
        self.o_proj = Linear(HEADS * HEAD_DIM, D_MODEL)
        self.q_norm = RMSNorm(HEAD_DIM)
        self.k_norm = RMSNorm(HEAD_DIM)

    def forward(self, x, cos, sin, bias, past_k, past_v):
        b, s, _ = x.shape
        q = self.q_norm(self.q_proj(x).view(b, s, HEADS, HEAD_DIM)).transpose(1, 2)
        k = self.k_norm(self.k_proj(x).view(b, s, KV_HEADS, HEAD_DIM)).transpose(1, 2)
        v = self.v_proj(x).view(b, s, KV_HEADS, HEAD_DIM).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        present = (k, v)
        t = k.shape[2]
        # Grouped-query attention by unsqueeze/expand/reshape: repeat_interleave would freeze a traced length.
        rep = HEADS // KV_HEADS
        kk = k.unsqueeze(2).expand(b, KV_HEADS, rep, t, HEAD_DIM).reshape(b, HEADS, t, HEAD_DIM)
        vv = v.unsqueeze(2).expand(b, KV_HEADS, rep, t, HEAD_DIM).reshape(b, HEADS, t, HEAD_DIM)
        scores = torch.matmul(q, kk.transpose(-1, -2)) * (1.0 / math.sqrt(HEAD_DIM)) + bias
        out = torch.matmul(torch.softmax(scores, dim=-1), vv)
        out = out.transpose(1, 2).reshape(b, s, HEADS * HEAD_DIM)
        return self.o_proj(out), present


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate_proj = Linear(D_MODEL, FF)
        self.up_proj = Linear(D_MODEL, FF)
        self.down_proj = Linear(FF, D_MODEL)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_layernorm = RMSNorm(D_MODEL)
        self.self_attn = Attention()
        self.post_attention_layernorm = RMSNorm(D_MODEL)
        self.mlp = MLP()

    def forward(self, x, cos, sin, bias, past_k, past_v):
        a, present = self.self_attn(self.input_layernorm(x), cos, sin, bias, past_k, past_v)
        x = x + a
        return x + self.mlp(self.post_attention_layernorm(x)), present


class ToyLm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Parameter(torch.randn(VOCAB, D_MODEL) * 0.05)
        self.layers = nn.ModuleList([Block() for _ in range(LAYERS)])
        self.norm = RMSNorm(D_MODEL)
        inv = 1.0 / (ROPE_THETA ** (torch.arange(0, HEAD_DIM, 2, dtype=torch.float32) / HEAD_DIM))
        self.register_buffer("inv_freq", inv, persistent=False)

    def rope(self, positions):
        freqs = positions.to(torch.float32).unsqueeze(-1) * self.inv_freq
        emb = torch.cat([freqs, freqs], dim=-1)
        return emb.cos().unsqueeze(1), emb.sin().unsqueeze(1)

    def forward(self, input_ids, attention_mask, past=None):
        """input_ids [B,S]; attention_mask [B,P+S] (1 = real token, 0 = padding or hole);
        past: list of (k, v) [B,kvh,P,hd] or None. Returns logits [B,S,V] and the presents."""
        s = input_ids.shape[1]
        t = attention_mask.shape[1]
        p = t - s
        # Positions count only real tokens, so left padding and holes give the same positions as none.
        positions = (torch.cumsum(attention_mask, dim=1) - 1).clamp(min=0)[:, p:]
        cos, sin = self.rope(positions)
        query_abs = torch.arange(s, device=input_ids.device).unsqueeze(1) + p
        key_abs = torch.arange(t, device=input_ids.device).unsqueeze(0)
        causal = (key_abs <= query_abs).unsqueeze(0).unsqueeze(0)
        keep = causal & (attention_mask > 0).unsqueeze(1).unsqueeze(1)
        bias = (1.0 - keep.to(torch.float32)) * MASK_MIN
        x = F.embedding(input_ids, self.embed)
        presents = []
        for i, layer in enumerate(self.layers):
            pk, pv = (past[i] if past is not None else (None, None))
            x, present = layer(x, cos, sin, bias, pk, pv)
            presents.append(present)
        x = self.norm(x)
        if Linear.conv:
            shape = x.shape
            logits = F.conv2d(x.reshape(-1, D_MODEL, 1, 1), self.embed[:, :, None, None]).reshape(*shape[:-1], VOCAB)
        else:
            logits = torch.matmul(x, self.embed.t())
        return logits, presents
