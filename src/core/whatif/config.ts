/**
 * The what-if's knobs: one typed table (STYLE.md 3) for the page's panel, its URL and
 * `npm run whatif`. URL names carry a `wi-` prefix so they sit beside the training tab's own
 * parameters (`link`, `gpu`, `algo` …) without clashing.
 */
import { parseArgv } from '../config/argv';
import { fieldKeys, OUTPUT_FILE_FIELD, type ConfigTable, type FieldError, type FieldSpec, type FieldTable } from '../config/fields';

import { GPU_IDS, type GpuId, LINK_IDS, type LinkId } from '../link';
import { ALGORITHMS, type Algorithm } from '../schedule/types';
import { FABRIC_KINDS, type FabricKind } from './fabric';
import { DEFAULT_MFU, MFU_SOURCE, MODEL_IDS, parseParamCount, type ModelId } from './models';

/** Largest cluster the what-if projects. */
export const MAX_GPUS = 131072;
/** 1, 2, 4, …, 131,072. */
export const DEFAULT_GPU_COUNTS: readonly number[] = Array.from({ length: 18 }, (_, i) => 2 ** i);

export const WHATIF_LINKS = [...LINK_IDS, 'custom', 'nccl-log'] as const;
export type WhatIfLink = (typeof WHATIF_LINKS)[number];

export interface WhatIfConfig {
  model: ModelId;
  /** Parameters (custom model), e.g. 70e9. */
  params: string | null;
  /** Tokens per sample (sequence length); null: the model's. */
  tokensPerSample: number | null;
  /** Bytes per gradient element: 2 (BF16) or 4 (FP32); null: the model's (presets 2, measured 4). */
  bytesPerGrad: number | null;
  mfu: number;
  gpu: GpuId;
  gpus: number[];
  /** GPU count the answers are given at; null: the largest of `gpus`. */
  at: number | null;
  gpusPerNode: number;
  intraLink: LinkId;
  link: WhatIfLink;
  alphaUs: number | null;
  bandwidth: number | null;
  /** nccl-tests output to fit the inter-node link from (link nccl-log; CLI). */
  ncclLog: string | null;
  fabric: FabricKind;
  radix: number;
  levels: number;
  hopLatencyUs: number;
  oversubscription: number;
  algo: Algorithm;
  bucketMb: number;
  overlap: 'on' | 'off';
  scaling: 'strong' | 'weak';
  /** Samples per step over all GPUs (strong scaling). */
  globalBatch: number;
  /** Samples per step per GPU (weak scaling). */
  perGpuBatch: number;
  zero: number;
  /** A second fabric to compare with: flags of this table, e.g. '--oversubscription 4 --link 100gbe'. */
  compare: string | null;
  outputFile: string | null;
}

const url = (name: string): { url: string } => ({ url: `wi-${name}` });

