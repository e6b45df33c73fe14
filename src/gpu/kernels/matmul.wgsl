// C[M×N] = op(A)[M×K] · op(B)[K×N], all row-major f32, at element offsets into their buffers
// (the MLP's tensors live in one flat buffer whose offsets are not 256-byte aligned, so they
// cannot be bound as sub-ranges; the buffers are bound as array<f32>, so offsets need no alignment).
// op(A) = A (stored M×K) or Aᵀ (A stored K×M); op(B) = B (stored K×N) or Bᵀ (B stored N×K).
//
// Tiling: an 8×8 workgroup computes a 64×64 tile of C, each thread an 8×8 block held in sixteen
// vec4 registers. Per step of K the tiles of op(A) (64×16) and op(B) (16×64) go through
// workgroup memory stored K-major as vec4 (aTile[k][m/4], bTile[k][n/4]), so the inner loop is an
// outer product: per k, two vec4 loads of A, two of B, sixteen vec4 FMAs. Each thread loads one
// 4×4 block of each tile as four runs of 4 consecutive elements and, where the stored layout
// runs the other way, transposes it in registers before writing whole vec4s.
//
// The 8×8 register block is written out by hand on purpose: a `var acc: array<vec4<f32>, 16>`
// indexed in loops stays in memory on SwiftShader and measured 4× slower (docs/design-notes.md).
//
// Out-of-range elements load as 0 and out-of-range stores are skipped, so any shape works
// (33×65×17, 1×1×1). WHOLE_VEC4 says that every 4-element run the kernel touches lies wholly
// inside or wholly outside its matrix (the run's dimension is a multiple of 4), so runs are
// checked once instead of element by element.

override TRANS_A: bool = false;
override TRANS_B: bool = false;
override WHOLE_VEC4: bool = false;

struct Dims { m: u32, n: u32, k: u32, offA: u32, offB: u32, offC: u32 }

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

// Tile sizes shape the workgroup arrays and the unrolled block, so they are consts.
const TILE_M = 64u;
const TILE_N = 64u;
const TILE_K = 16u;
const M4 = 16u; // TILE_M / 4: vec4s per k in aTile
const N4 = 16u; // TILE_N / 4

var<workgroup> aTile: array<vec4<f32>, 256>; // [TILE_K][M4]: rows 4i..4i+3 of op(A) at one k
var<workgroup> bTile: array<vec4<f32>, 256>; // [TILE_K][N4]: columns 4j..4j+3 of op(B) at one k

/** How many of the 4 elements from `start` lie below `limit` (≥ 4 means all). */
fn avail(start: u32, limit: u32) -> u32 {
  return select(0u, limit - start, start < limit);
}

/** a[offA + e .. +3], the first `n` of them (the rest 0). */
fn runA(e: u32, n: u32) -> vec4<f32> {
  let i = dims.offA + e;
  if (n == 0u) { return vec4<f32>(0.0); }
  if (WHOLE_VEC4 || n >= 4u) { return vec4<f32>(a[i], a[i + 1u], a[i + 2u], a[i + 3u]); }
  var v = vec4<f32>(a[i], 0.0, 0.0, 0.0);
  if (n > 1u) { v.y = a[i + 1u]; }
  if (n > 2u) { v.z = a[i + 2u]; }
  return v;
}

fn runB(e: u32, n: u32) -> vec4<f32> {
  let i = dims.offB + e;
  if (n == 0u) { return vec4<f32>(0.0); }
  if (WHOLE_VEC4 || n >= 4u) { return vec4<f32>(b[i], b[i + 1u], b[i + 2u], b[i + 3u]); }
  var v = vec4<f32>(b[i], 0.0, 0.0, 0.0);
  if (n > 1u) { v.y = b[i + 1u]; }
  if (n > 2u) { v.z = b[i + 2u]; }
  return v;
}

