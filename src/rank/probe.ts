/**
 * The page's own look at this GPU before any rank starts: which adapter the browser gives, and
 * its matmul FLOP/s for the similarity ratio (DESIGN.md §5). The probe owns its device and
 * destroys it once the measurement has settled.
 */
import type { AdapterDescription } from '../core/adapter';
import { requestDevice } from '../gpu/device';
import { type FlopsMeasurement, measureMatmulFlops } from '../gpu/flops';

export type GpuProbe =
  | {
      ok: true;
      adapter: AdapterDescription;
      hasTimestamps: boolean;
      /** This GPU's matmul throughput, measured in the background; the device is destroyed after. */
      flops: Promise<FlopsMeasurement>;
    }
  | { ok: false; reason: 'no-webgpu' | 'no-adapter' | 'device-failed'; message: string };

/** Brings up a device named `label`, starts the FLOP/s measurement on it and returns at once. */
export async function probeGpu(label: string): Promise<GpuProbe> {
  const got = await requestDevice(label);
  if (!got.ok) return got;
  const { device } = got;
  const flops = measureMatmulFlops(device).finally(() => device.destroy());
  return { ok: true, adapter: got.adapter, hasTimestamps: got.hasTimestamps, flops };
}
