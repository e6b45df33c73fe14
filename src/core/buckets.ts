/**
 * DDP-style gradient buckets (PyTorch DistributedDataParallel, DESIGN.md §7).
 *
 * Tensors are taken in reverse layer order, the order backward finishes them, and packed
 * greedily into buckets of at most `bucketCapBytes` (PyTorch default 25 MiB); the first
 * bucket has the smaller cap `firstBucketBytes` (PyTorch: 1 MiB) so communication starts
 * early. A tensor is never split: one larger than the cap gets a bucket of its own, which
 * then exceeds the cap (as in PyTorch). Because model/layout.ts stores the tensors in
 * reverse layer order, every bucket is one contiguous element range of the flat gradient
 * buffer, and an all-reduce schedule can index it with `start + range.start`.
 */
import type { ParamLayout } from './model/layout';

export const MIB = 1024 * 1024;
/** PyTorch DDP's `bucket_cap_mb` default. */
export const DEFAULT_BUCKET_CAP_BYTES = 25 * MIB;
/** PyTorch's `_DEFAULT_FIRST_BUCKET_BYTES`. */
export const DEFAULT_FIRST_BUCKET_BYTES = 1 * MIB;

export interface BucketOptions {
  bucketCapBytes?: number;
  firstBucketBytes?: number;
  /** 4 for float32 gradients. */
  bytesPerElement?: number;
}

export interface Bucket {
  index: number;
  /** First element in the flat gradient buffer. */
  start: number;
  /** Element count. */
  count: number;
  bytes: number;
  /** Tensor names in the bucket, in flat order. */
  tensors: string[];
  /** Layers whose gradients the bucket holds, highest first. */
  layers: number[];
  /**
   * The bucket is ready once backward of this layer (the lowest in `layers`) has finished:
   * backward runs from the last layer down, so the others are done by then.
   */
  readyAfterLayer: number;
}

/** Packs the layout's tensors into buckets (see the file comment). */
export function makeBuckets(layout: ParamLayout, options: BucketOptions = {}): Bucket[] {
  const cap = options.bucketCapBytes ?? DEFAULT_BUCKET_CAP_BYTES;
  const firstCap = options.firstBucketBytes ?? DEFAULT_FIRST_BUCKET_BYTES;
  const bpe = options.bytesPerElement ?? 4;
  if (!(cap > 0 && firstCap > 0 && bpe > 0)) throw new RangeError(`makeBuckets: caps and bytesPerElement must be positive`);
  const buckets: Bucket[] = [];
  let open: Bucket | undefined;
  for (const t of layout.tensors) {
    // Close the open bucket if this tensor would overflow it (bucket 0 has the smaller cap).
    if (open && open.bytes + t.size * bpe > (open.index === 0 ? firstCap : cap)) open = undefined;
    if (!open) {
      open = { index: buckets.length, start: t.offset, count: 0, bytes: 0, tensors: [], layers: [], readyAfterLayer: t.layer };
      buckets.push(open);
    }
    open.count += t.size;
    open.bytes += t.size * bpe;
    open.tensors.push(t.name);
    if (!open.layers.includes(t.layer)) open.layers.push(t.layer);
    open.readyAfterLayer = Math.min(open.readyAfterLayer, t.layer);
  }
  return buckets;
}
