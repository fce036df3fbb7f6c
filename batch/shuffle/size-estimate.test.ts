import { describe, expect, it } from '@jest/globals';
import { estimateSizeBytes } from './size-estimate.js';

describe('size estimate', () => {
  it('grows with string length and costs numbers a fixed size', () => {
    expect(estimateSizeBytes('a'.repeat(1000))).toBeGreaterThan(estimateSizeBytes('a'.repeat(10)) + 1000);
    expect(estimateSizeBytes(1)).toBe(estimateSizeBytes(1e300));
    expect(estimateSizeBytes(2n ** 512n)).toBeGreaterThan(estimateSizeBytes(1n));
  });

  it('extrapolates large collections from a sample, in constant time', () => {
    const large = Array.from({ length: 1_000_000 }, () => 'abcdefgh');
    const small = large.slice(0, 1000);
    const ratio = estimateSizeBytes(large) / estimateSizeBytes(small);
    expect(ratio).toBeGreaterThan(900);
    expect(ratio).toBeLessThan(1100);
    const started = performance.now();
    for (let round = 0; round < 1000; round += 1) estimateSizeBytes(large);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('counts Maps, Sets, objects and typed arrays by their contents', () => {
    expect(estimateSizeBytes(new Map([['k', 'v'.repeat(100)]]))).toBeGreaterThan(200);
    expect(estimateSizeBytes(new Set(['a'.repeat(100)]))).toBeGreaterThan(200);
    expect(estimateSizeBytes({ text: 'a'.repeat(100) })).toBeGreaterThan(200);
    expect(estimateSizeBytes(new Uint8Array(4096))).toBeGreaterThan(4096);
  });

  it('stops descending at the depth limit instead of walking a deep value', () => {
    let deep: unknown = 'leaf'.repeat(1000);
    for (let level = 0; level < 50; level += 1) deep = [deep];
    expect(estimateSizeBytes(deep)).toBeLessThan(1000);
  });
});
