/** FNV-1a (32-bit): the parameter hash ringlab and its exported PyTorch program both print. */

/** FNV-1a 32-bit hash of `bytes`, continuing from `seed` (the offset basis by default), as 8 hex digits. */
export function fnv1a(bytes: Uint8Array, seed = 0x811c9dc5): string {
  return fnv1aInt(bytes, seed).toString(16).padStart(8, '0');
}

/** FNV-1a 32-bit hash of `bytes` as an unsigned integer, continuing from `seed`. */
export function fnv1aInt(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
