/**
 * The real clusters' nccl-tests outputs shipped with the page (public/nccl-logs, static files
 * the page fetches relative to itself, so any sub-path works). The names are listed here, and a
 * unit test holds the list equal to the folder.
 */

/** Every bundled log, sorted. */
export const BUNDLED_LOGS: readonly string[] = [
  '01-h100-16rank-2node-allreduce.txt',
  '03-v100-12gpu-1node-allgather-failed.txt',
  '05-t4-2rank-2node-allreduce-mpirun-prefixed.txt',
  '07-gh200-2rank-2node-allreduce-v2.18.txt',
  '08-h100-8gpu-1node-allreduce-J.json',
];

/** Fetches one bundled log's text. @throws Error naming the file and the HTTP status. */
export async function fetchBundledLog(name: string): Promise<string> {
  const url = new URL(`nccl-logs/${name}`, document.baseURI);
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${name}: HTTP ${r.status} from ${url.pathname}`);
  return r.text();
}
