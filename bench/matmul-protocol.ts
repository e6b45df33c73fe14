/**
 * What the matmul benchmark page (bench/matmul-page.ts) and its Node driver
 * (scripts/matmul-bench.ts) exchange: plain JSON only.
 */

/** One product C[m×n] = op(A)·op(B), as both libraries are asked for it. */
export interface MatmulBenchCase {
  /** Row label, e.g. "512³" or "dW 256×256×64 (Aᵀ)". */
  name: string;
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
}

export interface MatmulBenchRequest {
  cases: MatmulBenchCase[];
  /** Untimed products per library and case (pipeline compilation, buffer pools). */
  warmup: number;
  /** Timed products per library and case, interleaved ringlab, tfjs, ringlab, … */
  reps: number;
}

export interface MatmulBenchRow {
  case: MatmulBenchCase;
  flops: number;
  /** Which ringlab kernel ran (Matmul.variant). */
  ringlabKernel: string;
  /** Wall time of each timed product, ms: submit → 4-byte readback of C mapped. */
  ringlabMs: number[];
  tfjsMs: number[];
  ringlabMedianMs: number;
  tfjsMedianMs: number;
  ringlabGflops: number;
  tfjsGflops: number;
  /** ringlab GFLOP/s over tfjs GFLOP/s (tfjs median time / ringlab median time). */
  ratio: number;
  /** max|ringlab − tfjs| / max|tfjs| over the whole C of the last product: both must compute the same thing. */
  relDiff: number;
}

export interface MatmulBenchInfo {
  adapter: string;
  isSoftware: boolean;
  tfjsVersion: string;
}

/** The adapter's measured FMA throughput (bench/peak-flops.wgsl): the ceiling the matmul figures are read against. */
export interface PeakFlops {
  gflops: number;
  invocations: number;
  /** FMA-loop iterations per invocation (8 vec4 FMAs each) of the longer dispatch. */
  iters: number;
  /** Median wall time of one dispatch with `iters`, ms (same fence as the products). */
  medianMs: number;
  /** The same with iters / 4: the peak is the slope between the two, so fixed costs cancel. */
  baseMs: number;
}

export interface MatmulBenchApi {
  info(): Promise<MatmulBenchInfo>;
  peak(): Promise<PeakFlops>;
  run(request: MatmulBenchRequest): Promise<MatmulBenchRow[]>;
}
