#!/usr/bin/env bash
# ringlab on a GPU machine without Node: carried Chromium (Debian's chromium-headless-shell,
# unpacked into a private prefix), scripts/device/serve.py, and runner.html?autorun=<plan>.
#
#   run.sh stage     call 1: Vulkan loader debs (.gl) to / (README recipe), .device/part1 to
#                    /opt/chr-parts, diagnostics. Nothing is launched.
#   run.sh           call 2: reassemble + unpack the debs (parts 1 and 2) into /opt/chr, then run
#                    scripts/device/plan.json with up to 3 flag variants until WebGPU gets a
#                    hardware adapter; results into $OUT (results.json, summary.txt, logs).
#   run.sh --local   dry run here: same steps with prefix /tmp/chr-local, nothing written to /,
#                    plan-small.json, SwiftShader accepted; OUT defaults to /tmp/ringlab-out-local.
# Env: OUT, PLAN (PLAN_LOCAL with --local), CHR_PREFIX, CHR_PARTS, NO_GL=1 (skip .gl), CHROME (a Chromium binary to use instead of the carried one), PORT,
#      RUN_TIMEOUT (s, one attempt's run after the probe; default 270), PROBE_TIMEOUT (s, 60).
set -u
MODE=device; [ "${1:-}" = stage ] && MODE=stage; [ "${1:-}" = --local ] && MODE=local
ROOT=$(cd "$(dirname "$0")/../.." && pwd); cd "$ROOT"
if [ "$MODE" = local ]; then PREFIX=${CHR_PREFIX:-/tmp/chr-local}; PARTS=${CHR_PARTS:-/tmp/chr-local-parts}; OUT=${OUT:-/tmp/ringlab-out-local}
else PREFIX=${CHR_PREFIX:-/opt/chr}; PARTS=${CHR_PARTS:-/opt/chr-parts}; OUT=${OUT:-/tmp/out}; fi
PLAN=${PLAN:-scripts/device/plan.json}; [ "$MODE" = local ] && PLAN=${PLAN_LOCAL:-scripts/device/plan-small.json}
PORT=${PORT:-8123}; RUN_TIMEOUT=${RUN_TIMEOUT:-270}; PROBE_TIMEOUT=${PROBE_TIMEOUT:-60}
mkdir -p "$OUT" "$PARTS"
exec > >(tee -a "$OUT/run.log") 2>&1
say() { echo "[run.sh $(date +%T)] $*"; }
T0=$(date +%s)

