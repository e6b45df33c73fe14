/**
 * A tiny static server for the built page (dist/): cross-origin isolated (COOP/COEP, so
 * SharedArrayBuffer works; plus CORP same-origin on every file), correct MIME types, bound to
 * 127.0.0.1 on a free port. Only GET/HEAD of files under the root; nothing else.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

/** Same pair as vite.config.ts's isolationHeaders (not imported: that file pulls in Vite). */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.wgsl': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /**
   * Send COOP/COEP/CORP (default true). false plays a plain static host (GitHub Pages,
   * `python3 -m http.server`) for the test of the page's service-worker fallback.
   */
  isolation?: boolean;
  /** URL prefix the files are served under, e.g. '/class/ringlab/' (default '/'); other paths 404. */
  mount?: string;
}

/** Serves `root` until close(). Paths outside root (../) get 403, missing files 404. */
export async function serveStatic(root: string, options: ServeOptions = {}): Promise<StaticServer> {
  const base = resolve(root);
  const headers = options.isolation === false ? {} : ISOLATION_HEADERS;
  const mount = options.mount ?? '/';
  const server = createServer((req, res) => {
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, { ...headers, 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return send(400, 'bad path');
    }
    if (!path.startsWith(mount)) return send(404, `not found: ${path}`);
    path = `/${path.slice(mount.length)}`;
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) return send(403, 'forbidden');
    readFile(file).then(
      (body) => send(200, body, MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'),
      () => send(404, `not found: ${path}`),
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
