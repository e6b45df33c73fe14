import { nudgeFor, nudgeWhilePending } from './nudge';

/** A MAP_WRITE | COPY_SRC staging buffer, and when it is mapped for writing again. */
export interface WritableStaging {
  buffer: GPUBuffer;
  /** Resolves when the buffer is mapped (false: mapping it failed and it was destroyed). */
  mapped: Promise<boolean>;
}

/**
 * Staging buffers of one rank, pooled by size (STYLE.md 6): MAP_READ ones for readbacks (the
 * collectives read back every step) and MAP_WRITE ones for the host protocol's mapped uploads,
 * which are mapped again as soon as they are given back, so the next upload finds them mapped.
 * Buffers are reused rather than created per transfer. The pool owns them.
 */
export class StagingPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private readonly writable = new Map<number, WritableStaging[]>();
  private created = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly label: string,
    /** Nudge period while a readback is pending, ms (src/rank/nudge.ts; 0: off). */
    private readonly nudgeMs = 0,
  ) {}

  /** A buffer of at least `bytes` (rounded up to a power of two ≥ 256 so sizes recur). */
  take(bytes: number): GPUBuffer {
    const size = pooledSize(bytes);
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
   * in order) and maps it: one readback round trip for all of them, nudged up to NUDGE_MAX_BYTES (src/rank/nudge.ts).
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
    const mapped = nudgeWhilePending(this.device, buffer.mapAsync(GPUMapMode.READ, 0, Math.max(4, total)), nudgeFor(total, this.nudgeMs)).then(
      () => buffer,
      (e: unknown) => {
        buffer.destroy();
        throw e;
      },
    );
    return { buffer, mapped };
  }

  /** A MAP_WRITE | COPY_SRC buffer of at least `bytes`: a new one is mapped at creation. */
  takeWritable(bytes: number): WritableStaging {
    const size = pooledSize(bytes);
    const w = this.writable.get(size)?.pop();
    if (w) return w;
    this.created++;
    const buffer = this.device.createBuffer({
      label: `${this.label}.writable${this.created}`,
      size,
      usage: GPUBufferUsage.MAP_WRITE | GPUBufferUsage.COPY_SRC,
      mappedAtCreation: true,
    });
    return { buffer, mapped: Promise.resolve(true) };
  }

  /**
   * Returns a writable buffer; an unmapped one (its bytes were copied out) is mapped again in the
   * background (after the queue's copies from it), a mapped or mapping one goes back as it is.
   */
  giveWritable(w: WritableStaging): void {
    const { buffer } = w;
    const mapped =
      buffer.mapState === 'unmapped'
        ? buffer.mapAsync(GPUMapMode.WRITE).then(
            () => true,
            () => {
              buffer.destroy();
              return false;
            },
          )
        : w.mapped;
    const list = this.writable.get(buffer.size) ?? [];
    if (!list.some((w) => w.buffer === buffer)) list.push({ buffer, mapped });
    this.writable.set(buffer.size, list);
  }

  /** Frees every pooled buffer. */
  destroy(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    for (const list of this.writable.values()) for (const w of list) w.buffer.destroy();
    this.free.clear();
    this.writable.clear();
  }
}

/** Pooled sizes: powers of two ≥ 256 bytes, so sizes recur. */
function pooledSize(bytes: number): number {
  return Math.max(256, 2 ** Math.ceil(Math.log2(Math.max(4, bytes))));
}
