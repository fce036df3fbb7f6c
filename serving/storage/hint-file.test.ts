import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeHintFile, encodeHintEntry, writeHintFile, type LocatedRecord } from './hint-file.js';
import { RECORD_HEADER_BYTES } from './record.js';
import { removeDirectory, scratchDirectory } from './test-support.js';

function located(key: string, position: number, valueSizeBytes: number, extra: Partial<LocatedRecord> = {}): LocatedRecord {
  const keyBytes = Buffer.from(key);
  return { key: keyBytes, position, recordSizeBytes: RECORD_HEADER_BYTES + keyBytes.length + valueSizeBytes, tombstone: false, keySizeBytes: keyBytes.length, valueSizeBytes, seq: position + 1, writtenAtMs: 5, expiresAtMs: undefined, ...extra };
}

let dir: string;
beforeAll(async () => {
  dir = await scratchDirectory('hint');
});
afterAll(async () => {
  await removeDirectory(dir);
});

/** The bytes writeHintFile writes. */
async function hintBytes(records: LocatedRecord[], dataSizeBytes: number): Promise<Buffer> {
  const path = join(dir, 'test.hint');
  await writeHintFile(path, records.map(encodeHintEntry), dataSizeBytes);
  return readFile(path);
}

describe('hint file', () => {
  const first = located('alpha', 0, 10, { expiresAtMs: 123_456 });
  const second = located('beta', first.recordSizeBytes, 0, { tombstone: true });
  const dataSizeBytes = first.recordSizeBytes + second.recordSizeBytes;

  it('round-trips the entries of a data file, tombstones and expiry included', async () => {
    const decoded = decodeHintFile(await hintBytes([first, second], dataSizeBytes), dataSizeBytes);
    expect(decoded).toEqual({ ok: true, value: [first, second] });
  });

  it('is ignored once the data file has another size (a stale hint)', async () => {
    expect(decodeHintFile(await hintBytes([first, second], dataSizeBytes), dataSizeBytes + 1).ok).toBe(false);
  });

  it('is ignored when torn or damaged anywhere', async () => {
    const good = await hintBytes([first, second], dataSizeBytes);
    for (let i = 0; i < good.length; i++) {
      const damaged = Buffer.from(good);
      damaged[i]! ^= 0x10;
      expect(decodeHintFile(damaged, dataSizeBytes).ok).toBe(false);
      expect(decodeHintFile(good.subarray(0, i), dataSizeBytes).ok).toBe(false);
    }
  });

  it('is ignored when its entries do not tile the data file', async () => {
    const gap = located('beta', first.recordSizeBytes + 1, 0);
    expect(decodeHintFile(await hintBytes([first, gap], dataSizeBytes + 1), dataSizeBytes + 1)).toEqual({ ok: false, reason: expect.stringContaining('expected') });
  });
});
