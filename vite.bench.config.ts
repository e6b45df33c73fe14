import { defineConfig } from 'vite';

/**
 * The benchmark pages, built apart from the app (into dist-bench/) so that the app's dist/ never
 * contains tfjs: bench/matmul.html compares ringlab's matmul with tfjs-backend-webgpu, a
 * devDependency that only this build bundles. scripts/perf-matmul.ts builds it when needed and
 * serves it with src/cli/serve.ts (cross-origin isolated like the runner page).
 */
export default defineConfig({
  base: './',
  publicDir: false,
  build: {
    outDir: 'dist-bench',
    emptyOutDir: true,
    target: 'es2022',
    // tfjs-core + tfjs-backend-webgpu make one ~420 kB chunk; this page is never deployed.
    chunkSizeWarningLimit: 1024,
    rolldownOptions: { input: { matmul: 'bench/matmul.html' } },
  },
});
