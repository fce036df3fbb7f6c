import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CorruptFrameError, RecordNotSerializableError, RecordTooLargeError } from './errors.js';
import { FRAME_HEADER_BYTES } from './limits.js';
import { decodeFramePayload, encodeFrames, parseFrameHeader, type ShuffleRecord } from './record-frames.js';

function decodeAll(frames: Buffer[]): ShuffleRecord[] {
  return frames.flatMap((frame) => decodeFramePayload(frame.subarray(FRAME_HEADER_BYTES), parseFrameHeader(frame, 'mem', 0), 'mem', 0));
}

describe('record frames', () => {
  it('round-trip any structured-clone-able records', () => {
    const value = fc.oneof(fc.string(), fc.double(), fc.bigInt(), fc.array(fc.integer()), fc.dictionary(fc.string(), fc.boolean()), fc.constant(new Map([[1, 'a']])));
    fc.assert(fc.property(fc.array(fc.tuple(value, value)), (records) => {
      expect(decodeAll(encodeFrames(records, 1 << 20))).toEqual(records);
    }));
  });

  it('split a chunk over maxRecordBytes into frames each within it', () => {
    const records: ShuffleRecord[] = Array.from({ length: 100 }, (_, index) => [index, 'v'.repeat(100)]);
    const frames = encodeFrames(records, 1000);
    expect(frames.length).toBeGreaterThan(10);
    for (const frame of frames) expect(frame.length - FRAME_HEADER_BYTES).toBeLessThanOrEqual(1000);
    expect(decodeAll(frames)).toEqual(records);
  });

  it('name an oversized record and an unserialisable value', () => {
    expect(() => encodeFrames([[1n, 'x'.repeat(2000)]], 1000)).toThrow(RecordTooLargeError);
    expect(() => encodeFrames([['k', 1], [new Map([['h', Symbol('s')]]), 2]], 1000)).toThrow(
      expect.objectContaining({ constructor: RecordNotSerializableError, valueType: 'symbol', path: 'record.key.get(string)' }) as unknown as Error,
    );
  });

  it('reject a payload whose checksum or record count does not match', () => {
    const [frame] = encodeFrames([['a', 1]], 1000) as [Buffer];
    const header = parseFrameHeader(frame, 'mem', 0);
    const payload = Buffer.from(frame.subarray(FRAME_HEADER_BYTES));
    expect(() => decodeFramePayload(payload, { ...header, recordCount: 2 }, 'mem', 0)).toThrow(/array of 2 records/);
    payload[payload.length - 1] = (payload[payload.length - 1] as number) ^ 1;
    expect(() => decodeFramePayload(payload, header, 'mem', 0)).toThrow(CorruptFrameError);
  });
});
