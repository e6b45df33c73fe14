// C[M×N] = op(A)[M×K] · op(B)[K×N], all row-major f32, at element offsets into their buffers
// (the MLP's tensors live in one flat buffer whose offsets are not 256-byte aligned, so they
// cannot be bound as sub-ranges; the buffers are bound as array<f32>, so offsets need no alignment).
// op(A) = A (stored M×K) or Aᵀ (A stored K×M); op(B) = B (stored K×N) or Bᵀ (B stored N×K).
//
// Tiling: an 8×8 workgroup computes a 64×64 tile of C, each thread an 8×8 block held in sixteen
// vec4 registers. Per step of K the tiles of op(A) (64×16) and op(B) (16×64) go through
// workgroup memory stored K-major as vec4 (tiles: A at [k][m/4], B at [k][n/4]), so the inner loop is an
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

// Tile sizes shape the workgroup array and the unrolled block, so they are consts.
const TILE = 64u; // TILE_M = TILE_N: C tile of one workgroup
const TILE_K = 16u;
const V4 = 16u; // TILE / 4: vec4s per k in a tile
const B_TILE = 256u; // TILE_K * V4: where B's tile starts in `tiles`

// [0, B_TILE): op(A)'s tile, [k][V4]: rows 4i..4i+3 at one k; [B_TILE, 2·B_TILE): op(B)'s, [k][V4]:
// columns 4j..4j+3 at one k. One array, so one loader serves both operands.
var<workgroup> tiles: array<vec4<f32>, 512>;

/** How many of the 4 elements from `start` lie below `limit` (≥ 4 means all). */
fn avail(start: u32, limit: u32) -> u32 {
  return select(0u, limit - start, start < limit);
}

/** One element of A (fromB false) or B, at `i` (offset included). fromB is a constant at every call. */
fn elem(fromB: bool, i: u32) -> f32 {
  if (fromB) { return b[i]; }
  return a[i];
}

/** A's or B's elements offset + e .. +3, the first `n` of them (the rest 0). */
fn run(fromB: bool, e: u32, n: u32) -> vec4<f32> {
  let i = select(dims.offA, dims.offB, fromB) + e;
  if (n == 0u) { return vec4<f32>(0.0); }
  if (WHOLE_VEC4 || n >= 4u) { return vec4<f32>(elem(fromB, i), elem(fromB, i + 1u), elem(fromB, i + 2u), elem(fromB, i + 3u)); }
  var v = vec4<f32>(elem(fromB, i), 0.0, 0.0, 0.0);
  if (n > 1u) { v.y = elem(fromB, i + 1u); }
  if (n > 2u) { v.z = elem(fromB, i + 2u); }
  return v;
}

/**
 * A 4×4 block of an operand stored with K innermost (A as M×K, B transposed as N×K): runs k .. k+3
 * of the stored rows outer .. outer+3, transposed, so column j holds the four rows at k + j
 * (rows at or past outerLimit read 0).
 */
fn kRunsTransposed(fromB: bool, outer: u32, outerLimit: u32, k: u32) -> mat4x4<f32> {
  let nK = avail(k, dims.k);
  return transpose(mat4x4<f32>(
    run(fromB, outer * dims.k + k, select(0u, nK, outer < outerLimit)),
    run(fromB, (outer + 1u) * dims.k + k, select(0u, nK, outer + 1u < outerLimit)),
    run(fromB, (outer + 2u) * dims.k + k, select(0u, nK, outer + 2u < outerLimit)),
    run(fromB, (outer + 3u) * dims.k + k, select(0u, nK, outer + 3u < outerLimit)),
  ));
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

/**
 * A 4×4 block of an operand stored with `outer` innermost (Aᵀ as K×M, B as K×N): runs of the
 * stored rows k .. k+3 at outer .. outer+3, so column j already holds the four outer indices at
 * k + j (k past K reads 0).
 */
fn outerRuns(fromB: bool, outer: u32, outerLimit: u32, k: u32) -> mat4x4<f32> {
  let n = avail(outer, outerLimit);
  return mat4x4<f32>(
    run(fromB, k * outerLimit + outer, select(0u, n, k < dims.k)),
    run(fromB, (k + 1u) * outerLimit + outer, select(0u, n, k + 1u < dims.k)),
    run(fromB, (k + 2u) * outerLimit + outer, select(0u, n, k + 2u < dims.k)),
    run(fromB, (k + 3u) * outerLimit + outer, select(0u, n, k + 3u < dims.k)),
  );
}

/**
 * This thread's 4×4 block of an operand's tile (outer indices outerBase + 4·bo…, k t + 4·bk…):
 * rows of op(A) (outerLimit M) or columns of op(B) (outerLimit N). `kInner`: the operand is
 * stored with K innermost (A, or Bᵀ), so its runs follow k and the block is transposed.
 * Neighbouring threads take neighbouring runs of the stored layout either way.
 */
fn loadTile(fromB: bool, kInner: bool, outerBase: u32, outerLimit: u32, t: u32, li: u32) {
  var blk: mat4x4<f32>;
  var bo: u32;
  var bk: u32;
  if (kInner) {
    bk = li % (TILE_K / 4u);
    bo = li / (TILE_K / 4u);
    blk = kRunsTransposed(fromB, outerBase + bo * 4u, outerLimit, t + bk * 4u);
  } else {
    bo = li % V4;
    bk = li / V4;
    blk = outerRuns(fromB, outerBase + bo * 4u, outerLimit, t + bk * 4u);
  }
  let base = select(0u, B_TILE, fromB) + bk * 4u * V4 + bo;
  tiles[base] = blk[0];
  tiles[base + V4] = blk[1];
  tiles[base + 2u * V4] = blk[2];
  tiles[base + 3u * V4] = blk[3];
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let rowBase = wg.y * TILE;
  let colBase = wg.x * TILE;
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
    loadTile(false, !TRANS_A, rowBase, dims.m, t, li);
    loadTile(true, TRANS_B, colBase, dims.n, t, li);
    workgroupBarrier();
    for (var k = 0u; k < TILE_K; k++) {
      let a0 = tiles[k * V4 + lid.y * 2u]; // rows 0..3 of the block
      let a1 = tiles[k * V4 + lid.y * 2u + 1u]; // rows 4..7
      let b0 = tiles[B_TILE + k * V4 + lid.x * 2u]; // columns 0..3
      let b1 = tiles[B_TILE + k * V4 + lid.x * 2u + 1u]; // columns 4..7
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
