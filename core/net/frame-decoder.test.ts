import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FrameTooLargeError, MalformedFrameError } from './errors.js';
import { FrameDecoder } from './frame-decoder.js';

function encode(payloads: Buffer[]): Buffer {
  return Buffer.concat(
    payloads.flatMap((payload) => {
      const header = Buffer.alloc(4);
      header.writeInt32BE(payload.length);
      return [header, payload];
    }),
  );
}

function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(start, point));
    start = point;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

describe('frame decoder', () => {
  it('returns the same frames however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (payloads, cuts) => {
          const buffers = payloads.map((payload) => Buffer.from(payload));
          const decoder = new FrameDecoder(1_000);
          const frames = splitAt(encode(buffers), cuts).flatMap((chunk) => decoder.push(chunk));
          expect(frames.map((frame) => frame.toString('hex'))).toEqual(buffers.map((buffer) => buffer.toString('hex')));
          expect(decoder.hasPartialFrame).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('returns a view of the chunk, not a copy, when a frame lies inside one chunk', () => {
    const chunk = encode([Buffer.from('hello'), Buffer.from('world')]);
    const [first, second] = new FrameDecoder(100).push(chunk);
    expect(first?.buffer).toBe(chunk.buffer);
    expect(second?.buffer).toBe(chunk.buffer);
    expect(second?.toString()).toBe('world');
  });

  it('reports a partial frame until its last byte arrives', () => {
    const bytes = encode([Buffer.from('abcdef')]);
    const decoder = new FrameDecoder(100);
    expect(decoder.push(bytes.subarray(0, 2))).toEqual([]);
    expect(decoder.hasPartialFrame).toBe(true);
    expect(decoder.push(bytes.subarray(2, 7))).toEqual([]);
    expect(decoder.hasPartialFrame).toBe(true);
    expect(decoder.push(bytes.subarray(7)).map(String)).toEqual(['abcdef']);
    expect(decoder.hasPartialFrame).toBe(false);
  });

  it('accepts empty frames', () => {
    expect(new FrameDecoder(10).push(encode([Buffer.alloc(0), Buffer.from('x')])).map(String)).toEqual(['', 'x']);
  });

  it('rejects a frame over the limit from its header alone, before buffering its payload', () => {
    const header = Buffer.alloc(4);
    header.writeInt32BE(1_001);
    const decoder = new FrameDecoder(1_000);
    expect(() => decoder.push(header)).toThrow(FrameTooLargeError);
    try {
      new FrameDecoder(1_000).push(header);
    } catch (error) {
      expect(error).toMatchObject({ code: 'FRAME_TOO_LARGE', sizeBytes: 1_001, maxBytes: 1_000, retriable: false });
    }
  });

  it('rejects a negative length as malformed', () => {
    expect(() => new FrameDecoder(1_000).push(Buffer.from([0xff, 0xff, 0xff, 0xfe]))).toThrow(MalformedFrameError);
  });
});
