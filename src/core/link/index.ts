/**
 * Links between ranks (DESIGN.md §5), one name per concept: `LinkSpec` (latency, bandwidth),
 * `AlphaBeta` and `AlphaBetaGamma` (the model's forms), presets and GPUs, the node split and
 * per-pair map, the config fields, the links a run resolves and emulates, and their description.
 */
export * from './types';
export * from './presets';
export * from './topology';
export * from './pair-links';
export * from './config';
export * from './resolve';
export * from './emulated';
export * from './describe';
