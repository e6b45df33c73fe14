// The adapter's FMA throughput, for "% of measured peak" beside the matmul figures: each
// invocation runs eight independent vec4 FMA chains in registers (no memory traffic inside the
// loop) and stores their sum, so the compiler cannot drop them. FLOPs = invocations × iters × 64.

struct Params { iters: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let s = f32(gid.x) * 1e-9;
  var x0 = vec4<f32>(s, s + 0.1, s + 0.2, s + 0.3);
  var x1 = x0 + 1.0; var x2 = x0 + 2.0; var x3 = x0 + 3.0;
  var x4 = x0 + 4.0; var x5 = x0 + 5.0; var x6 = x0 + 6.0; var x7 = x0 + 7.0;
  let m = vec4<f32>(0.9999999);
  let a = vec4<f32>(1e-7);
  for (var i = 0u; i < params.iters; i++) {
    x0 = fma(x0, m, a); x1 = fma(x1, m, a); x2 = fma(x2, m, a); x3 = fma(x3, m, a);
    x4 = fma(x4, m, a); x5 = fma(x5, m, a); x6 = fma(x6, m, a); x7 = fma(x7, m, a);
  }
  out[gid.x] = ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + x7));
}
