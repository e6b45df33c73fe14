/**
 * Running the exported PyTorch programs in tests: Debian's /usr/bin/python3 with python3-torch
 * (plain `python3` may be another interpreter without torch). `.ci/run` installs it.
 */
import { execFile, spawnSync } from 'node:child_process';

/** The interpreter that has torch; override with $RINGLAB_PYTHON. */
export const PYTHON = process.env.RINGLAB_PYTHON ?? '/usr/bin/python3';

/** Why torch cannot run here, or null when `import torch` works. Printed loudly by the tests that skip. */
export function torchUnavailable(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch, torch.distributed as d; print(torch.__version__, d.is_gloo_available())'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `${PYTHON}: ${r.error.message}`;
  if (r.status !== 0) return `${PYTHON} -c 'import torch' failed: ${r.stderr.trim().split('\n').pop() ?? ''} (install Debian's python3-torch; .ci/run does)`;
  if (!r.stdout.includes('True')) return `torch ${r.stdout.trim()} has no gloo backend`;
  return null;
}

export interface PythonRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `PYTHON args…` in `cwd`, killed after `timeoutMs`. */
export function runPython(args: string[], cwd: string, timeoutMs: number): Promise<PythonRun> {
  return new Promise((done) => {
    execFile(PYTHON, args, { cwd, timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, OMP_NUM_THREADS: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, stdout, stderr });
    });
  });
}
