/**
 * This GPU's matmul throughput, for the similarity ratio (DESIGN.md §5): a square tiled matmul,
 * one warm-up (SwiftShader compiles the pipeline on first use), then the median of fenced
 * repetitions. The size doubles from 128 while one product takes under 20 ms: on a real GPU a
 * small product only measures dispatch overhead (the H200 gave 20 GFLOP/s at 128³ with the
 * earlier scalar kernel); on SwiftShader the vec4 kernel reaches 20 ms around 256³–512³.
 */
import { median } from '../core/metrics';
import { createStorage } from './buffers';
import { Matmul } from './kernels/matmul';

export interface FlopsMeasurement {
  flopsPerS: number;
  size: number;
  /** Median wall time of one product, fenced by onSubmittedWorkDone, s. */
  timeS: number;
}

export async function measureMatmulFlops(device: GPUDevice, startSize = 128, maxSize = 2048): Promise<FlopsMeasurement> {
  let m = await measureAt(device, startSize, 3);
  while (m.timeS < 0.02 && m.size * 2 <= maxSize) m = await measureAt(device, m.size * 2, 3);
  return m;
}

async function measureAt(device: GPUDevice, size: number, reps: number): Promise<FlopsMeasurement> {
  const bytes = size * size * 4;
  const a = createStorage(device, 'flops.a', bytes);
  const b = createStorage(device, 'flops.b', bytes);
  const c = createStorage(device, 'flops.c', bytes);
  const mm = new Matmul(device, 'flops', { m: size, n: size, k: size });
  try {
    const once = async (): Promise<number> => {
      const t0 = performance.now();
      const enc = device.createCommandEncoder({ label: 'flops.encoder' });
      mm.encode(enc, a, b, c);
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      return (performance.now() - t0) / 1e3;
    };
    await once();
    const times: number[] = [];
    for (let i = 0; i < reps; i++) times.push(await once());
    const timeS = median(times);
    return { flopsPerS: mm.flops / timeS, size, timeS };
  } finally {
    mm.destroy();
    for (const x of [a, b, c]) x.destroy();
  }
}
