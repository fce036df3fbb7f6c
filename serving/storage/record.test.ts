import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_KEY_BYTES } from './limits.js';
import { decodeRecordHeader, encodeRecordHeader, keyOf, RECORD_HEADER_BYTES, valueOf, verifyRecord, type RecordFields } from './record.js';

function recordOf(key: Buffer, value: Buffer, fields: Partial<RecordFields> = {}): Buffer {
  const full: RecordFields = { tombstone: false, keySizeBytes: key.length, valueSizeBytes: value.length, seq: 7, writtenAtMs: 1_700_000_000_000, expiresAtMs: undefined, ...fields };
  return Buffer.concat([encodeRecordHeader(full, key, value), key, value]);
}

describe('data file record', () => {
  it('round-trips key, value, sequence number, write time and expiry', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 256 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.option(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { nil: undefined }),
        (key, value, seq, expiresAtMs) => {
          const record = recordOf(Buffer.from(key), Buffer.from(value), { seq, expiresAtMs });
          const checked = verifyRecord(record);
          expect(checked.ok).toBe(true);
          if (!checked.ok) return;
          expect(checked.value).toMatchObject({ seq, expiresAtMs, tombstone: false, recordSizeBytes: RECORD_HEADER_BYTES + key.length + value.length });
          expect(keyOf(record, checked.value).equals(Buffer.from(key))).toBe(true);
          expect(valueOf(record, checked.value).equals(Buffer.from(value))).toBe(true);
        },
      ),
    );
  });

  it('detects any single flipped bit', () => {
    const record = recordOf(Buffer.from('key'), Buffer.from('some value'));
    for (let bit = 0; bit < record.length * 8; bit++) {
      const damaged = Buffer.from(record);
      damaged[bit >> 3]! ^= 1 << (bit & 7);
      expect(verifyRecord(damaged).ok).toBe(false);
    }
  });

  it('marks tombstones and refuses a tombstone with a value', () => {
    const tombstone = recordOf(Buffer.from('gone'), Buffer.alloc(0), { tombstone: true });
    const checked = verifyRecord(tombstone);
    expect(checked.ok && checked.value.tombstone).toBe(true);
    expect(verifyRecord(recordOf(Buffer.from('gone'), Buffer.from('x'), { tombstone: true })).ok).toBe(false);
  });

  it('treats sizes beyond the format limits as garbage, before reading that far', () => {
    const header = encodeRecordHeader({ tombstone: false, keySizeBytes: 1, valueSizeBytes: 1, seq: 1, writtenAtMs: 0, expiresAtMs: undefined }, Buffer.from('k'), Buffer.from('v'));
    header.writeUInt32BE(MAX_KEY_BYTES + 1, 6);
    expect(decodeRecordHeader(header, 0)).toEqual({ ok: false, reason: expect.stringContaining('key size') });
    header.writeUInt32BE(1, 6);
    header.writeUInt8(9, 4);
    expect(decodeRecordHeader(header, 0)).toEqual({ ok: false, reason: 'unknown record version 9' });
  });
});
