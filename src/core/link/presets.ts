/**
 * Interconnect presets, GPU peaks and the similarity ratio (DESIGN.md §5).
 *
 * Every number carries its source. Latencies α are per hop as a collective library sees them
 * (NCCL's own tuning model, src/graph/tuning.cc `hwLat`, Ring/LL column: NVLink 0.6 µs,
 * PCI 1.0 µs, network 2.7 µs), not bare wire latencies; where no such figure exists the value
 * is an estimate and the source says so. Bandwidths are per direction, nominal.
 */

import type { LinkSpec } from './types';

export const LINK_IDS = ['nvlink', 'pcie5', 'ib-ndr400', '100gbe', '10gbe'] as const;
export type LinkId = (typeof LINK_IDS)[number];

export interface LinkPreset extends LinkSpec {
  id: LinkId;
  name: string;
  /** Where alphaS and bandwidthBytesPerS come from. */
  source: string;
}

export const LINK_PRESETS: Readonly<Record<LinkId, LinkPreset>> = {
  // NVIDIA H100 SXM5 datasheet: NVLink 900 GB/s per GPU, total of both directions (18 NVLink 4
  // links × 50 GB/s bidirectional), so 450 GB/s each way.
  nvlink: {
    id: 'nvlink',
    name: 'NVLink 4 (H100 SXM)',
    alphaS: 0.6e-6,
    bandwidthBytesPerS: 450e9,
    source: 'NVIDIA H100 datasheet: NVLink 900 GB/s bidirectional per GPU = 450 GB/s per direction; ' + 'α 0.6 µs = NCCL src/graph/tuning.cc hwLat NVLink Ring/LL',
  },
  // PCIe 5.0 x16: 32 GT/s × 16 lanes × 128/130 encoding / 8 bits = 63.0 GB/s per direction;
  // measured host-device copies reach about 53 GB/s.
  pcie5: {
    id: 'pcie5',
    name: 'PCIe 5.0 x16',
    alphaS: 1.0e-6,
    bandwidthBytesPerS: 63e9,
    source: 'PCI-SIG PCIe 5.0: 32 GT/s × 16 lanes × 128b/130b = 63 GB/s per direction (about 53 GB/s achievable); ' + 'α 1.0 µs = NCCL src/graph/tuning.cc hwLat PCI Ring/LL',
  },
  // InfiniBand NDR: 400 Gbit/s per port (ConnectX-7) = 50 GB/s. Bare verbs latency is about
  // 1 µs; NCCL models a network hop at 2.7 µs, which is what a collective pays.
  'ib-ndr400': {
    id: 'ib-ndr400',
    name: 'InfiniBand NDR 400 Gb/s',
    alphaS: 2.7e-6,
    bandwidthBytesPerS: 50e9,
    source: 'NVIDIA ConnectX-7 / Quantum-2: NDR 400 Gb/s per port = 50 GB/s; α 2.7 µs = NCCL src/graph/tuning.cc ' + 'hwLat NET Ring/LL (raw RDMA verbs latency is about 1 µs)',
  },
  // 100 Gigabit Ethernet (IEEE 802.3): 12.5 GB/s. With RoCEv2 through a switch, small-message
  // latency seen by a library is a few µs: NCCL's 2.7 µs network hop plus Ethernet switching.
  '100gbe': {
    id: '100gbe',
    name: '100 GbE (RoCEv2)',
    alphaS: 5e-6,
    bandwidthBytesPerS: 12.5e9,
    source:
      'IEEE 802.3 100GBASE: 100 Gb/s = 12.5 GB/s; α 5 µs is an estimate for RoCEv2 through one switch ' +
      '(NCCL network hop 2.7 µs + switch and NIC overhead), not a datasheet value',
  },
  // 10 Gigabit Ethernet with kernel TCP sockets: one-way small-message latency of tens of µs.
  '10gbe': {
    id: '10gbe',
    name: '10 GbE (TCP)',
    alphaS: 30e-6,
    bandwidthBytesPerS: 1.25e9,
    source: 'IEEE 802.3 10GBASE: 10 Gb/s = 1.25 GB/s; α 30 µs is an estimate for kernel TCP sockets ' + '(typical one-way small-message latency 20–50 µs), not a datasheet value',
  },
};

