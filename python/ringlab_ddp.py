#!/usr/bin/env python3
"""ringlab's data-parallel training experiment as a PyTorch DistributedDataParallel program.

Exported by ringlab ("Run it on a real cluster", or `npm run train -- ... --export-ddp DIR`).
It trains the same MLP as the ringlab run it came from:

- the same layer widths, ReLU hidden layers, logits from the last layer; every linear layer
  holds W as [in, out] and computes x @ W + b, as ringlab's kernels do;
- the same initial parameters and the same seeded data set, regenerated here bit for bit
  from ringlab's generator (mulberry32 + Box-Muller, src/core/rng.ts); the script checks
  them against the FNV-1a hashes ringlab computed when it exported (EXPECTED below);
- every step's global batch drawn from the same seeded permutation, rank r taking the
  contiguous shard [r*B/N, (r+1)*B/N) as ringlab shards it;
- mean softmax cross-entropy over each rank's shard; DDP averages the gradients over the
  ranks, which makes them the global-batch mean as in ringlab;
- SGD with momentum in PyTorch's form (v = mu*v + g; p -= lr*v), the form ringlab's kernel uses;
- DDP gradient buckets equal to ringlab's (see ddp_bucket_limits for how);
- the same number of steps.

Run it on GPUs (NCCL) or CPUs (gloo):
    torchrun --nproc_per_node 8 ringlab_ddp.py
    torchrun --nnodes 2 --nproc_per_node 8 --rdzv_backend c10d --rdzv_endpoint HOST:29500 ringlab_ddp.py
    python3 ringlab_ddp.py --spawn 4 --backend gloo      # no torchrun: torch.multiprocessing
It writes a JSON report (--out, default ringlab_ddp_report.json) that ringlab's training tab
loads ("Load a DDP report") to overlay the loss curve and the step time on its own runs.
"""
import argparse
import json
import math
import os
import socket
import struct
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F

# Replaced by ringlab on export; the keys are documented in ringlab's src/core/export/ddp-export.ts.
RINGLAB_CONFIG = None  # @@RINGLAB_CONFIG@@

MASK32 = 0xFFFFFFFF


def mix32(x):
    """splitmix32 finaliser (ringlab src/core/rng.ts)."""
    z = (x + 0x9E3779B9) & MASK32
    z = ((z ^ (z >> 16)) * 0x85EBCA6B) & MASK32
    z = ((z ^ (z >> 13)) * 0xC2B2AE35) & MASK32
    return (z ^ (z >> 16)) & MASK32


class Rng:
    """ringlab's seeded generator: mulberry32 with splitmix32-derived streams, bit for bit."""

    def __init__(self, seed):
        self.seed = seed & MASK32
        self.state = mix32(self.seed)

    def uniform(self):
        self.state = (self.state + 0x6D2B79F5) & MASK32
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & MASK32
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & MASK32)) & MASK32
        return ((t ^ (t >> 14)) & MASK32) / 4294967296.0

    def normal(self):
        u1 = 1.0 - self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def int(self, n):
        return math.floor(self.uniform() * n)

    def fork(self, stream):
        return Rng(mix32(self.seed ^ mix32(stream & MASK32)))

    def shuffle(self, a):
        for i in range(len(a) - 1, 0, -1):
            j = self.int(i + 1)
            a[i], a[j] = a[j], a[i]
        return a


CENTRE_SCALE = 1.5
SPIRAL_NOISE_RAD = 0.2


def make_dataset(kind, samples, input_dim, classes, seed):
    """ringlab's makeDataset (src/core/dataset.ts): inputs as float32 [samples, input_dim], labels."""
    rng = Rng(seed)
    centres_rng, sample_rng = rng.fork(0), rng.fork(1)
    centres = [centres_rng.normal() * CENTRE_SCALE for _ in range(classes * input_dim)]
    inputs = [0.0] * (samples * input_dim)
    labels = [s % classes for s in range(samples)]
    for s in range(samples):
        label = labels[s]
        if kind == "gaussian":
            for d in range(input_dim):
                inputs[s * input_dim + d] = centres[label * input_dim + d] + sample_rng.normal()
        else:
            t = sample_rng.uniform()
            theta = (2 * math.pi * label) / classes + 4 * t + sample_rng.normal() * SPIRAL_NOISE_RAD
            inputs[s * 2] = t * math.sin(theta)
            inputs[s * 2 + 1] = t * math.cos(theta)
    x = torch.tensor(inputs, dtype=torch.float32).reshape(samples, input_dim)
    return x, torch.tensor(labels, dtype=torch.int64)


