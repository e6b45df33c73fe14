/**
 * What ringlab records about a WebGPU adapter, and the one rule for naming it and for calling it
 * software (DESIGN.md §9: a software-adapter run is never reported as a GPU figure). Pure: it
 * reads an adapter's fields and never asks it for a device.
 */

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  features: string[];
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/** The info fields an adapter's name is made of. */
export type AdapterNameFields = Pick<AdapterDescription, 'vendor' | 'architecture' | 'device' | 'description'>;

/** What to tell a user whose browser gives no WebGPU. */
export const NO_WEBGPU_HELP =
  'WebGPU is not available in this browser. Use a recent Chrome or Edge (113+), or Chromium with ' +
  '--enable-unsafe-webgpu (headless Linux: add --enable-unsafe-webgpu; a software SwiftShader adapter is then used), ' +
  'or Safari 26 / Firefox 141+ where WebGPU is enabled.';

/** The plain-data description of a WebGPU adapter (reads its fields only; no device is made). */
export function describeAdapter(adapter: GPUAdapter): AdapterDescription {
  const info = adapter.info;
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    // `isFallbackAdapter` moved from GPUAdapter to GPUAdapterInfo; read whichever exists.
    isFallbackAdapter: Boolean(
      (info as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter ?? (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter,
    ),
    features: [...adapter.features].sort(),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/** The adapter's name from its info fields, e.g. "google swiftshader". */
export function adapterName(a: AdapterNameFields): string {
  return [a.vendor, a.architecture || a.device || a.description].filter(Boolean).join(' ') || 'unknown adapter';
}

/**
 * The one rule for "is this a software adapter" (its figures are not GPU figures): the browser
 * says it is a fallback adapter, or its name is SwiftShader (which Chromium does not always flag).
 */
export function isSoftwareAdapter(a: AdapterNameFields & { isFallbackAdapter: boolean }): boolean {
  return a.isFallbackAdapter || /swiftshader/i.test(adapterName(a));
}

/** One-line adapter name for legends and reports, e.g. "google swiftshader (software)". */
export function adapterLabel(a: AdapterNameFields & { isFallbackAdapter: boolean }): string {
  const name = adapterName(a);
  return isSoftwareAdapter(a) ? `${name} (software)` : name;
}
