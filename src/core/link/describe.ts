/**
 * Links in words (DESIGN.md §5): one line for the page and logs (`describeTopology`) and one for
 * the CLI's report header (`describeLinkConfig`).
 */
import type { LinkConfig } from './config';
import { resolveLink } from './resolve';
import type { LinkTopology, SlowLink } from './topology';
import type { LinkSpec } from './types';

/** One line for the UI and logs, e.g. "intra 0.6 µs 450 GB/s, inter 2.7 µs 50 GB/s, 4 ranks/node". */
export function describeTopology(topo: LinkTopology, nodes: number, slow?: SlowLink): string {
  const one = (c: LinkSpec): string => `α ${formatSeconds(c.alphaS)}, ${formatRate(c.bandwidthBytesPerS)}`;
  const classes = nodes > 1 ? `intra ${one(topo.intra)}; inter ${one(topo.inter)}; ${nodes} nodes × ${topo.ranksPerNode} ranks` : `every pair ${one(topo.inter)}`;
  if (!slow) return classes;
  const arrow = slow.directed ? '→' : '↔';
  return `${classes}; slow link ${slow.from}${arrow}${slow.to} ×${slow.factor}`;
}

/** Seconds with a readable unit (µs below 1 ms, ms below 1 s). */
export function formatSeconds(s: number): string {
  if (s === 0) return '0 s';
  if (s < 1e-3) return `${round3(s * 1e6)} µs`;
  if (s < 1) return `${round3(s * 1e3)} ms`;
  return `${round3(s)} s`;
}

/** Bytes per second in decimal units (1 GB = 1e9 B, as nccl-tests). */
export function formatRate(bytesPerS: number): string {
  if (bytesPerS >= 1e9) return `${round3(bytesPerS / 1e9)} GB/s`;
  if (bytesPerS >= 1e6) return `${round3(bytesPerS / 1e6)} MB/s`;
  if (bytesPerS >= 1e3) return `${round3(bytesPerS / 1e3)} kB/s`;
  return `${round3(bytesPerS)} B/s`;
}

/** Three significant digits, without trailing zeros. */
function round3(x: number): string {
  return String(Number(x.toPrecision(3)));
}

const describeCost = (c: LinkSpec): string => `α ${+(c.alphaS * 1e6).toPrecision(4)} µs, ${+(c.bandwidthBytesPerS / 1e9).toPrecision(4)} GB/s`;

/** One line for the report header, e.g. "ib-ndr400 (α 2.7 µs, 50 GB/s) between 2 nodes of 2; ...". */
export function describeLinkConfig(config: LinkConfig, ranks: number): string {
  const resolved = resolveLink(config, ranks);
  if (!resolved) return 'none (shared memory)';
  const where =
    resolved.nodes > 1
      ? `${config.link} (${describeCost(resolved.inter)}) between ${resolved.nodes} nodes of ${resolved.ranksPerNode}, ` +
        `${config.intraLink} (${describeCost(resolved.intra)}) inside`
      : `${config.link} (${describeCost(resolved.inter)}) between all ranks`;
  return `${where}; real figures, not scaled by the similarity ratio (the CLI does not measure FLOP/s yet)`;
}
