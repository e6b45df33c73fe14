// Softmax cross-entropy over [rows × classes] logits, one thread per row:
//   loss[r]    = logsumexp(z_r) − z_r[label_r]
//   correct[r] = 1 if argmax(z_r) == label_r else 0   (first maximum wins, as in the CPU reference)
//   dz[r][c]   = (softmax(z_r)[c] − [c == label_r]) / batchScale
// batchScale is the caller's choice: the local shard size (then all-reduce average) or the
// global batch size (then all-reduce sum); see src/core/model/reference.ts.

struct Params { rows: u32, classes: u32, batchScale: f32, _pad: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<u32>;
@group(0) @binding(3) var<storage, read_write> loss: array<f32>;
@group(0) @binding(4) var<storage, read_write> correct: array<f32>;
@group(0) @binding(5) var<storage, read_write> dz: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = gid.x + gid.y * nwg.x * 64u;
  if (r >= p.rows) { return; }
  let base = r * p.classes;
  var mx = logits[base];
  var arg = 0u;
  for (var c = 1u; c < p.classes; c++) {
    if (logits[base + c] > mx) { mx = logits[base + c]; arg = c; }
  }
  var sum = 0.0;
  for (var c = 0u; c < p.classes; c++) { sum += exp(logits[base + c] - mx); }
  let label = labels[r];
  loss[r] = log(sum) + mx - logits[base + label];
  correct[r] = select(0.0, 1.0, arg == label);
  for (var c = 0u; c < p.classes; c++) {
    let onehot = select(0.0, 1.0, c == label);
    dz[base + c] = (exp(logits[base + c] - mx) / sum - onehot) / p.batchScale;
  }
}
