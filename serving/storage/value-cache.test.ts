import { describe, expect, it } from '@jest/globals';
import type { KeyDirectoryEntry } from './key-directory.js';
import { ValueCache } from './value-cache.js';

function entry(seq: number): KeyDirectoryEntry {
  return { fileId: 1, position: seq * 100, recordSizeBytes: 100, seq, writtenAtMs: seq, expiresAtMs: undefined };
}

function stored(text: string) {
  return { value: Buffer.from(text), writtenAtMs: 1, expiresAtMs: undefined };
}

describe('value cache', () => {
  it('answers only for the directory entry a value was cached with', () => {
    const cache = new ValueCache(10_000);
    const first = entry(1);
    cache.set('k', first, stored('one'));
    expect(cache.get('k', first)?.value.toString()).toBe('one');
    // A later write or a merge put another entry object in the directory: the cached value is stale.
    expect(cache.get('k', entry(1))).toBeUndefined();
    expect(cache.get('k', first)).toBeUndefined();
    expect(cache.sizeBytes).toBe(0);
  });

  it('evicts the least recently used values beyond its capacity', () => {
    const cache = new ValueCache(3 * (10 + 1 + 96));
    const entries = ['a', 'b', 'c', 'd'].map((key, index) => [key, entry(index)] as const);
    for (const [key, at] of entries.slice(0, 3)) cache.set(key, at, stored('x'.repeat(10)));
    expect(cache.get('a', entries[0]![1])).toBeDefined(); // a is now the most recently used
    cache.set('d', entries[3]![1], stored('x'.repeat(10)));
    expect(cache.get('b', entries[1]![1])).toBeUndefined();
    for (const index of [0, 2, 3]) expect(cache.get(entries[index]![0], entries[index]![1])).toBeDefined();
    expect(cache.sizeBytes).toBeLessThanOrEqual(3 * (10 + 1 + 96));
  });

  it('does not cache a value larger than a sixteenth of its capacity, nor anything at capacity 0', () => {
    const cache = new ValueCache(16 * 1000);
    cache.set('big', entry(1), stored('x'.repeat(1001)));
    expect(cache.get('big', entry(1))).toBeUndefined();
    expect(cache.sizeBytes).toBe(0);
    const none = new ValueCache(0);
    const at = entry(2);
    none.set('k', at, stored('v'));
    expect(none.get('k', at)).toBeUndefined();
  });
});