export const GPU_IDS = ['a100', 'h100', 'h200', 'v100', 't4', 'rtx4090'] as const;
export type GpuId = (typeof GPU_IDS)[number];

/**
 * A real GPU's peak. We use dense FP32 on the ordinary (non-tensor) cores: a WebGPU shader
 * computes in f32 without tensor cores, so the browser figure it is compared with is FP32 too.
 * (A real training job would use BF16 tensor cores, roughly 15× faster on H100; the ratio then
 * overstates how slow communication is relative to compute there. Stated, not corrected.)
 */
export interface GpuSpec {
  id: GpuId;
  name: string;
  /** Dense FP32 peak, FLOP/s (non-tensor, boost clock). */
  peakFlopsFp32: number;
  source: string;
}

export const GPUS: Readonly<Record<GpuId, GpuSpec>> = {
  a100: { id: 'a100', name: 'NVIDIA A100 SXM', peakFlopsFp32: 19.5e12, source: 'NVIDIA A100 datasheet: FP32 19.5 TFLOPS' },
  h100: { id: 'h100', name: 'NVIDIA H100 SXM', peakFlopsFp32: 67e12, source: 'NVIDIA H100 datasheet (SXM): FP32 67 TFLOPS' },
  h200: { id: 'h200', name: 'NVIDIA H200 SXM', peakFlopsFp32: 67e12, source: 'NVIDIA H200 datasheet (SXM): FP32 67 TFLOPS' },
  v100: { id: 'v100', name: 'NVIDIA V100 SXM2', peakFlopsFp32: 15.7e12, source: 'NVIDIA V100 datasheet (SXM2): FP32 15.7 TFLOPS' },
  t4: { id: 't4', name: 'NVIDIA T4', peakFlopsFp32: 8.1e12, source: 'NVIDIA T4 datasheet: FP32 8.1 TFLOPS' },
  rtx4090: {
    id: 'rtx4090',
    name: 'NVIDIA GeForce RTX 4090',
    peakFlopsFp32: 82.6e12,
    source: 'NVIDIA Ada Lovelace architecture whitepaper: RTX 4090 peak FP32 82.6 TFLOPS',
  },
};

/**
 * This GPU's measured FLOP/s over the real GPU's peak FP32 FLOP/s: how much slower our compute
 * is (≈1.5e-6 for SwiftShader's 0.1 GFLOP/s against an H100).
 * @throws Error for a non-positive or non-finite measurement.
 */
export function similarityRatio(measuredFlops: number, gpuId: GpuId): number {
  if (!(measuredFlops > 0) || !Number.isFinite(measuredFlops)) {
    throw new Error(`similarityRatio: measured FLOP/s must be a positive number, got ${measuredFlops}`);
  }
  return measuredFlops / GPUS[gpuId].peakFlopsFp32;
}

/**
 * The link the emulator should apply so the compute-to-communication ratio of the real system
 * holds here. Our compute runs 1/ratio times slower than the real GPU's; multiplying bandwidth
 * by ratio and dividing latency by ratio makes every transfer α + n/B exactly 1/ratio times
 * slower too. All durations then stretch by the same factor, so overlap, exposed communication
 * and scaling efficiency come out as on the real cluster.
 */
export function scaleLink(link: LinkSpec, ratio: number): LinkSpec {
  if (!(ratio > 0)) throw new Error(`scaleLink: ratio must be positive, got ${ratio}`);
  return { alphaS: link.alphaS / ratio, bandwidthBytesPerS: link.bandwidthBytesPerS * ratio };
}
