import { describe, expect, it } from 'vitest';
import {
  formatBandwidth,
  formatBandwidthExact,
  formatBytes,
  formatDuration,
  formatDurationExact,
  formatSizeExact,
  parseBandwidth,
  parseDuration,
  parseSize,
} from '../../src/core/units';

describe('parseSize (nccl-tests parsesize)', () => {
  it('reads plain numbers and K/M/G suffixes in powers of 1024, any case', () => {
    expect(parseSize('8')).toBe(8);
    expect(parseSize('0')).toBe(0);
    expect(parseSize('64K')).toBe(65536);
    expect(parseSize('64k')).toBe(65536);
    expect(parseSize('1M')).toBe(1048576);
    expect(parseSize('1m')).toBe(1048576);
    expect(parseSize('8G')).toBe(8 * 1024 ** 3);
    expect(parseSize('16g')).toBe(16 * 1024 ** 3);
    expect(parseSize(' 2 M ')).toBe(2 * 1048576);
  });
  it('accepts decimals as sscanf %lf does and truncates to whole bytes', () => {
    expect(parseSize('1.5M')).toBe(1572864);
    expect(parseSize('1.5')).toBe(1);
    expect(parseSize('1e3')).toBe(1000);
  });
  it('rejects other suffixes, signs, empty text and trailing junk, naming the allowed forms', () => {
    for (const bad of ['', 'abc', '1T', '-1', '1MB', '1 M B', 'M', '0x10']) {
      expect(() => parseSize(bad)).toThrow(/K, M or G/);
    }
  });
  it('formatSizeExact round-trips', () => {
    for (const n of [0, 1, 8, 1000, 1024, 1536, 1048576, 3 * 1048576, 8 * 1024 ** 3]) {
      expect(parseSize(formatSizeExact(n))).toBe(n);
    }
    expect(formatSizeExact(1048576)).toBe('1M');
    expect(formatSizeExact(1536)).toBe('1536');
  });
});

describe('formatBytes', () => {
  it('prints binary units', () => {
    expect(formatBytes(8)).toBe('8 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1048576)).toBe('1 MiB');
    expect(formatBytes(256 * 1048576)).toBe('256 MiB');
    expect(formatBytes(8 * 1024 ** 3)).toBe('8 GiB');
  });
});

describe('parseBandwidth', () => {
  it('reads decimal bytes, binary bytes and bits', () => {
    expect(parseBandwidth('50MB/s')).toBe(50e6);
    expect(parseBandwidth('12.5GB/s')).toBe(12.5e9);
    expect(parseBandwidth('25GB/s')).toBe(25e9);
    expect(parseBandwidth('1.5TB/s')).toBe(1.5e12);
    expect(parseBandwidth('100kB/s')).toBe(1e5);
    expect(parseBandwidth('1KiB/s')).toBe(1024);
    expect(parseBandwidth('1MiB/s')).toBe(1048576);
    expect(parseBandwidth('2GiB/s')).toBe(2 * 1024 ** 3);
    expect(parseBandwidth('100Gbit/s')).toBe(12.5e9);
    expect(parseBandwidth('100Gb/s')).toBe(12.5e9);
    expect(parseBandwidth('400Gbps')).toBe(50e9);
    expect(parseBandwidth('10 Gbps')).toBe(1.25e9);
    expect(parseBandwidth('8bit/s')).toBe(1);
  });
  it('refuses unitless and ambiguous values, listing the allowed forms', () => {
    for (const bad of ['100', '100G', 'GB/s', '1GBps', '1KB/s', '1gb/s', '1 GB', '-1GB/s', '1mb/s', '']) {
      expect(() => parseBandwidth(bad)).toThrow(/GB\/s.*Gbit\/s/);
    }
  });
  it('formats for humans and exactly', () => {
    expect(formatBandwidth(450e9)).toBe('450 GB/s');
    expect(formatBandwidth(1.25e9)).toBe('1.25 GB/s');
    expect(formatBandwidth(12.5e9)).toBe('12.5 GB/s');
    expect(formatBandwidth(500)).toBe('500 B/s');
    expect(formatBandwidthExact(12.5e9)).toBe('12.5GB/s');
    for (const v of [0, 1, 1024, 12.5e9, 50e9, 1.5e12, 123456789, 0.1, 1e9 / 3]) {
      expect(parseBandwidth(formatBandwidthExact(v))).toBe(v);
    }
  });
});

describe('parseDuration', () => {
  it('reads ns, us, µs, ms, s', () => {
    expect(parseDuration('2ms')).toBeCloseTo(2e-3, 15);
    expect(parseDuration('1.5us')).toBeCloseTo(1.5e-6, 18);
    expect(parseDuration('1.5µs')).toBeCloseTo(1.5e-6, 18);
    expect(parseDuration('500ns')).toBeCloseTo(5e-7, 18);
    expect(parseDuration('1s')).toBe(1);
  });
  it('requires a unit', () => {
    for (const bad of ['2', 'ms', '2 min', '-1s', '2h']) expect(() => parseDuration(bad)).toThrow(/ns, us/);
  });
  it('formats for humans and exactly', () => {
    expect(formatDuration(1.5e-6)).toBe('1.5 µs');
    expect(formatDuration(2e-3)).toBe('2 ms');
    expect(formatDuration(5e-7)).toBe('500 ns');
    expect(formatDuration(0)).toBe('0 s');
    for (const v of [0, 1, 2e-3, 1.5e-6, 5e-7, 3e-5, 0.123456789, 1 / 3]) {
      expect(parseDuration(formatDurationExact(v))).toBe(v);
    }
  });
});
