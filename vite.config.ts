import { defineConfig } from 'vite';

/**
 * SharedArrayBuffer needs cross-origin isolation, so every server of the page (dev, preview)
 * sends COOP/COEP. The CLI's own static server sends the same pair (src/cli/serve.ts).
 */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative asset URLs: dist/ works from any sub-path (GitHub Pages' /<repo>/, a class server's /ringlab/).
  base: './',
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
    // Two pages: the app, and the chart-free page the CLI drives (src/cli/runner-page.ts).
    // Vite 8 names this rolldownOptions (rollupOptions is its deprecated alias).
    rolldownOptions: { input: { main: 'index.html', runner: 'runner.html' } },
  },
});
