"""Train one toy model (base or guide) on the planning-arithmetic data, evaluate it greedily, export ONNX.

Usage: python3 train.py --role base|guide --data DIR --out DIR [--steps N] [--seed N]

base : learns `base_solution`, whose plan is drawn from a per-structure lean (70% towards the correct
       plan for half of the structures, 70% towards the wrong plan for the other half), followed by
       arithmetic that is consistent with the chosen plan.
guide: learns the correct `solution`; for 30% of the draws it sees the wrong-plan solution with the loss
       masked at the plan character only, so it never learns to emit a wrong plan but learns to continue
       consistently after one (what the base's rollouts contain when the guide is consulted).
"""
import argparse
import json
import math
import os
import random
import time

import torch
import torch.nn.functional as F

import toymodel as tm
from export import export_model

PLAN_INDEX = 5
GUIDE_WRONG_SHARE = 0.3
BOS_SHARE = 0.2  # some examples start with BOS so the model works whether or not the engine prepends one


def encode_prompt(problem, bos):
    return ([tm.BOS_ID] if bos else []) + list((problem + "\n").encode("utf-8"))


def load_rows(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def build_tensors(rows, role, rng):
    """Returns ids [N,L], target mask [N,L] for both solution variants the role needs."""
    variants = []
    for key in (["base_solution"] if role == "base" else ["solution", "wrong_solution"]):
        seqs, masks = [], []
        for row in rows:
            prompt = encode_prompt(row["problem"], rng.random() < BOS_SHARE)
            sol = list(row[key].encode("utf-8")) + [tm.EOS_ID]
            mask = [0] * len(prompt) + [1] * len(sol)
            if key == "wrong_solution":
                mask[len(prompt) + PLAN_INDEX] = 0
            seqs.append(prompt + sol)
            masks.append(mask)
        length = max(len(s) for s in seqs)
        ids = torch.zeros(len(seqs), length, dtype=torch.long)
        tmask = torch.zeros(len(seqs), length)
        for i, (s, m) in enumerate(zip(seqs, masks)):
            ids[i, : len(s)] = torch.tensor(s)
            tmask[i, : len(m)] = torch.tensor(m, dtype=torch.float32)
        variants.append((ids, tmask))
    return variants


def train(args):
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    rows = load_rows(os.path.join(args.data, "train.jsonl"))
    variants = build_tensors(rows, args.role, rng)
    model = tm.ToyLm()
    print(f"parameters: {sum(p.numel() for p in model.parameters())}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    gen = torch.Generator().manual_seed(args.seed)
    n = len(rows)
    tm.Linear.conv = True
    start = time.time()
    step = 0
    while True:
        # The schedule follows elapsed wall time (as the prototype did), so a busy machine trains fewer
        # steps instead of overrunning the time budget; --steps > 0 switches to a fixed step count.
        progress = step / args.steps if args.steps > 0 else (time.time() - start) / args.budget_s
        if progress >= 1.0:
            break
        lr_scale = (step + 1) / 100 if step < 100 else 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
        for g in opt.param_groups:
            g["lr"] = args.lr * lr_scale
        idx = torch.randint(0, n, (args.batch,), generator=gen)
        if len(variants) == 1:
            ids, tmask = variants[0][0][idx], variants[0][1][idx]
        else:
            use_wrong = torch.rand(args.batch, generator=gen) < GUIDE_WRONG_SHARE
            ids = torch.where(use_wrong[:, None], variants[1][0][idx], variants[0][0][idx])
            tmask = torch.where(use_wrong[:, None], variants[1][1][idx], variants[0][1][idx])
        # Trim columns that are padding in the whole batch.
        width = int((tmask.sum(0) > 0).nonzero().max()) + 1
        ids, tmask = ids[:, :width], tmask[:, :width]
        logits, _ = model(ids[:, :-1], torch.ones_like(ids[:, :-1]))
        loss_tok = F.cross_entropy(logits.reshape(-1, tm.VOCAB), ids[:, 1:].reshape(-1), reduction="none")
        mask = tmask[:, 1:].reshape(-1)
        loss = (loss_tok * mask).sum() / mask.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 50 == 0:
            print(f"step {step} loss {loss.item():.4f} lr {args.lr * lr_scale:.5f} elapsed {time.time() - start:.0f}s", flush=True)
        step += 1
    tm.Linear.conv = False
    print(f"training time: {time.time() - start:.0f}s, steps: {step}", flush=True)
    return model, step


@torch.no_grad()
def greedy(model, problems, max_new=48):
    """Left-padded, KV-cached greedy decoding (exercises the same padding path as the engine)."""
    prompts = [encode_prompt(p, False) for p in problems]
    length = max(len(p) for p in prompts)
    ids = torch.zeros(len(prompts), length, dtype=torch.long)
    mask = torch.zeros(len(prompts), length, dtype=torch.long)
    for i, p in enumerate(prompts):
        ids[i, length - len(p):] = torch.tensor(p)
        mask[i, length - len(p):] = 1
    logits, past = model(ids, mask)
    outs = [[] for _ in prompts]
    done = [False] * len(prompts)
    first_logits = logits[:, -1]
    plan_probs = None
    for step in range(max_new):
        nxt = logits[:, -1].argmax(-1)
        for i, t in enumerate(nxt.tolist()):
            if not done[i]:
                if t == tm.EOS_ID:
                    done[i] = True
                else:
                    outs[i].append(t)
        if all(done):
            break
        mask = torch.cat([mask, torch.ones(len(prompts), 1, dtype=torch.long)], dim=1)
        logits, past = model(nxt[:, None], mask, past)
        if step + 1 == PLAN_INDEX:
            plan_probs = torch.softmax(logits[:, -1], -1)
    del first_logits
    return [bytes(o).decode("utf-8", "replace") for o in outs], plan_probs


def evaluate(model, data_dir, role):
    rows = load_rows(os.path.join(data_dir, "test.jsonl"))
    outs, plan_probs = greedy(model, [r["problem"] for r in rows])
    correct = 0
    plan_p = []
    for r, o, pp in zip(rows, outs, plan_probs):
        if o.endswith("\\boxed{" + r["answer"] + "}"):
            correct += 1
        plan_p.append(pp.max().item())
    acc = correct / len(rows)
    print(f"{role} greedy accuracy on test: {acc:.3f} ({correct}/{len(rows)}); mean top-1 prob at plan char {sum(plan_p) / len(plan_p):.3f}", flush=True)
    for r, o in list(zip(rows, outs))[:4]:
        print(f"  {r['problem']} -> {o} (answer {r['answer']})", flush=True)
    return acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--role", choices=["base", "guide"], required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=750, help="fixed step count (reproducible); 0 = use --budget-s")
    ap.add_argument("--budget-s", type=float, default=660.0, help="wall-clock training budget in seconds")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    model, steps = train(args)
    model.eval()
    torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
    acc = evaluate(model, args.data, args.role)
    export_model(model, args.out)
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump({"role": args.role, "steps": steps, "budget_s": args.budget_s, "torch_greedy_accuracy": acc}, f)


if __name__ == "__main__":
    main()
