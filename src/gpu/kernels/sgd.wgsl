// SGD with momentum, PyTorch semantics: v = μ·v + g; p −= lr·v (μ = 0: plain SGD).

struct Params { count: u32, lr: f32, momentum: f32, _pad: u32 }

@group(0) @binding(0) var<uniform> h: Params;
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read> grads: array<f32>;
@group(0) @binding(3) var<storage, read_write> velocity: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 256u;
  if (i >= h.count) { return; }
  let v = h.momentum * velocity[i] + grads[i];
  velocity[i] = v;
  params[i] -= h.lr * v;
}
