// Element-wise reduction of a received slice into the local buffer, and in-place scaling.
// OP: 0 sum, 1 prod, 2 min, 3 max. One invocation per element; a 2-D grid of workgroups
// lifts the 65535-workgroup limit of one dimension.
override OP: u32 = 0u;
override WORKGROUP_SIZE: u32 = 256u;

struct Params {
  dst_offset: u32,
  src_offset: u32,
  count: u32,
  scale: f32,
  row_stride: u32, // invocations per row of the dispatch grid
}

@group(0) @binding(0) var<storage, read_write> dst: array<f32>;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;

fn combine(a: f32, b: f32) -> f32 {
  switch OP {
    case 1u: { return a * b; }
    case 2u: { return min(a, b); }
    case 3u: { return max(a, b); }
    default: { return a + b; }
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn reduce(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * p.row_stride;
  if (i >= p.count) { return; }
  dst[p.dst_offset + i] = combine(dst[p.dst_offset + i], src[p.src_offset + i]);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn scale(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x + gid.y * p.row_stride;
  if (i >= p.count) { return; }
  dst[p.dst_offset + i] = dst[p.dst_offset + i] * p.scale;
}
