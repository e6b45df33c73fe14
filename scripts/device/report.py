#!/usr/bin/env python3
"""Turns the device run's results.json files into a BENCHMARKS.md section (markdown on stdout).

Usage: python3 scripts/device/report.py RESULTS.json [RESULTS.json ...]
"""
import json
import sys


trainings, env = [], None
for path in sys.argv[1:]:
    for attempt in json.load(open(path))["attempts"]:
        for item in attempt.get("results") or []:
            res = item.get("result") or {}
            if item.get("kind") == "training" and res.get("status") == "done":
                trainings.append((item["request"], res))
            elif item.get("kind") == "sweep" and res.get("status") == "done":
                env = env or res.get("environment")

out = []
out.append("| ranks | algorithm | time @ 16 B (µs) | time @ 1 MiB (µs) | time @ 64 MiB (µs) | busbw @ 64 MiB (GB/s) | best busbw (GB/s) | #wrong |")
out.append("|---|---|---|---|---|---|---|---|")
for path in sys.argv[1:]:
    data = json.load(open(path))
    for attempt in data["attempts"]:
        for item in attempt.get("results") or []:
            res = item.get("result") or {}
            if item.get("kind") != "sweep" or res.get("status") != "done":
                continue
            req, rows = item["request"], res["rows"]
            at = lambda b: next(r for r in rows if r["bytes"] >= b)
            wrong = sum(r["wrong"] or 0 for r in rows)
            best = max(r["busbwGBps"] for r in rows)
            out.append(f"| {req['ranks']} | {req['algorithm']} | {at(16)['timeUs']:.0f} | {at(1 << 20)['timeUs']:.0f} | {at(64 << 20)['timeUs']:.0f} | {at(64 << 20)['busbwGBps']:.3f} | {best:.3f} | {wrong} |")
out.append("")
for req, res in trainings:
    out.append(f"Training, strong scaling, layers {','.join(map(str, req['layers']))}, global batch {req['globalBatch']}, {req['steps']} steps, {req['algorithm']}, overlap {'on' if req['overlap'] else 'off'}:")
    out.append("")
    out.append("| ranks | step measured (ms) | compute / exposed comm (ms) | efficiency measured | step projected (ms) | efficiency projected | final loss |")
    out.append("|---|---|---|---|---|---|---|")
    for p in res["points"]:
        m, q = p["measured"], p["projected"]
        out.append(f"| {p['ranks']} | {m['stepMs']:.2f} | {m['computeMs']:.2f} / {m['exposedCommMs']:.2f} | {m['efficiency']*100:.0f} % | {q['stepMs']:.2f} | {q['efficiency']*100:.0f} % | {p['finalLoss']:.2e} |")
    cal = res["runs"][0].get("calibration")
    if cal:
        out.append("")
        out.append(f"Calibration at 1 rank ({cal['method']}): the model ran at {cal['modelFlopsPerS']/1e12:.2f} TFLOP/s; the 128³ matmul probe at {cal['flopsPerS']/1e9:.1f} GFLOP/s (dispatch-bound on a real GPU).")
    labels = sorted({r['projected']['linkLabel'] for r in res['runs'] if r.get('projected')})
    for l in labels:
        out.append(f"- projected link: {l}")
    out.append("")
print("\n".join(out))
if env:
    print(f"<!-- adapter {env['adapterLabel']} fallback={env['isFallbackAdapter']} browser {env['browser']} -->")
