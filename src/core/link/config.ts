/**
 * Link and topology fields shared by the bench and train tables (DESIGN.md §5): the config
 * table, the parsers of its two string fields and the checks against the rank counts run.
 */

import type { FieldError, FieldTable } from '../config/fields';
import { GPU_IDS, type GpuId, LINK_IDS, type LinkId } from './presets';
import { splitNodes, type SlowLink } from './topology';

export const LINK_CHOICES = ['none', ...LINK_IDS, 'custom'] as const;
export type LinkChoice = (typeof LINK_CHOICES)[number];

export interface LinkConfig {
  /** 'none': raw shared memory, no emulated delay; 'custom': --alpha-us and --bandwidth. */
  link: LinkChoice;
  /** Link inside a node when nodes > 1 (then `link` is the inter-node link). */
  intraLink: LinkId;
  /** Overrides the preset's latency, µs. */
  alphaUs: number | null;
  /** Overrides the preset's bandwidth, bytes/s. */
  bandwidth: number | null;
  nodes: number;
  /** When set, decides the node count (ranks / ranksPerNode). */
  ranksPerNode: number | null;
  /** 'RANK:FACTOR': that rank's compute runs FACTOR times slower. */
  straggler: string | null;
  /** 'A-B:FACTOR': the link between ranks A and B is FACTOR times slower (both directions). */
  slowLink: string | null;
  /** Real GPU whose peak FP32 sets the similarity ratio. */
  gpu: GpuId;
  /** Scale the link by the similarity ratio (DESIGN.md §5). */
  scaled: boolean;
}

/** A slow rank: its compute takes `factor` times longer. */
export interface Straggler {
  rank: number;
  factor: number;
}

/** Reads 'A-B:FACTOR' (two different ranks, factor ≥ 1), or returns an error message. */
export function parseSlowLink(text: string): SlowLink | { error: string } {
  const m = /^(\d+)-(\d+):((?:\d+(?:\.\d*)?|\.\d+))$/.exec(text.trim());
  if (!m) return { error: 'not A-B:FACTOR' };
  const [from, to, factor] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (from === to) return { error: `${from}-${to} joins a rank to itself` };
  if (factor < 1) return { error: `factor ${factor} is below 1` };
  return { from, to, factor };
}

/** Reads 'RANK:FACTOR' (rank an integer ≥ 0, factor a number ≥ 1), or returns an error message. */
export function parseStraggler(text: string): Straggler | { error: string } {
  const m = /^(\d+):((?:\d+(?:\.\d*)?|\.\d+))$/.exec(text.trim());
  if (!m) return { error: 'not RANK:FACTOR' };
  const factor = Number(m[2]);
  if (factor < 1) return { error: `factor ${factor} is below 1` };
  return { rank: Number(m[1]), factor };
}

