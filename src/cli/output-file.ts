/**
 * `-J FILE` is checked before the run (issue 10, defect 7: an unwritable path failed only after
 * the whole run, without naming -J). The check opens the file for appending, as the real write
 * will (so it also holds for root, for read-only mounts and for /proc), and removes it again
 * when it did not exist before.
 */
import { closeSync, existsSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Null when `path` can be written, else a message naming -J, the path and why not. */
export function outputFileProblem(path: string): string | null {
  const full = resolve(path);
  const why = (reason: string): string => `-J / --output_file: cannot write '${path}': ${reason}`;
  const dir = dirname(full);
  if (!existsSync(dir)) return why(`folder ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) return why(`${dir} is not a folder`);
  const existed = existsSync(full);
  if (existed && statSync(full).isDirectory()) return why('it is a folder');
  try {
    closeSync(openSync(full, 'a'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return why(`${code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied' : code} (${(e as Error).message})`);
  }
  if (!existed) unlinkSync(full);
  return null;
}