def global_batch(samples, seed, step, size, perms):
    """Sample indices of step `step`'s global batch (ringlab's globalBatch)."""
    out = []
    for j in range(size):
        pos = step * size + j
        epoch = pos // samples
        if epoch not in perms:
            perms[epoch] = Rng(seed).fork(1000 + epoch).shuffle(list(range(samples)))
        out.append(perms[epoch][pos % samples])
    return out


class Linear(nn.Module):
    """y = x @ W + b with W [in, out], as ringlab. The bias is registered first so that DDP,
    which buckets parameters in reverse registration order, meets them in ringlab's flat order
    (last layer first, weight before bias)."""

    def __init__(self, fan_in, fan_out):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(fan_out))
        self.weight = nn.Parameter(torch.zeros(fan_in, fan_out))

    def forward(self, x):
        return torch.addmm(self.bias, x, self.weight)


def make_model(layers, seed):
    """The MLP with ringlab's He-normal init: W ~ N(0, 2/fan_in) drawn layer 0 first, b = 0."""
    mods = []
    for i in range(len(layers) - 1):
        mods.append(Linear(layers[i], layers[i + 1]))
        if i < len(layers) - 2:
            mods.append(nn.ReLU())
    model = nn.Sequential(*mods)
    rng = Rng(seed)
    with torch.no_grad():
        for lin in [m for m in model if isinstance(m, Linear)]:
            fan_in, fan_out = lin.weight.shape
            std = math.sqrt(2 / fan_in)
            vals = [rng.normal() * std for _ in range(fan_in * fan_out)]
            lin.weight.copy_(torch.tensor(vals, dtype=torch.float32).reshape(fan_in, fan_out))
    return model


def ringlab_tensors(model):
    """(name, size) of every parameter in ringlab's flat order: last layer first, W then b."""
    lins = [m for m in model if isinstance(m, Linear)]
    out = []
    for i in range(len(lins) - 1, -1, -1):
        out.append((f"layer{i}.weight", lins[i].weight))
        out.append((f"layer{i}.bias", lins[i].bias))
    return out


def fnv1a(data, h=0x811C9DC5):
    for byte in data:
        h = ((h ^ byte) * 0x01000193) & MASK32
    return h


def params_hash(model):
    """FNV-1a over the float32 bytes of the parameters in ringlab's layout: equals ringlab's hash."""
    h = 0x811C9DC5
    for _, p in ringlab_tensors(model):
        h = fnv1a(p.detach().cpu().contiguous().to(torch.float32).numpy().tobytes(), h)
    return f"{h:08x}"


def dataset_hash(x, y):
    h = fnv1a(x.contiguous().numpy().tobytes())
    return f"{fnv1a(y.to(torch.int32).numpy().astype('<u4').tobytes(), h):08x}"


def ringlab_buckets(sizes_bytes, cap, first_cap):
    """ringlab's bucketing (src/core/buckets.ts): close a bucket BEFORE a tensor would overflow it."""
    buckets, cur = [], None
    for i, b in enumerate(sizes_bytes):
        limit = first_cap if len(buckets) == 1 else cap
        if cur is not None and sum(sizes_bytes[j] for j in cur) + b > limit:
            cur = None
        if cur is None:
            cur = []
            buckets.append(cur)
        cur.append(i)
    return buckets


def ddp_greedy(order, sizes_bytes, first, cap):
    """DDP's bucketing (reducer.cpp compute_bucket_assignment_by_size): tensors in gradient-ready
    order, a bucket closes once it REACHES its limit (first bucket: `first`, then `cap`)."""
    buckets, cur, total = [], [], 0
    for i in order:
        cur.append(i)
        total += sizes_bytes[i]
        if total >= (first if not buckets else cap):
            buckets.append(cur)
            cur, total = [], 0
    return buckets + ([cur] if cur else [])


