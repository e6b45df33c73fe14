#!/usr/bin/env python3
"""ringlab's benchmark sweep on torch.distributed, with nccl-tests' semantics and output.

Exported by ringlab (benchmark tab "Run it on a real cluster", or `npm run bench -- ... --export DIR`).
Like NVIDIA's nccl-tests (all_reduce_perf and siblings) it sweeps message sizes from -b to -e by
-f, warms up every size, times -n iterations back to back per size (one timer around all of
them, divided by -n), reduces that time across ranks as -a says (0 rank 0, 1 average, 2 min,
3 max), computes algbw = S/t and busbw = algbw x factor (nccl-tests' doc/PERFORMANCE.md), checks
the result -c times counting wrong elements on every rank, and prints an out-of-place block
(separate send and receive buffers) and an in-place block per size. With --out it writes the
JSON layout of nccl-tests' -J (format version 3), which ringlab's "Compare with a real cluster"
reads.

    torchrun --nproc_per_node 8 ringlab_collectives.py -b 8 -e 128M -f 2 --out all_reduce.json
    python3 ringlab_collectives.py --spawn 4 --backend gloo -b 8 -e 1M -f 4
    python3 ringlab_collectives.py --collective all_gather --spawn 2 --backend gloo

What torch.distributed cannot do as NCCL does is said in the output, never hidden:
- all_reduce and broadcast work in place in torch.distributed: the out-of-place block copies the
  send buffer into the receive buffer and runs in place there (the copy is timed);
- gloo has no reduce_scatter and no average op: on gloo, reduce_scatter is an all_reduce of the
  whole send buffer followed by a copy of this rank's chunk, and avg is sum then divide by N.
"""
import argparse
import datetime
import json
import os
import socket
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

COLLECTIVES = ["all_reduce", "reduce_scatter", "all_gather", "broadcast"]
OPS = {"sum": "SUM", "prod": "PRODUCT", "min": "MIN", "max": "MAX", "avg": "AVG"}
AVERAGE_NAMES = {0: "rank 0", 1: "average over ranks", 2: "min over ranks", 3: "max over ranks"}
ELT = 4  # float32


def parse_size(text):
    """nccl-tests' sizes: 8, 64K, 1M, 2G (powers of 1024)."""
    t = text.strip().upper()
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(t[-1:], 1)
    try:
        value = int(t[:-1] if mult > 1 else t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"size '{text}': expected bytes such as 8, 64K, 1M, 2G")
    if value < 0:
        raise argparse.ArgumentTypeError(f"size '{text}' is negative")
    return value * mult


