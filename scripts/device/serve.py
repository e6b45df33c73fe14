#!/usr/bin/env python3
"""Static server for ringlab's dist/ on machines without Node (scripts/device/run.sh).

Same headers as src/cli/serve.ts (COOP/COEP/CORP, so SharedArrayBuffer works) and MIME types,
plus POST /results/<name> (the runner page's autorun) writing the body to --results/<name>, and
GET /results/<name> to read one back (404 until it exists; GET /done is /results/done.json).
Usage: serve.py --root dist --results DIR [--port 8123] [--host 127.0.0.1]
"""
import argparse
import os
import re
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

ISOLATION = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
}
MIME = {
    '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
    '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
    '.wasm': 'application/wasm', '.wgsl': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml',
    '.png': 'image/png', '.ico': 'image/x-icon',
}
NAME = re.compile(r'^[A-Za-z0-9._-]{1,100}$')
MAX_BODY = 64 * 1024 * 1024


def make_handler(root, results):
    class Handler(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME}

        def __init__(self, *a, **kw):
            super().__init__(*a, directory=root, **kw)

        def end_headers(self):
            for k, v in ISOLATION.items():
                self.send_header(k, v)
            self.send_header('Cache-Control', 'no-store')
            super().end_headers()

        def log_message(self, fmt, *args):
            sys.stderr.write('serve.py: %s\n' % (fmt % args))

        def result_name(self):
            path = self.path.split('?', 1)[0]
            if path == '/done':
                return 'done.json'
            if path.startswith('/results/'):
                name = path[len('/results/'):]
                return name if NAME.match(name) and '..' not in name else ''
            return None

        def do_GET(self):
            name = self.result_name()
            if name is None:
                return super().do_GET()
            file = os.path.join(results, name) if name else ''
            if not name or not os.path.isfile(file):
                return self.send_error(404)
            with open(file, 'rb') as f:
                body = f.read()
            self.send_response(200)
            self.send_header('Content-Type', MIME['.json'])
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            name = self.result_name()
            if not name:
                return self.send_error(404 if name is None else 400)
            length = int(self.headers.get('Content-Length') or 0)
            if length > MAX_BODY:
                return self.send_error(413)
            body = self.rfile.read(length)
            tmp = os.path.join(results, '.' + name + '.tmp')
            with open(tmp, 'wb') as f:
                f.write(body)
            os.replace(tmp, os.path.join(results, name))  # readers never see half a file
            sys.stderr.write('serve.py: stored %s (%d bytes)\n' % (name, len(body)))
            self.send_response(204)
            self.end_headers()

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--root', default='dist')
    ap.add_argument('--results', default='results')
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--port', type=int, default=8123)
    a = ap.parse_args()
    os.makedirs(a.results, exist_ok=True)
    server = ThreadingHTTPServer((a.host, a.port), make_handler(os.path.abspath(a.root), os.path.abspath(a.results)))
    sys.stderr.write('serve.py: http://%s:%d/ serving %s, results in %s\n' % (a.host, a.port, a.root, a.results))
    server.serve_forever()


if __name__ == '__main__':
    main()