export const WHATIF_FIELDS: FieldTable<WhatIfConfig> = {
  model: {
    kind: 'enum',
    values: MODEL_IDS,
    default: '8b',
    flags: ['--model'],
    ...url('model'),
    help: 'Model: measured (the MLP just trained, page only), a preset size, or custom (--params).',
  },
  params: {
    kind: 'string',
    format: 'a parameter count ≥ 1, e.g. 7e10, 70B, 1.3B, 124M',
    validate: (t) => {
      const p = parseParamCount(t);
      return typeof p === 'number' ? null : p.error;
    },
    default: null,
    flags: ['--params'],
    ...url('params'),
    help: 'Parameters of the custom model.',
  },
  tokensPerSample: {
    kind: 'int',
    min: 1,
    max: 1_048_576,
    default: null,
    flags: ['--tokens-per-sample'],
    ...url('tokens'),
    help: 'Tokens per sample (sequence length); default: the model’s.',
  },
  bytesPerGrad: {
    kind: 'int',
    min: 1,
    max: 4,
    default: null,
    flags: ['--bytes-per-grad'],
    ...url('bytes-per-grad'),
    help: 'Bytes per gradient element: 2 (BF16) or 4 (FP32); default: presets 2, measured 4.',
  },
  mfu: {
    kind: 'number',
    min: 0,
    minExclusive: true,
    max: 1,
    default: DEFAULT_MFU,
    flags: ['--mfu'],
    ...url('mfu'),
    help: `Model FLOPs utilization of the tensor peak (default from ${MFU_SOURCE}).`,
  },
  gpu: { kind: 'enum', values: GPU_IDS, default: 'h100', flags: ['--gpu'], ...url('gpu'), help: 'GPU: its memory and BF16 tensor peak.' },
  gpus: {
    kind: 'list-int',
    min: 1,
    max: MAX_GPUS,
    minLength: 1,
    maxLength: 40,
    default: [...DEFAULT_GPU_COUNTS],
    flags: ['--gpus'],
    ...url('gpus'),
    help: 'GPU counts to project.',
  },
  at: { kind: 'int', min: 1, max: MAX_GPUS, default: null, flags: ['--at'], ...url('at'), help: 'GPU count the answers are given at; default: the largest of --gpus.' },
  gpusPerNode: { kind: 'int', min: 1, max: 1024, default: 8, flags: ['--gpus-per-node'], ...url('gpus-per-node'), help: 'GPUs per node, joined by --intra-link.' },
  intraLink: { kind: 'enum', values: LINK_IDS, default: 'nvlink', flags: ['--intra-link'], ...url('intra-link'), help: 'Link inside a node.' },
  link: {
    kind: 'enum',
    values: WHATIF_LINKS,
    default: 'ib-ndr400',
    flags: ['--link'],
    ...url('link'),
    help: 'Each GPU’s link between nodes: a preset, custom (--alpha-us, --bandwidth), or nccl-log (α and β fitted to nccl-tests output, --nccl-log).',
  },
  alphaUs: { kind: 'number', min: 0, max: 1e6, default: null, flags: ['--alpha-us'], ...url('alpha-us'), help: 'Inter-node link latency α, µs (custom, or overrides the preset).' },
  bandwidth: {
    kind: 'bandwidth',
    default: null,
    flags: ['--bandwidth'],
    ...url('bandwidth'),
    help: 'Inter-node link bandwidth per GPU with its unit (custom, or overrides the preset).',
  },
  ncclLog: {
    kind: 'string',
    format: 'a file path',
    validate: (t) => (t === '' ? 'empty path' : null),
    default: null,
    flags: ['--nccl-log'],
    help: 'nccl-tests all_reduce output (text or -J JSON) for --link nccl-log; default: the bundled 16 × H100 two-node log.',
    cliOnly: true,
  },
  fabric: {
    kind: 'enum',
    values: FABRIC_KINDS,
    default: 'fat-tree',
    flags: ['--fabric'],
    ...url('fabric'),
    help: 'Between nodes: flat (one α, one bandwidth) or a fat-tree of switches.',
  },
  radix: { kind: 'int', min: 2, max: 4096, default: 64, flags: ['--radix'], ...url('radix'), help: 'Ports per switch (NVIDIA Quantum-2: 64 × 400 Gb/s).' },
  levels: {
    kind: 'int',
    min: 1,
    max: 8,
    default: 4,
    flags: ['--levels'],
    ...url('levels'),
    help: 'Switch levels of the fat-tree (1 switch, 2 leaf-spine, 3 leaf-spine-core; radix 64 needs 4 for 131,072 GPUs). A job uses only the levels it spans.',
  },
  hopLatencyUs: {
    kind: 'number',
    min: 0,
    max: 1000,
    default: 0.3,
    flags: ['--hop-latency-us'],
    ...url('hop-us'),
    help: 'Latency of one switch traversal, µs (cut-through InfiniBand switches: 0.13–0.4 µs port to port, vendor figures; an estimate).',
  },
  oversubscription: {
    kind: 'number',
    min: 1,
    max: 64,
    default: 1,
    flags: ['--oversubscription'],
    ...url('oversub'),
    help: 'Leaf down-links per up-link (1 = full bisection; 4 = 4:1).',
  },
  algo: { kind: 'enum', values: ALGORITHMS, default: 'ring', flags: ['--algo'], ...url('algo'), help: 'All-reduce algorithm for the answers (the chart shows all).' },
  bucketMb: {
    kind: 'number',
    min: 0,
    minExclusive: true,
    max: 1_048_576,
    default: 25,
    flags: ['--bucket-mb'],
    ...url('bucket-mb'),
    help: 'Gradient bucket, MiB (PyTorch DDP: 25); each bucket is one all-reduce.',
  },
  overlap: { kind: 'enum', values: ['on', 'off'], default: 'on', flags: ['--overlap'], ...url('overlap'), help: 'Overlap gradient communication with the backward pass.' },
  scaling: {
    kind: 'enum',
    values: ['strong', 'weak'],
    default: 'weak',
    flags: ['--scaling'],
    ...url('scaling'),
    help: 'strong: fixed global batch split over the GPUs; weak: fixed per-GPU batch.',
  },
  globalBatch: {
    kind: 'int',
    min: 1,
    max: 1e9,
    default: 2048,
    flags: ['--global-batch'],
    ...url('global-batch'),
    help: 'Samples per step over all GPUs (strong scaling). Llama 3 405B: 2048 × 8192 tokens.',
  },
  perGpuBatch: { kind: 'int', min: 1, max: 1e6, default: 1, flags: ['--per-gpu-batch'], ...url('per-gpu-batch'), help: 'Samples per step per GPU (weak scaling).' },
  zero: {
    kind: 'int',
    min: 0,
    max: 3,
    default: 0,
    flags: ['--zero'],
    ...url('zero'),
    help: 'ZeRO stage: 0 plain data parallel, 1 optimizer state, 2 + gradients, 3 + parameters sharded (FSDP).',
  },
  compare: {
    kind: 'string',
    format: 'what-if flags for a second configuration, e.g. --oversubscription 4 --link 100gbe',
    validate: (t) => {
      const r = parsePatch(t);
      return 'error' in r ? r.error : null;
    },
    default: null,
    flags: ['--compare'],
    ...url('compare'),
    help: 'Project a second configuration beside the first: the same settings with these flags changed (e.g. another fabric).',
  },
  outputFile: OUTPUT_FILE_FIELD as FieldSpec & { default: string | null },
};