/** Stores C[row][col .. col+3], the columns that exist. */
fn storeC(row: u32, col: u32, v: vec4<f32>) {
  if (row >= dims.m || col >= dims.n) { return; }
  let i = dims.offC + row * dims.n + col;
  c[i] = v.x;
  if (WHOLE_VEC4 || col + 3u < dims.n) {
    c[i + 1u] = v.y;
    c[i + 2u] = v.z;
    c[i + 3u] = v.w;
    return;
  }
  if (col + 1u < dims.n) { c[i + 1u] = v.y; }
  if (col + 2u < dims.n) { c[i + 2u] = v.z; }
}

/** This thread's 4×4 block of the op(A) tile (rows rowBase + 4·bm…, k t + 4·bk…) into aTile. */
fn loadATile(rowBase: u32, t: u32, li: u32) {
  if (TRANS_A) {
    // Stored K×M: a run is 4 rows of op(A) at one k, already the aTile layout.
    let bm = li % M4;
    let bk = li / M4;
    let row = rowBase + bm * 4u;
    let nRows = avail(row, dims.m);
    for (var j = 0u; j < 4u; j++) {
      let k = t + bk * 4u + j;
      aTile[(bk * 4u + j) * M4 + bm] = runA(k * dims.m + row, select(0u, nRows, k < dims.k));
    }
  } else {
    // Stored M×K: a run is 4 k of one row; four rows make a 4×4 block, transposed here.
    let bk = li % 4u;
    let bm = li / 4u;
    let row = rowBase + bm * 4u;
    let k = t + bk * 4u;
    let nK = avail(k, dims.k);
    let r0 = runA(row * dims.k + k, select(0u, nK, row < dims.m));
    let r1 = runA((row + 1u) * dims.k + k, select(0u, nK, row + 1u < dims.m));
    let r2 = runA((row + 2u) * dims.k + k, select(0u, nK, row + 2u < dims.m));
    let r3 = runA((row + 3u) * dims.k + k, select(0u, nK, row + 3u < dims.m));
    let base = bk * 4u * M4 + bm;
    aTile[base] = vec4<f32>(r0.x, r1.x, r2.x, r3.x);
    aTile[base + M4] = vec4<f32>(r0.y, r1.y, r2.y, r3.y);
    aTile[base + 2u * M4] = vec4<f32>(r0.z, r1.z, r2.z, r3.z);
    aTile[base + 3u * M4] = vec4<f32>(r0.w, r1.w, r2.w, r3.w);
  }
}

