import { describe, expect, it } from 'vitest';
import { adapterLabel, adapterName, isSoftwareAdapter } from '../../src/core/adapter';

const SWIFTSHADER = { vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: false };
const H100 = { vendor: 'nvidia', architecture: 'hopper', device: '', description: '', isFallbackAdapter: false };

describe('adapter: one rule for names and for "software"', () => {
  it('calls SwiftShader software even when the browser does not flag it as a fallback', () => {
    expect(isSoftwareAdapter(SWIFTSHADER)).toBe(true);
    expect(adapterLabel(SWIFTSHADER)).toBe('google swiftshader (software)');
  });
  it('calls a flagged fallback adapter software, a real GPU not', () => {
    expect(isSoftwareAdapter({ ...H100, isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter(H100)).toBe(false);
    expect(adapterLabel(H100)).toBe('nvidia hopper');
  });
  it('names an adapter from whichever info field it has', () => {
    expect(adapterName({ vendor: 'apple', architecture: '', device: 'm2', description: '' })).toBe('apple m2');
    expect(adapterName({ vendor: '', architecture: '', device: '', description: '' })).toBe('unknown adapter');
  });
});