export const LINK_FIELDS: FieldTable<LinkConfig> = {
  link: {
    kind: 'enum',
    values: LINK_CHOICES,
    default: 'none',
    flags: ['--link'],
    help: 'Emulated interconnect; none = raw shared memory between workers.',
  },
  intraLink: {
    kind: 'enum',
    values: LINK_IDS,
    default: 'nvlink',
    flags: ['--intra-link'],
    help: 'Link inside a node when there are several nodes (--link is then the inter-node link).',
  },
  alphaUs: { kind: 'number', min: 0, max: 1e6, default: null, flags: ['--alpha-us'], help: 'Link latency α in µs (overrides the preset).' },
  // From 1 kB/s (a 1 MiB message takes 17 minutes) to 10 TB/s (beyond any link in the presets):
  // 1e-300 B/s made a run's predicted time infinite (issue 10, defect 2).
  bandwidth: { kind: 'bandwidth', min: 1e3, max: 1e13, default: null, flags: ['--bandwidth'], help: 'Link bandwidth with its unit (overrides the preset).' },
  nodes: { kind: 'int', min: 1, max: 16, default: 1, flags: ['--nodes'], help: 'Nodes; ranks are split evenly over them.' },
  ranksPerNode: { kind: 'int', min: 1, max: 16, default: null, flags: ['--ranks-per-node'], help: 'Ranks per node (decides the node count when set).' },
  straggler: {
    kind: 'string',
    format: 'RANK:FACTOR with FACTOR ≥ 1, e.g. 3:2.5',
    validate: (text) => {
      const s = parseStraggler(text);
      return 'error' in s ? s.error : null;
    },
    default: null,
    flags: ['--straggler'],
    help: 'Slow one rank down: its compute takes FACTOR times longer.',
  },
  slowLink: {
    kind: 'string',
    format: 'A-B:FACTOR with FACTOR ≥ 1, e.g. 1-2:4',
    validate: (text) => {
      const s = parseSlowLink(text);
      return 'error' in s ? s.error : null;
    },
    default: null,
    flags: ['--slow-link'],
    help: 'Slow one link down: the link between ranks A and B gets FACTOR× the latency and 1/FACTOR the bandwidth (needs --link).',
  },
  gpu: { kind: 'enum', values: GPU_IDS, default: 'h100', flags: ['--gpu'], help: 'Real GPU the link is scaled against (similarity ratio).' },
  scaled: { kind: 'bool', default: true, flags: ['--scaled'], help: "Scale the link by this GPU's FLOP/s over the real GPU's peak." },
};

/** The link fields of a bench or train config, and nothing else (what a run's request carries). */
export function pickLinkConfig(config: LinkConfig): LinkConfig {
  const out = {} as Record<string, unknown>;
  for (const key of Object.keys(LINK_FIELDS)) out[key] = (config as unknown as Record<string, unknown>)[key];
  return out as unknown as LinkConfig;
}

/**
 * Link rules against every rank count the experiment runs: custom needs α and bandwidth; the
 * topology must fit; the straggler must exist. Repairs: link → none, nodes/ranksPerNode →
 * defaults, straggler → unset.
 */
export function checkLink<C extends LinkConfig>(config: C, rankCounts: readonly number[], errors: FieldError[]): C {
  const out = { ...config };
  if (out.link === 'custom' && (out.alphaUs === null || out.bandwidth === null)) {
    errors.push({ field: 'link', value: 'custom', message: 'link: custom needs --alpha-us and --bandwidth (URL alpha-us, bandwidth); using none' });
    out.link = 'none';
  }
  for (const ranks of rankCounts) {
    const topo = splitNodes(ranks, out.nodes, out.ranksPerNode);
    if ('error' in topo) {
      const field = out.ranksPerNode !== null ? 'ranksPerNode' : 'nodes';
      const value = String(out.ranksPerNode ?? out.nodes);
      errors.push({ field, value, message: `${field === 'nodes' ? 'nodes' : 'ranks-per-node'}: ${topo.error}; using 1 node` });
      out.nodes = 1;
      out.ranksPerNode = null;
      break;
    }
  }
  if (out.straggler !== null) {
    // Enough that some rank count has the rank (1:3 with ranks 1,2,4); at the others there is
    // no straggler, and the run there is the baseline (issue 10, defect 6).
    const s = parseStraggler(out.straggler);
    const most = Math.max(...rankCounts);
    if (!('error' in s) && s.rank >= most) {
      errors.push({ field: 'straggler', value: out.straggler, message: `straggler: rank ${s.rank} does not exist with ${most} ranks; left unset` });
      out.straggler = null;
    }
  }
  if (out.slowLink !== null) {
    const s = parseSlowLink(out.slowLink);
    const most = Math.min(...rankCounts);
    if (!('error' in s) && Math.max(s.from, s.to) >= most) {
      errors.push({ field: 'slowLink', value: out.slowLink, message: `slow-link: rank ${Math.max(s.from, s.to)} does not exist with ${most} ranks; left unset` });
      out.slowLink = null;
    } else if (out.link === 'none') {
      errors.push({ field: 'slowLink', value: out.slowLink, message: 'slow-link: needs an emulated link (--link); left unset' });
      out.slowLink = null;
    }
  }
  return out;
}
