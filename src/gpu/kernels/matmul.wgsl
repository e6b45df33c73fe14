// C[M×N] = op(A)[M×K] · op(B)[K×N], all row-major f32, at element offsets into their buffers
// (the MLP's tensors live in one flat buffer whose offsets are not 256-byte aligned, so
// they cannot be bound as sub-ranges).
// op(A) = A (stored M×K) or Aᵀ (A stored K×M); op(B) = B (stored K×N) or Bᵀ (B stored N×K).
// Tiling: a 16×16 workgroup computes a 64×64 tile of C, each thread a 4×4 register block;
// A and B tiles of 16 (K) × 64 go through workgroup memory. Out-of-range loads read 0 and
// out-of-range stores are skipped, so any shape works (33×65×17, 1×1×1).

override TRANS_A: bool = false;
override TRANS_B: bool = false;

struct Dims { m: u32, n: u32, k: u32, offA: u32, offB: u32, offC: u32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

// Tile sizes shape the workgroup arrays and the unrolled loops, so they are consts.
const TILE_M = 64u;
const TILE_N = 64u;
const TILE_K = 16u;
const REG = 4u; // register block per thread: REG × REG

var<workgroup> aTile: array<f32, 1024>; // [TILE_K][TILE_M]
var<workgroup> bTile: array<f32, 1024>; // [TILE_K][TILE_N]

fn loadA(row: u32, kk: u32) -> f32 {
  if (row >= dims.m || kk >= dims.k) { return 0.0; }
  if (TRANS_A) { return a[dims.offA + kk * dims.m + row]; }
  return a[dims.offA + row * dims.k + kk];
}

fn loadB(kk: u32, col: u32) -> f32 {
  if (kk >= dims.k || col >= dims.n) { return 0.0; }
  if (TRANS_B) { return b[dims.offB + col * dims.k + kk]; }
  return b[dims.offB + kk * dims.n + col];
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let rowBase = wg.y * TILE_M;
  let colBase = wg.x * TILE_N;
  var acc: array<f32, 16>;
  for (var t = 0u; t < dims.k; t += TILE_K) {
    // 1024 elements per tile, 256 threads, 4 each. Neighbouring threads take neighbouring
    // addresses of the stored layout (coalesced), whichever way the operand is stored.
    for (var i = 0u; i < 4u; i++) {
      let e = li + i * 256u;
      var r: u32; var kk: u32;
      if (TRANS_A) { kk = e / TILE_M; r = e % TILE_M; } else { r = e / TILE_K; kk = e % TILE_K; }
      aTile[kk * TILE_M + r] = loadA(rowBase + r, t + kk);
      var col: u32; var kb: u32;
      if (TRANS_B) { col = e / TILE_K; kb = e % TILE_K; } else { kb = e / TILE_N; col = e % TILE_N; }
      bTile[kb * TILE_N + col] = loadB(t + kb, colBase + col);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TILE_K; kk++) {
      var av: array<f32, 4>;
      var bv: array<f32, 4>;
      for (var i = 0u; i < REG; i++) {
        av[i] = aTile[kk * TILE_M + lid.y * REG + i];
        bv[i] = bTile[kk * TILE_N + lid.x * REG + i];
      }
      for (var i = 0u; i < REG; i++) {
        for (var j = 0u; j < REG; j++) {
          acc[i * REG + j] = fma(av[i], bv[j], acc[i * REG + j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < REG; i++) {
    let row = rowBase + lid.y * REG + i;
    for (var j = 0u; j < REG; j++) {
      let col = colBase + lid.x * REG + j;
      if (row < dims.m && col < dims.n) { c[dims.offC + row * dims.n + col] = acc[i * REG + j]; }
    }
  }
}
