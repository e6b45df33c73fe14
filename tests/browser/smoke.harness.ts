/** Harness functions for the smoke test: WebGPU works in a dedicated module worker. */
export async function workerWebgpu(): Promise<{ ok: boolean; crossOriginIsolated: boolean; detail: string }> {
  const src = `self.onmessage = async () => {
    try {
      const a = await navigator.gpu.requestAdapter();
      const d = await a.requestDevice();
      self.postMessage({ ok: true, detail: a.info.vendor + ' ' + a.info.architecture });
      d.destroy();
    } catch (e) { self.postMessage({ ok: false, detail: String(e) }); }
  };`;
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  const w = new Worker(url, { type: 'module' });
  try {
    const r = await new Promise<{ ok: boolean; detail: string }>((res) => {
      w.onmessage = (e) => res(e.data);
      w.postMessage(0);
    });
    return { ...r, crossOriginIsolated: globalThis.crossOriginIsolated };
  } finally {
    w.terminate();
    URL.revokeObjectURL(url);
  }
}
