/**
 * MAP_READ staging buffers of one rank, pooled by size (STYLE.md 6): the collectives read
 * back every step, so buffers are reused rather than created per readback. The pool owns them.
 */
export class StagingPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private created = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly label: string,
  ) {}

  /** A buffer of at least `bytes` (rounded up to a power of two ≥ 256 so sizes recur). */
  take(bytes: number): GPUBuffer {
    const size = Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(4, bytes))));
    const b = this.free.get(size)?.pop();
    if (b) return b;
    this.created++;
    return this.device.createBuffer({ label: `${this.label}.staging${this.created}`, size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  }

  /** Returns a buffer (unmapping it if needed). */
  give(b: GPUBuffer): void {
    if (b.mapState !== 'unmapped') b.unmap();
    const list = this.free.get(b.size) ?? [];
    if (!list.includes(b)) list.push(b);
    this.free.set(b.size, list);
  }

  /**
   * Submits one copy per `[srcOffsetBytes, bytes]` run from `src` into one pooled buffer (packed
   * in order) and maps it: one readback round trip for all of them.
   */
  readBack(src: GPUBuffer, runs: readonly { offsetBytes: number; bytes: number }[]): { buffer: GPUBuffer; mapped: Promise<GPUBuffer> } {
    const total = runs.reduce((a, r) => a + r.bytes, 0);
    const buffer = this.take(total);
    const enc = this.device.createCommandEncoder({ label: `${this.label}.stage` });
    let at = 0;
    for (const r of runs) {
      enc.copyBufferToBuffer(src, r.offsetBytes, buffer, at, r.bytes);
      at += r.bytes;
    }
    this.device.queue.submit([enc.finish()]);
    const mapped = buffer.mapAsync(GPUMapMode.READ, 0, Math.max(4, total)).then(
      () => buffer,
      (e: unknown) => {
        buffer.destroy();
        throw e;
      },
    );
    return { buffer, mapped };
  }

  /** Frees every pooled buffer. */
  destroy(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
  }
}