def counts(collective, size, nranks):
    """(size printed, count printed, send elements, recv elements): nccl-tests' GetCollByteCount."""
    count = size // ELT
    if collective in ("all_gather", "reduce_scatter"):
        base = (count // nranks) & ~(16 // ELT - 1)
        send, recv = (base, base * nranks) if collective == "all_gather" else (base * nranks, base)
        return base * nranks * ELT, base, send, recv
    return count * ELT, count, count, count


def bus_factor(collective, n):
    """nccl-tests' busbw factor."""
    if collective == "all_reduce":
        return 2 * (n - 1) / n
    if collective in ("all_gather", "reduce_scatter"):
        return (n - 1) / n
    return 1.0


def fmt_time(us):
    return f"{us:7.2f}" if us < 100 else f"{us:7.1f}" if us < 10000 else f"{us:7.0f}"


def fmt_g(x):
    return f"{x:g}"


class Coll:
    """One collective on one size, out of place or in place, on torch.distributed."""

    def __init__(self, collective, op, root, rank, n, backend, send_elts, recv_elts, device):
        self.collective, self.op, self.root, self.rank, self.n = collective, op, root, rank, n
        self.gloo = backend == "gloo"
        self.send_elts, self.recv_elts = send_elts, recv_elts
        self.send = torch.zeros(send_elts, dtype=torch.float32, device=device)
        # gloo's reduce_scatter stand-in reduces the whole buffer in the receive buffer.
        self.recv = torch.zeros(send_elts if collective == "reduce_scatter" else recv_elts, dtype=torch.float32, device=device)
        red = "SUM" if (op == "avg" and self.gloo) else OPS[op]
        self.redop = getattr(dist.ReduceOp, red)

    def value(self, r, idx):
        """Rank r's input: small integers, so every op's result is exact in float32."""
        return ((idx + r) % 3 + 1).to(torch.float32)

    def init(self, in_place):
        n, r = self.n, self.rank
        idx = torch.arange(self.send.numel(), device=self.send.device)
        if self.collective == "all_gather":
            base = self.send_elts
            self.recv.zero_()
            mine = self.value(r, torch.arange(base, device=self.recv.device) + r * base)
            (self.recv[r * base:(r + 1) * base] if in_place else self.send[:base]).copy_(mine)
        else:
            self.send.copy_(self.value(r, idx))
            self.recv.zero_()
        self.in_place = in_place

    def run(self):
        c, s, rv = self.collective, self.send, self.recv
        if max(self.send_elts, self.recv_elts) == 0:
            return  # a size below one element per rank: nothing moves (nccl-tests prints 0 B)
        if c == "all_reduce":
            buf = s if self.in_place else rv
            if not self.in_place:
                rv.copy_(s)
            dist.all_reduce(buf, op=self.redop)
            if self.op == "avg" and self.gloo:
                buf.div_(self.n)
        elif c == "broadcast":
            buf = s if self.in_place else rv
            if not self.in_place:
                rv.copy_(s)
            dist.broadcast(buf, src=self.root)
        elif c == "all_gather":
            base = self.send_elts
            src = rv[self.rank * base:(self.rank + 1) * base] if self.in_place else s[:base]
            dist.all_gather([rv[i * base:(i + 1) * base] for i in range(self.n)], src.clone() if self.in_place else src)
        else:  # reduce_scatter
            base = self.recv_elts
            if self.gloo:
                work = s if self.in_place else rv
                if not self.in_place:
                    rv.copy_(s)
                dist.all_reduce(work, op=self.redop)
                if self.in_place:
                    pass  # this rank's chunk already sits at its in-place offset
                else:
                    rv[:base].copy_(work[self.rank * base:(self.rank + 1) * base])
            else:
                out = s[self.rank * base:(self.rank + 1) * base] if self.in_place else rv[:base]
                dist.reduce_scatter(out, list(s[:base * self.n].chunk(self.n)), op=self.redop)
            if self.op == "avg" and self.gloo:
                (s[self.rank * base:(self.rank + 1) * base] if self.in_place else rv[:base]).div_(self.n)

    def wrong(self):
        """Elements of this rank's result that differ from the exact expectation."""
        n, r = self.n, self.rank
        dev = self.send.device
        if self.collective == "all_gather":
            base = self.send_elts
            idx = torch.arange(base * n, device=dev)
            want = self.value(idx // max(base, 1), idx) if base else idx.float()
            return int((self.recv[:base * n] != want).sum().item())
        if self.collective == "broadcast":
            idx = torch.arange(self.send_elts, device=dev)
            got = self.send if self.in_place else self.recv
            return int((got[:self.send_elts] != self.value(self.root, idx)).sum().item())
        if self.collective == "all_reduce":
            idx = torch.arange(self.send_elts, device=dev)
            got = self.send if self.in_place else self.recv
        else:
            base = self.recv_elts
            idx = torch.arange(base, device=dev) + r * base
            got = self.send[r * base:(r + 1) * base] if self.in_place else self.recv[:base]
        vals = torch.stack([self.value(q, idx) for q in range(n)])
        want = {"sum": vals.sum(0), "prod": vals.prod(0), "min": vals.min(0).values, "max": vals.max(0).values, "avg": vals.sum(0) / n}[self.op]
        if self.op == "avg":
            return int(((got - want).abs() > 1e-6 * want.abs()).sum().item())
        return int((got != want).sum().item())


def sizes_of(args):
    size, out = args.minbytes, []
    while size <= args.maxbytes:
        out.append(size)
        nxt = size * args.stepfactor if args.stepfactor > 1 else size + args.stepbytes
        if nxt <= size:
            break
        size = nxt
    return out


def reduce_time(seconds, how, device):
    """nccl-tests' Allreduce(deltaSec, average): 0 rank 0's, 1 mean, 2 min, 3 max."""
    t = torch.tensor([seconds], dtype=torch.float64, device=device)
    if how == 0:
        dist.broadcast(t, src=0)
    else:
        dist.all_reduce(t, op={1: dist.ReduceOp.SUM, 2: dist.ReduceOp.MIN, 3: dist.ReduceOp.MAX}[how])
        if how == 1:
            t /= dist.get_world_size()
    return t.item()


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def bench(coll, in_place, args, n, device):
    """One block: nccl-tests' BenchTime (timed iterations, then the checks)."""
    coll.init(in_place)
    dist.barrier()
    t0 = time.perf_counter()
    for _ in range(args.iters):
        coll.run()
    sync(device)
    sec = reduce_time((time.perf_counter() - t0) / args.iters, args.average, device)
    wrong = None
    if args.check > 0:
        wrong = 0
        for _ in range(args.check):
            coll.init(in_place)
            coll.run()
            sync(device)
            w = torch.tensor([coll.wrong()], dtype=torch.int64, device=device)
            dist.all_reduce(w)
            wrong += int(w.item())
            if wrong:
                break
    return sec, wrong


def run(rank, n, local_rank, args):
    backend = args.backend or ("nccl" if torch.cuda.is_available() else "gloo")
    if not dist.is_initialized():
        dist.init_process_group(backend, init_method="env://", rank=rank, world_size=n)
    torch.set_num_threads(1)
    device = torch.device(f"cuda:{local_rank}") if backend == "nccl" else torch.device("cpu")
    if device.type == "cuda":
        torch.cuda.set_device(device)
    c = args.collective
    reduction = c in ("all_reduce", "reduce_scatter")
    redop = args.op if reduction else "none"
    root = args.root if c == "broadcast" else -1
    if c == "broadcast" and not 0 <= args.root < n:
        raise SystemExit(f"ringlab_collectives: -r {args.root} is not a rank of {n}")
    hosts = [None] * n
    dist.all_gather_object(hosts, (socket.gethostname(), os.getpid(), str(device) if device.type == "cpu" else torch.cuda.get_device_name(device)))
    start = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    lines = []

    def out(line):
        lines.append(line)
        if rank == 0:
            print(line, flush=True)

    sizes = sizes_of(args)
    out(f"# ringlab_collectives.py {c} on torch.distributed {backend}, {n} rank(s) (nccl-tests semantics; time: {AVERAGE_NAMES[args.average]})")
    notes = []
    if c in ("all_reduce", "broadcast"):
        notes.append("out-of-place = copy send into recv, then in place (torch.distributed has no out-of-place " + c + "); the copy is timed")
    if c == "reduce_scatter" and backend == "gloo":
        notes.append("gloo has no reduce_scatter: all_reduce of the whole buffer, then this rank's chunk (times are NOT reduce_scatter's)")
    if args.op == "avg" and reduction and backend == "gloo":
        notes.append("gloo has no avg: sum, then divide by N")
    for note in notes:
        out(f"# note: {note}")
    out(f"# nThread 1 nGpus 1 minBytes {args.minbytes} maxBytes {args.maxbytes} step: {args.stepfactor}(factor) warmup iters: {args.warmup_iters} iters: {args.iters} agg iters: 1 validation: {1 if args.check else 0} graph: 0")
    out("#")
    out("# Using devices")
    for r, (host, pid, dev) in enumerate(hosts):
        out(f"#  Rank {r:2d} Group  0 Pid {pid:6d} on {host:>10} device {r if device.type == 'cpu' else local_rank:2d} [{dev}] {backend}")
    out("#")
    # Warm-up for every size, stepping by 2 as nccl-tests' TimeTest does.
    size = args.minbytes
    while size <= args.maxbytes and args.warmup_iters > 0:
        _, _, send, recv = counts(c, size, n)
        coll = Coll(c, args.op, args.root, rank, n, backend, send, recv, device)
        coll.init(False)
        for _ in range(args.warmup_iters):
            coll.run()
        sync(device)
        size = size * 2 if size else 1
    block = "  %7s  %6s  %6s %6s" % ("time", "algbw", "busbw", "#wrong")
    units = "  %7s  %6s  %6s  %5s" % ("(us)", "(GB/s)", "(GB/s)", "")
    out("#" + " " * 62 + "out-of-place" + " " * 23 + "in-place")
    out("# %10s  %12s  %8s  %6s  %6s" % ("size", "count", "type", "redop", "root") + block + block)
    out("# %10s  %12s  %8s  %6s  %6s" % ("(B)", "(elements)", "", "", "") + units + units)
    results, busbws, failed = [], [], 0
    for size in sizes:
        shown, count, send, recv = counts(c, size, n)
        coll = Coll(c, args.op, args.root, rank, n, backend, send, recv, device)
        blocks = []
        for in_place in (False, True):
            sec, wrong = bench(coll, in_place, args, n, device)
            algbw = shown / 1e9 / sec if sec > 0 else 0.0
            busbw = algbw * bus_factor(c, n)
            busbws.append(busbw)
            failed += 1 if wrong else 0
            blocks.append({"time": sec * 1e6, "alg_bw": algbw, "bus_bw": busbw, "nwrong": None if wrong is None else float(wrong)})
        text = "%12d  %12d  %8s  %6s  %6d" % (shown, count, "float", redop, root)
        for b in blocks:
            w = "N/A" if b["nwrong"] is None else fmt_g(int(b["nwrong"]))
            text += "  %s  %6.2f  %6.2f  %5s" % (fmt_time(b["time"]), b["alg_bw"], b["bus_bw"], w)
        out(text)
        results.append({
            "size": shown, "count": count, "type": "float", "redop": redop, "root": "%6d" % root,
            "out_of_place": blocks[0], "in_place": blocks[1], "actual_iterations": args.iters, "experiment_name": "",
        })
    avg_bw = sum(busbws) / len(busbws) if busbws else 0.0
    out(f"# Out of bounds values : {failed} {'FAILED' if failed else 'OK'}")
    out(f"# Avg bus bandwidth    : {fmt_g(avg_bw)} ")
    out("#")
    if rank == 0 and args.out:
        doc = {
            "version": 3,
            "start_time": start,
            "args": sys.argv,
            "env": [],
            "nccl_version": None,
            "config": {
                "nthreads": 1, "ngpus": 1, "minimum_bytes": args.minbytes, "maximum_bytes": args.maxbytes,
                "step_factor": args.stepfactor, "warmup_iters": args.warmup_iters, "iterations": args.iters,
                "aggregated_iterations": 1, "validation": 1 if args.check else 0, "graph": 0, "average": args.average,
                "devices": [{"rank": r, "group": 0, "pid": pid, "hostname": host, "device": r, "device_hex": "", "device_info": dev} for r, (host, pid, dev) in enumerate(hosts)],
            },
            "results": results,
            "out_of_bounds": {"count": failed, "okay": "false" if failed else "true"},
            "average_bus_bandwidth": {"bandwidth": avg_bw, "okay": "unchecked"},
            "errors": [""],
            "end_time": datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
            "ringlab": {
                "tool": "ringlab_collectives.py", "collective": c, "backend": backend, "world_size": n,
                "torch_version": torch.__version__, "host": socket.gethostname(), "notes": notes, "text": lines,
            },
        }
        with open(args.out, "w") as f:
            json.dump(doc, f, indent=2)
        print(f"ringlab_collectives: wrote {args.out}", file=sys.stderr)
    dist.barrier()
    dist.destroy_process_group()
    if failed:
        raise SystemExit(1)


def spawned(rank, n, args, port):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE=str(n), LOCAL_RANK=str(rank))
    run(rank, n, rank, args)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description="nccl-tests-style sweep on torch.distributed (see the file's docstring)")
    ap.add_argument("--collective", choices=COLLECTIVES, default="all_reduce", help="the collective (nccl-tests: one binary each)")
    ap.add_argument("-b", "--minbytes", type=parse_size, default=parse_size("32M"))
    ap.add_argument("-e", "--maxbytes", type=parse_size, default=parse_size("32M"))
    ap.add_argument("-f", "--stepfactor", type=int, default=1)
    ap.add_argument("-i", "--stepbytes", type=parse_size, default=parse_size("1M"))
    ap.add_argument("-n", "--iters", type=int, default=20)
    ap.add_argument("-w", "--warmup_iters", type=int, default=1)
    ap.add_argument("-c", "--check", type=int, default=1)
    ap.add_argument("-o", "--op", choices=list(OPS), default="sum")
    ap.add_argument("-d", "--datatype", choices=["float"], default="float", help="float32 only")
    ap.add_argument("-r", "--root", type=int, default=0)
    ap.add_argument("-a", "--average", type=int, choices=[0, 1, 2, 3], default=1, help="0 rank 0, 1 average, 2 min, 3 max over ranks")
    ap.add_argument("--spawn", type=int, metavar="N", help="start N local processes with torch.multiprocessing instead of torchrun")
    ap.add_argument("--backend", choices=["nccl", "gloo"], help="default: nccl when CUDA is available, else gloo")
    ap.add_argument("--out", metavar="FILE", help="also write nccl-tests' -J JSON layout here")
    args = ap.parse_args(argv)
    if args.iters < 1:
        ap.error(f"-n {args.iters}: need at least 1 timed iteration")
    if args.minbytes > args.maxbytes:
        ap.error(f"-b {args.minbytes} is above -e {args.maxbytes}")
    return args


def main():
    args = parse_args()
    if args.spawn is not None:
        if args.spawn < 1:
            raise SystemExit(f"ringlab_collectives: --spawn needs N >= 1, got {args.spawn}")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        mp.spawn(spawned, args=(args.spawn, args, port), nprocs=args.spawn, join=True)
    elif "RANK" in os.environ and "WORLD_SIZE" in os.environ:
        run(int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"]), int(os.environ.get("LOCAL_RANK", "0")), args)
    else:
        os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
        os.environ.setdefault("MASTER_PORT", "29500")
        run(0, 1, 0, args)


if __name__ == "__main__":
    main()
