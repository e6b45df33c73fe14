/**
 * The layer rule of DESIGN.md §2, enforced (`npm run lint`): imports point downwards only.
 *   core -> nothing of ours; gpu, transport -> core; rank -> gpu, transport, core;
 *   cluster -> rank, transport, core; ui, cli -> cluster, core.
 * Plus no import cycles anywhere in src.
 */
const LAYERS = ['core', 'gpu', 'transport', 'rank', 'cluster', 'ui', 'cli'];
const ALLOWED = {
  core: [],
  gpu: ['core'],
  transport: ['core'],
  rank: ['gpu', 'transport', 'core'],
  cluster: ['rank', 'transport', 'core'],
  ui: ['cluster', 'core'],
  cli: ['cluster', 'core'],
};

/** One rule per layer: it may import itself and the layers ALLOWED lists, nothing else of src. */
const layerRules = LAYERS.map((layer) => ({
  name: `layer-${layer}`,
  comment: `src/${layer} may import only ${ALLOWED[layer].length ? ALLOWED[layer].map((l) => `src/${l}`).join(', ') : 'nothing of ours'} (DESIGN.md §2)`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(?!(${[layer, ...ALLOWED[layer]].join('|')})/)` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-cycles',
      comment: 'Import cycles make the load order matter and hide layering mistakes.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Vite's `?raw` WGSL and `?worker` imports are files, not modules to resolve.
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
