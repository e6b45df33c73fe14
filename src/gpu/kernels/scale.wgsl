// x[offset .. offset + count) *= factor. Turns an all-reduce sum into the average (factor 1/N).

struct Params { offset: u32, count: u32, factor: f32, _pad: u32 }

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.x + gid.y * nwg.x * 256u;
  if (i >= p.count) { return; }
  x[p.offset + i] *= p.factor;
}