diag() {  # what the machine offers for Vulkan; cheap
  echo "== uname: $(uname -a)"; grep PRETTY_NAME /etc/os-release 2>/dev/null
  echo "== nvidia-smi -L"; nvidia-smi -L 2>&1 | head -4
  nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv 2>&1 | head -3
  echo "== ICD folders"; ls -l /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d 2>&1
  for f in /usr/local/nvidia/share/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/*.json; do [ -f "$f" ] && { echo "-- $f"; cat "$f"; }; done
  echo "== ldconfig vulkan/GLX_nvidia/GLdispatch"; ldconfig -p | grep -E 'libvulkan|GLX_nvidia|GLdispatch|libEGL_nvidia' | head
  ls -d /usr/local/nvidia/lib* 2>/dev/null; ls /dev/nvidia* /dev/dri 2>&1 | head
  echo "== python3 $(python3 --version 2>&1)"
}

if [ "$MODE" != local ] && [ -z "${NO_GL:-}" ] && ls .gl/*.deb >/dev/null 2>&1; then  # the README's loader recipe
  for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig; say "unpacked .gl to /"
fi

if [ "$MODE" = stage ]; then
  cp -v .device/part1/* "$PARTS"/ 2>&1 || say "no .device/part1 carried?"
  diag > "$OUT/diag-stage.txt" 2>&1; cat "$OUT/diag-stage.txt"
  ls -l "$PARTS"; df -h /opt | tail -1; say "staged in $(( $(date +%s) - T0 )) s"; exit 0
fi

# ---- reassemble and unpack the carried debs ------------------------------------------------
for d in .device/part1 .device/part2; do [ -d "$d" ] && cp -n "$d"/* "$PARTS"/ 2>/dev/null; done
if [ -z "${CHROME:-}" ]; then
  ( cd "$PARTS"
    for first in *.split-00; do [ -f "$first" ] || continue; deb=${first%.split-00}
      [ -f "$deb" ] || { ls "$deb".split-* >/dev/null && cat "$deb".split-* > "$deb" && say "joined $deb from $(ls "$deb".split-* | wc -l) pieces"; }
    done
    # MANIFEST.sha256 names versioned files; the joined headless shell is matched by package name
    hs=$(grep -o 'chromium-headless-shell_[^ ]*\.deb' MANIFEST.sha256 | head -1)
    [ -f chromium-headless-shell.deb ] && [ -n "$hs" ] && mv -f chromium-headless-shell.deb "$hs"
    sha256sum -c --quiet MANIFEST.sha256 || say "WARNING: checksum mismatch or missing files (see above)" )
  n=0; for f in "$PARTS"/*.deb; do dpkg -x "$f" "$PREFIX" && n=$((n+1)); done
  say "unpacked $n debs into $PREFIX"
  CHROME=$PREFIX/usr/lib/chromium/chromium-headless-shell
fi
[ -x "$CHROME" ] || { say "no Chromium at $CHROME"; diag > "$OUT/diag.txt" 2>&1; exit 1; }
LIBS=$PREFIX/usr/lib/x86_64-linux-gnu:$PREFIX/lib/x86_64-linux-gnu:$PREFIX/usr/lib/x86_64-linux-gnu/pulseaudio
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do [ -d "$d" ] && LIBS=$LIBS:$d; done
if [ "$MODE" != local ]; then
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    [ -f "$f" ] && { export VK_DRIVER_FILES=$f VK_ICD_FILENAMES=$f; break; }
  done
  [ -f /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json ] && export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi
{ diag; echo "== VK_DRIVER_FILES=${VK_DRIVER_FILES:-} LD_LIBRARY_PATH(chromium)=$LIBS"
  echo "== libraries chromium cannot find:"; LD_LIBRARY_PATH=$LIBS ldd "$CHROME" | grep 'not found' || echo "(none)"
  echo "== $(LD_LIBRARY_PATH=$LIBS "$CHROME" --version 2>&1 | head -1)"; } > "$OUT/diag.txt" 2>&1
cat "$OUT/diag.txt"

# ---- server and attempts --------------------------------------------------------------------
[ -f dist/runner.html ] || { say "dist/runner.html missing: carry dist (npx vite build here first)"; exit 1; }
RES=$(mktemp -d /tmp/ringlab-results.XXXX)
python3 scripts/device/serve.py --root dist --results "$RES/live" --port "$PORT" 2> "$RES/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; [ -n "${CPID:-}" ] && kill $CPID 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/runner.html" 2>/dev/null && break
  python3 -c "import urllib.request as u;u.urlopen('http://127.0.0.1:$PORT/runner.html')" 2>/dev/null && break; sleep 0.2; done
URL="http://127.0.0.1:$PORT/runner.html?autorun=$(python3 -c 'import json,sys,urllib.parse;print(urllib.parse.quote(json.dumps(json.load(open(sys.argv[1])),separators=(",",":"))))' "$PLAN")"

BASE="--headless --no-sandbox --disable-gpu-sandbox --disable-dev-shm-usage --user-data-dir=/tmp/chr-profile
 --enable-unsafe-webgpu --enable-features=SharedArrayBuffer --ignore-gpu-blocklist --no-first-run
 --disable-background-networking --disable-component-update --disable-sync --enable-logging=stderr --log-level=0"
# A: ANGLE and Dawn on Vulkan (Chrome's guide for headless WebGPU on Linux NVIDIA: --use-angle=vulkan
#    --enable-features=Vulkan --disable-vulkan-surface). B: ANGLE on the NVIDIA EGL driver, Dawn
#    on Vulkan. C: GL on SwiftShader (ANGLE on Vulkan needs VK_KHR_xcb_surface), Dawn still on the
#    Vulkan driver, asking for the default high-performance adapter.
VARIANTS=(
  "--enable-gpu --use-vulkan=native --use-angle=vulkan --enable-features=Vulkan,VulkanFromANGLE,SharedArrayBuffer --disable-vulkan-surface"
  "--enable-gpu --use-gl=angle --use-angle=gl-egl --enable-features=Vulkan,SharedArrayBuffer --disable-vulkan-fallback-to-gl-for-testing"
  "--enable-gpu --use-gl=angle --use-angle=swiftshader --enable-features=Vulkan,SharedArrayBuffer --use-webgpu-adapter=default --use-webgpu-power-preference=default-high-performance"
)
[ "$MODE" = local ] && VARIANTS=("")
wait_for() {  # file, seconds; fails early when chromium exits
  local i; for i in $(seq $(( $2 * 5 ))); do [ -f "$1" ] && return 0; kill -0 "$CPID" 2>/dev/null || { sleep 1; [ -f "$1" ]; return; }; sleep 0.2; done; return 1
}
n=0
for flags in "${VARIANTS[@]}"; do
  n=$((n+1)); A=$RES/attempt$n; mkdir -p "$A"; rm -rf "$RES/live" /tmp/chr-profile; mkdir -p "$RES/live"
  echo "$BASE $flags" | tr '\n' ' ' > "$A/flags.txt"
  say "attempt $n: $CHROME $(cat "$A/flags.txt")"
  # shellcheck disable=SC2086
  LD_LIBRARY_PATH=$LIBS "$CHROME" $BASE $flags "$URL" > "$OUT/chromium-$n.log" 2>&1 &
  CPID=$!
  if wait_for "$RES/live/probe.json" "$PROBE_TIMEOUT"; then
    say "probe: $(cat "$RES/live/probe.json" | head -c 600)"; echo
    wait_for "$RES/live/done.json" "$RUN_TIMEOUT" || say "attempt $n: no done.json within ${RUN_TIMEOUT}s (partial results kept)"
  else say "attempt $n: no probe within ${PROBE_TIMEOUT}s (chromium $(kill -0 $CPID 2>/dev/null && echo running || echo exited))"; fi
  kill $CPID 2>/dev/null; wait $CPID 2>/dev/null; CPID=
  cp "$RES/live"/*.json "$A"/ 2>/dev/null
  python3 -c 'import json,sys;p=json.load(open(sys.argv[1]))["probe"];sys.exit(0 if p.get("ok") and not p.get("isFallback") else 1)' "$A/probe.json" 2>/dev/null && break
  [ "$MODE" = local ] && break
  say "attempt $n: no hardware adapter; $([ $n -lt ${#VARIANTS[@]} ] && echo 'retrying with other flags' || echo 'giving up')"
done
cp "$RES/serve.log" "$OUT/serve.log"
for f in "$OUT"/chromium-*.log; do [ "$(stat -c %s "$f")" -gt 8000000 ] && { tail -c 8000000 "$f" > "$f.t"; mv "$f.t" "$f"; }; done  # 16 MB a file comes back

# ---- one JSON and a readable summary -------------------------------------------------------
python3 - "$RES" "$OUT" "$PLAN" "$(LD_LIBRARY_PATH=$LIBS "$CHROME" --version 2>&1 | head -1)" <<'PY'
import glob, json, os, sys
res, out, plan, version = sys.argv[1:5]
def load(p):
    try: return json.load(open(p))
    except Exception as e: return None
attempts = []
for d in sorted(glob.glob(os.path.join(res, 'attempt*')), key=lambda p: int(p.rsplit('attempt', 1)[1])):
    items = sorted((load(f) for f in glob.glob(os.path.join(d, '[0-9]*.json'))), key=lambda r: (r or {}).get('index', 0))
    attempts.append({'attempt': os.path.basename(d), 'flags': open(os.path.join(d, 'flags.txt')).read().strip(),
                     'probe': load(os.path.join(d, 'probe.json')), 'done': load(os.path.join(d, 'done.json')), 'results': items})
json.dump({'chromium': version, 'plan': load(plan), 'attempts': attempts}, open(os.path.join(out, 'results.json'), 'w'), indent=1)
L = [f'chromium: {version}', f'plan: {plan}']
for a in attempts:
    p = (a['probe'] or {}).get('probe') or {}
    d = a['done'] or {}
    L.append(f"\n== {a['attempt']}: adapter {p.get('adapter', p.get('reason', '?'))} fallback={p.get('isFallback')} done={d.get('status', 'MISSING')} total {d.get('totalMs', 0)/1000:.1f} s")
    for r in a['results']:
        if not r: continue
        q, res_ = r.get('request', {}), r.get('result') or {}
        if r.get('kind') == 'sweep':
            rows = res_.get('rows', [])
            L.append(f"-- sweep {q.get('algorithm')} {q.get('ranks')} ranks: {res_.get('status', r.get('error'))} in {r.get('ms', 0)/1000:.1f} s, avg busbw {res_.get('avgBusbwGBps', 0):.3f} GB/s")
            for w in rows:
                L.append(f"   {w['bytes']:>10} B  {w['timeUs']:>11.1f} us  algbw {w['algbwGBps']:8.3f}  busbw {w['busbwGBps']:8.3f} GB/s  wrong {w['wrong']}")
            if res_.get('error'): L.append(f"   error: {res_['error']}")
        else:
            L.append(f"-- training {q.get('scaling')} {q.get('rankCounts')} layers {q.get('layers')}: {res_.get('status', r.get('error'))} in {r.get('ms', 0)/1000:.1f} s")
            for pt in res_.get('points', []):
                m = pt.get('measured', {})
                L.append(f"   {pt['ranks']} ranks: step {m.get('stepMs', 0):.2f} ms, {m.get('samplesPerS', 0):.0f} samples/s, eff {m.get('efficiency', 0):.2f}, compute {m.get('computeMs', 0):.2f} exposed comm {m.get('exposedCommMs', 0):.2f} ms, loss {pt.get('finalLoss', 0):.4f}")
            if res_.get('error'): L.append(f"   error: {res_['error']}")
open(os.path.join(out, 'summary.txt'), 'w').write('\n'.join(L) + '\n')
print('\n'.join(L))
PY
say "finished in $(( $(date +%s) - T0 )) s; files in $OUT: $(ls "$OUT" | tr '\n' ' ')"
