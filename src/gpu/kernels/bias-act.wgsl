// Bias + activation on a [rows × cols] row-major matrix, and its backward.
//  forward:   x = act(x + bias)           (in place; act = ReLU or identity)
//  mask:      dy = dy ⊙ (y > 0)           (in place; ReLU backward from the layer output y)
//  bias_grad: db[c] = Σ_rows dz[r][c]     (column reduction)
// Bias and db are element offsets into the flat parameter / gradient buffers.

override RELU: bool = true;

struct Params { rows: u32, cols: u32, offBias: u32, offDb: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> dy: array<f32>;
@group(0) @binding(4) var<storage, read> y: array<f32>;
@group(0) @binding(5) var<storage, read> dz: array<f32>;
@group(0) @binding(6) var<storage, read_write> db: array<f32>;

fn linearIndex(gid: vec3u, nwg: vec3u) -> u32 {
  return gid.x + gid.y * nwg.x * 256u;
}

@compute @workgroup_size(256)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearIndex(gid, nwg);
  if (i >= p.rows * p.cols) { return; }
  let v = x[i] + bias[p.offBias + i % p.cols];
  x[i] = select(v, max(v, 0.0), RELU);
}

@compute @workgroup_size(256)
fn mask(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = linearIndex(gid, nwg);
  if (i >= p.rows * p.cols) { return; }
  dy[i] = select(0.0, dy[i], y[i] > 0.0);
}

// One thread per column, looping over the batch: batches here are small (≤ a few thousand),
// and a sequential sum in row order is deterministic.
@compute @workgroup_size(256)
fn bias_grad(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c = linearIndex(gid, nwg);
  if (c >= p.cols) { return; }
  var s = 0.0;
  for (var r = 0u; r < p.rows; r++) { s += dz[r * p.cols + c]; }
  db[p.offDb + c] = s;
}