/** This thread's 4×4 block of the op(B) tile (k t + 4·bk…, columns colBase + 4·bn…) into bTile. */
fn loadBTile(colBase: u32, t: u32, li: u32) {
  if (TRANS_B) {
    // Stored N×K: a run is 4 k of one column of op(B); transposed like A above.
    let bk = li % 4u;
    let bn = li / 4u;
    let col = colBase + bn * 4u;
    let k = t + bk * 4u;
    let nK = avail(k, dims.k);
    let r0 = runB(col * dims.k + k, select(0u, nK, col < dims.n));
    let r1 = runB((col + 1u) * dims.k + k, select(0u, nK, col + 1u < dims.n));
    let r2 = runB((col + 2u) * dims.k + k, select(0u, nK, col + 2u < dims.n));
    let r3 = runB((col + 3u) * dims.k + k, select(0u, nK, col + 3u < dims.n));
    let base = bk * 4u * N4 + bn;
    bTile[base] = vec4<f32>(r0.x, r1.x, r2.x, r3.x);
    bTile[base + N4] = vec4<f32>(r0.y, r1.y, r2.y, r3.y);
    bTile[base + 2u * N4] = vec4<f32>(r0.z, r1.z, r2.z, r3.z);
    bTile[base + 3u * N4] = vec4<f32>(r0.w, r1.w, r2.w, r3.w);
  } else {
    // Stored K×N: a run is 4 columns at one k, already the bTile layout.
    let bn = li % N4;
    let bk = li / N4;
    let col = colBase + bn * 4u;
    let nCols = avail(col, dims.n);
    for (var j = 0u; j < 4u; j++) {
      let k = t + bk * 4u + j;
      bTile[(bk * 4u + j) * N4 + bn] = runB(k * dims.n + col, select(0u, nCols, k < dims.k));
    }
  }
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let rowBase = wg.y * TILE_M;
  let colBase = wg.x * TILE_N;
  // accRC: row 8·lid.y + R of the block, columns 8·lid.x + 4·C .. +3.
  var acc00 = vec4<f32>(0.0); var acc01 = vec4<f32>(0.0);
  var acc10 = vec4<f32>(0.0); var acc11 = vec4<f32>(0.0);
  var acc20 = vec4<f32>(0.0); var acc21 = vec4<f32>(0.0);
  var acc30 = vec4<f32>(0.0); var acc31 = vec4<f32>(0.0);
  var acc40 = vec4<f32>(0.0); var acc41 = vec4<f32>(0.0);
  var acc50 = vec4<f32>(0.0); var acc51 = vec4<f32>(0.0);
  var acc60 = vec4<f32>(0.0); var acc61 = vec4<f32>(0.0);
  var acc70 = vec4<f32>(0.0); var acc71 = vec4<f32>(0.0);
  for (var t = 0u; t < dims.k; t += TILE_K) {
    loadATile(rowBase, t, li);
    loadBTile(colBase, t, li);
    workgroupBarrier();
    for (var k = 0u; k < TILE_K; k++) {
      let a0 = aTile[k * M4 + lid.y * 2u]; // rows 0..3 of the block
      let a1 = aTile[k * M4 + lid.y * 2u + 1u]; // rows 4..7
      let b0 = bTile[k * N4 + lid.x * 2u]; // columns 0..3
      let b1 = bTile[k * N4 + lid.x * 2u + 1u]; // columns 4..7
      acc00 = fma(vec4<f32>(a0.x), b0, acc00); acc01 = fma(vec4<f32>(a0.x), b1, acc01);
      acc10 = fma(vec4<f32>(a0.y), b0, acc10); acc11 = fma(vec4<f32>(a0.y), b1, acc11);
      acc20 = fma(vec4<f32>(a0.z), b0, acc20); acc21 = fma(vec4<f32>(a0.z), b1, acc21);
      acc30 = fma(vec4<f32>(a0.w), b0, acc30); acc31 = fma(vec4<f32>(a0.w), b1, acc31);
      acc40 = fma(vec4<f32>(a1.x), b0, acc40); acc41 = fma(vec4<f32>(a1.x), b1, acc41);
      acc50 = fma(vec4<f32>(a1.y), b0, acc50); acc51 = fma(vec4<f32>(a1.y), b1, acc51);
      acc60 = fma(vec4<f32>(a1.z), b0, acc60); acc61 = fma(vec4<f32>(a1.z), b1, acc61);
      acc70 = fma(vec4<f32>(a1.w), b0, acc70); acc71 = fma(vec4<f32>(a1.w), b1, acc71);
    }
    workgroupBarrier();
  }
  let row = rowBase + lid.y * 8u;
  let col = colBase + lid.x * 8u;
  storeC(row, col, acc00); storeC(row, col + 4u, acc01);
  storeC(row + 1u, col, acc10); storeC(row + 1u, col + 4u, acc11);
  storeC(row + 2u, col, acc20); storeC(row + 2u, col + 4u, acc21);
  storeC(row + 3u, col, acc30); storeC(row + 3u, col + 4u, acc31);
  storeC(row + 4u, col, acc40); storeC(row + 4u, col + 4u, acc41);
  storeC(row + 5u, col, acc50); storeC(row + 5u, col + 4u, acc51);
  storeC(row + 6u, col, acc60); storeC(row + 6u, col + 4u, acc61);
  storeC(row + 7u, col, acc70); storeC(row + 7u, col + 4u, acc71);
}
