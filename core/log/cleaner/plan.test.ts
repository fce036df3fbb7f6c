import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { buildOffsetMap, planCompaction, survives, type PlannedRecord } from './plan.js';

const NOW_MS = 1_000_000;

/** Records with strictly ascending offsets (gaps allowed), keys from a small set so keys repeat. */
const recordsArbitrary = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 1, max: 3 }),
      key: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { nil: null, freq: 10 }),
      tombstone: fc.boolean(),
      ageMs: fc.integer({ min: 0, max: 2000 }),
    }),
    { maxLength: 60 },
  )
  .map((drafts) => {
    let offset = -1;
    return drafts.map((draft): PlannedRecord => {
      offset += draft.gap;
      return { offset, key: draft.key, tombstone: draft.tombstone, timestampMs: NOW_MS - draft.ageMs };
    });
  });

describe('compaction planning', () => {
  it('keeps only the latest record of each key', () => {
    const kept = planCompaction(
      [
        { offset: 0, key: 'a', tombstone: false, timestampMs: NOW_MS },
        { offset: 1, key: 'b', tombstone: false, timestampMs: NOW_MS },
        { offset: 2, key: 'a', tombstone: false, timestampMs: NOW_MS },
      ],
      0,
    );
    expect(kept.map((record) => record.offset)).toEqual([1, 2]);
  });

  it('drops records without a key', () => {
    expect(planCompaction([{ offset: 0, key: null, tombstone: false, timestampMs: NOW_MS }], 0)).toEqual([]);
  });

  it('keeps a tombstone until the delete horizon, then removes it', () => {
    const tombstone = { offset: 5, key: 'a', tombstone: true, timestampMs: 900 };
    expect(survives(tombstone, buildOffsetMap([tombstone]), 900)).toBe(true);
    expect(survives(tombstone, buildOffsetMap([tombstone]), 901)).toBe(false);
  });

  it('keeps a record whose key is not in the map (beyond the mapped range)', () => {
    expect(survives({ offset: 1, key: 'z', tombstone: false, timestampMs: 0 }, new Map(), 0)).toBe(true);
  });

  it('property: the compacted log read back is the last value per key, in ascending offsets, tombstones honoured', () => {
    fc.assert(
      fc.property(recordsArbitrary, fc.integer({ min: 0, max: 2000 }), (records, deleteRetentionMs) => {
        const horizonMs = NOW_MS - deleteRetentionMs;
        const kept = planCompaction(records, horizonMs);
        // Ascending offsets, a subset of the input.
        for (let i = 1; i < kept.length; i++) expect(kept[i]!.offset).toBeGreaterThan(kept[i - 1]!.offset);
        const last = new Map<string, PlannedRecord>();
        for (const record of records) if (record.key !== null) last.set(record.key, record);
        const expected = [...last.values()].filter((record) => !record.tombstone || record.timestampMs >= horizonMs).sort((a, b) => a.offset - b.offset);
        expect(kept).toEqual(expected);
      }),
    );
  });

  it('property: cleaning again changes nothing (idempotent)', () => {
    fc.assert(
      fc.property(recordsArbitrary, (records) => {
        const once = planCompaction(records, NOW_MS - 500);
        expect(planCompaction(once, NOW_MS - 500)).toEqual(once);
      }),
    );
  });
});