def ddp_bucket_limits(sizes_bytes, buckets, cap):
    """(first bucket bytes, bucket cap bytes) under which DDP builds ringlab's `buckets`, or None.

    ringlab closes a bucket BEFORE a tensor would overflow it; DDP closes it once it reaches its
    limit, and autograd hands DDP a layer's bias gradient before its weight's. So the first limit
    is the first bucket's exact size, and the cap is ringlab's when that reproduces the later
    buckets, else one of their sizes that does. A boundary between a layer's weight and its
    bias cannot be reproduced at all (None; the report then shows both bucketings).
    """
    order = []
    for k in range(0, len(sizes_bytes), 2):  # ringlab order is W, b per layer; DDP meets b, W
        order += [k + 1, k]
    want = sorted(sorted(b) for b in buckets)
    first = sum(sizes_bytes[i] for i in buckets[0])
    for c in [cap] + sorted({sum(sizes_bytes[i] for i in b) for b in buckets[1:]}):
        if sorted(sorted(b) for b in ddp_greedy(order, sizes_bytes, first, c)) == want:
            return first, c
    return None


def hostname_label():
    return socket.gethostname()


def run(rank, world, local_rank, cfg, args):
    backend = args.backend or ("nccl" if torch.cuda.is_available() else "gloo")
    if not dist.is_initialized():
        dist.init_process_group(backend, init_method="env://", rank=rank, world_size=world)
    torch.set_num_threads(args.threads)
    device = torch.device(f"cuda:{local_rank}") if backend == "nccl" else torch.device("cpu")
    if device.type == "cuda":
        torch.cuda.set_device(device)
    layers, seed = cfg["layers"], cfg["seed"]
    global_b = cfg["global_batch"] if cfg["scaling"] == "strong" else cfg["per_rank_batch"] * world
    if global_b % world:
        raise SystemExit(f"ringlab_ddp: global batch {global_b} does not divide by {world} ranks; run on a divisor of {global_b}")
    local_b = global_b // world
    kind = "spirals" if cfg["dataset"] == "spirals" else "gaussian"
    x_all, y_all = make_dataset(kind, cfg["samples"], layers[0], layers[-1], seed)
    model = make_model(layers, seed)
    checks = {"initial_params": params_hash(model), "dataset": dataset_hash(x_all, y_all)}
    expected = cfg.get("expected", {})
    mismatch = [k for k in checks if k in expected and expected[k] != checks[k]]
    if mismatch and rank == 0:
        print(f"ringlab_ddp: WARNING {', '.join(mismatch)} differ from ringlab's ({checks} vs {expected})", file=sys.stderr)
    model.to(device)
    tensors = ringlab_tensors(model)
    sizes = [p.numel() * 4 for _, p in tensors]
    buckets = ringlab_buckets(sizes, cfg["bucket_cap_bytes"], cfg["first_bucket_bytes"])
    limits = ddp_bucket_limits(sizes, buckets, cfg["bucket_cap_bytes"])
    first_limit, cap_limit = limits if limits else (cfg["first_bucket_bytes"], cfg["bucket_cap_bytes"])
    dist._DEFAULT_FIRST_BUCKET_BYTES = first_limit
    ddp = nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if device.type == "cuda" else None, bucket_cap_mb=cap_limit / (1024 * 1024))
    opt = torch.optim.SGD(ddp.parameters(), lr=cfg["lr"], momentum=cfg["momentum"])
    x_all, y_all = x_all.to(device), y_all.to(device)
    perms, losses, accs, step_times = {}, [], [], []
    for step in range(cfg["steps"]):
        idx = global_batch(cfg["samples"], seed, step, global_b, perms)[rank * local_b:(rank + 1) * local_b]
        idx_t = torch.tensor(idx, dtype=torch.int64, device=device)
        x, y = x_all.index_select(0, idx_t), y_all.index_select(0, idx_t)
        dist.barrier()
        t0 = time.perf_counter()
        logits = ddp(x)
        loss = F.cross_entropy(logits, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        dt = time.perf_counter() - t0
        # Report the global-batch loss and the slowest rank's step time, as ringlab does.
        stats = torch.tensor([loss.item(), (logits.argmax(1) == y).float().mean().item(), dt], dtype=torch.float64, device=device)
        slow = stats[2:].clone()
        dist.all_reduce(stats[:2])
        dist.all_reduce(slow, op=dist.ReduceOp.MAX)
        losses.append(stats[0].item() / world)
        accs.append(stats[1].item() / world)
        step_times.append(slow.item())
        if rank == 0 and not args.quiet:
            print(f"step {step + 1}/{cfg['steps']}: loss {losses[-1]:.6f} acc {accs[-1] * 100:.1f}% {step_times[-1] * 1e3:.2f} ms", file=sys.stderr)
    mine = torch.tensor([int(params_hash(model), 16)], dtype=torch.int64, device=device)
    gathered = [torch.zeros_like(mine) for _ in range(world)]
    dist.all_gather(gathered, mine)
    hosts = [None] * world
    dist.all_gather_object(hosts, hostname_label())
    log = ddp._get_ddp_logging_data()
    ddp_buckets = [[int(i) for i in s.split()] for s in str(log.get("rebuilt_per_bucket_param_indices", "")).split(",") if s.strip()]
    if rank == 0:
        # DDP's indices count parameters in registration order (b0, W0, b1, W1, ...); name them.
        reg = [f"layer{i // 2}.{'bias' if i % 2 == 0 else 'weight'}" for i in range(2 * (len(layers) - 1))]
        report = {
            "tool": "ringlab_ddp.py",
            "config": cfg,
            "backend": backend,
            "world_size": world,
            "hosts": sorted(set(hosts)),
            "host": hostname_label(),
            "device": str(device) if device.type == "cpu" else torch.cuda.get_device_name(device),
            "torch_version": torch.__version__,
            "global_batch": global_b,
            "losses": losses,
            "accuracies": accs,
            "step_times_s": step_times,
            "param_hashes": [f"{int(g.item()) & MASK32:08x}" for g in gathered],
            "checks": {**checks, "expected": expected, "match": not mismatch},
            "buckets": {
                "ringlab": [[tensors[i][0] for i in b] for b in buckets],
                # DDP rebuilds its buckets after the first step; before that it has one.
                "ddp": [[reg[i] for i in b] for b in ddp_buckets] if ddp_buckets else None,
                "match": None if not ddp_buckets else sorted(sorted(b) for b in [[tensors[i][0] for i in b] for b in buckets]) == sorted(sorted(reg[i] for i in b) for b in ddp_buckets),
                "first_bucket_bytes": first_limit,
                "bucket_cap_mb": cap_limit / (1024 * 1024),
            },
        }
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2)
        print(f"ringlab_ddp: {world} rank(s) on {backend}: final loss {losses[-1]:.6f}; wrote {args.out}", file=sys.stderr)
    # Free DDP's reducer while the process group still exists: torch 1.13's gloo reducer could
    # hang in its destructor when it outlived destroy_process_group.
    del ddp, opt
    dist.barrier()
    dist.destroy_process_group()