/**
 * The fields a flag string sets, and their values: '--link 100gbe --oversubscription=4' →
 * { link: '100gbe', oversubscription: 4 }. Only what is written changes; --compare,
 * --nccl-log and -J cannot be compared.
 */
export function parsePatch(text: string): { patch: Partial<WhatIfConfig> } | { error: string } {
  const tokens = text
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
  const parsed = parseArgv(WHATIF_TABLE_NO_CHECK, tokens);
  if (parsed.errors.length) return { error: parsed.errors.map((e) => e.message.replace(/; (using .*|left unset)$/, '')).join('; ') };
  const byFlag = new Map<string, keyof WhatIfConfig & string>();
  for (const key of fieldKeys(WHATIF_FIELDS)) for (const f of WHATIF_FIELDS[key].flags) byFlag.set(f, key);
  const patch: Record<string, unknown> = {};
  for (const t of tokens) {
    const key = t.startsWith('-') ? byFlag.get(t.split('=')[0]!) : undefined;
    if (key === undefined) continue;
    if (key === 'compare' || key === 'outputFile' || key === 'ncclLog') return { error: `${t} cannot be part of a comparison` };
    patch[key] = parsed.config[key];
  }
  if (Object.keys(patch).length === 0) return { error: 'no flags to change' };
  return { patch: patch as Partial<WhatIfConfig> };
}

/** The second configuration of `config.compare`, or null when there is none. */
export function comparedConfig(config: WhatIfConfig): { config: WhatIfConfig } | { error: string } | null {
  if (config.compare === null) return null;
  const r = parsePatch(config.compare);
  if ('error' in r) return { error: `compare: ${r.error}` };
  const checked = checkWhatIfConfig({ ...config, ...r.patch, compare: null });
  if (checked.errors.length) return { error: `compare: ${checked.errors.map((e) => e.message).join('; ')}` };
  return { config: checked.config };
}

/** Cross-field rules: custom needs params and a link needs its numbers. */
export function checkWhatIfConfig(config: WhatIfConfig): { config: WhatIfConfig; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const out = { ...config, gpus: [...config.gpus] };
  if (out.model === 'custom' && out.params === null) {
    errors.push({ field: 'params', value: '', message: 'model custom needs --params (e.g. 70B); using 8b' });
    out.model = '8b';
  }
  if (out.model !== 'custom' && out.params !== null) {
    errors.push({ field: 'params', value: out.params, message: `params: only for --model custom (${out.model} has its own); ignored` });
    out.params = null;
  }
  if (out.link === 'custom' && (out.alphaUs === null || out.bandwidth === null)) {
    errors.push({ field: 'link', value: 'custom', message: 'link custom needs --alpha-us and --bandwidth; using ib-ndr400' });
    out.link = 'ib-ndr400';
  }
  return { config: out, errors };
}

export const WHATIF_TABLE: ConfigTable<WhatIfConfig> = { fields: WHATIF_FIELDS, check: checkWhatIfConfig };
const WHATIF_TABLE_NO_CHECK: ConfigTable<WhatIfConfig> = { fields: WHATIF_FIELDS };

/** True for the URL parameters of the what-if's table (`wi-…`); the training table leaves them alone. */
export function isWhatIfParam(name: string): boolean {
  return name.startsWith('wi-');
}