def spawned(rank, world, cfg, args, port):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE=str(world), LOCAL_RANK=str(rank))
    run(rank, world, rank, cfg, args)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser(description="ringlab's training experiment on PyTorch DDP (see the file's docstring)")
    ap.add_argument("--spawn", type=int, metavar="N", help="start N local processes with torch.multiprocessing instead of torchrun")
    ap.add_argument("--backend", choices=["nccl", "gloo"], help="default: nccl when CUDA is available, else gloo")
    ap.add_argument("--out", default="ringlab_ddp_report.json", help="JSON report (written by rank 0)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads per process (default 1)")
    ap.add_argument("--quiet", action="store_true", help="no per-step progress")
    args = ap.parse_args()
    cfg = RINGLAB_CONFIG
    if cfg is None:
        raise SystemExit("ringlab_ddp: no experiment in this copy; export one from ringlab (npm run train -- --export-ddp DIR)")
    if args.spawn is not None:
        if args.spawn < 1:
            raise SystemExit(f"ringlab_ddp: --spawn needs N >= 1, got {args.spawn}")
        mp.spawn(spawned, args=(args.spawn, cfg, args, free_port()), nprocs=args.spawn, join=True)
    elif "RANK" in os.environ and "WORLD_SIZE" in os.environ:
        run(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), int(os.environ.get("LOCAL_RANK", "0")), cfg, args)
    else:
        os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(free_port()))
        run(0, 1, 0, cfg, args)


if __name__ == "__main__":
    main()
