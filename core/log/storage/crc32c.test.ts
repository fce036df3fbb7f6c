import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { crc32c, crc32cPortable, NATIVE_CRC32C } from './crc32c.js';

/** Bit-at-a-time CRC-32C, the definition the table-driven version must match. */
function referenceCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

describe('crc32c', () => {
  it('matches the published check value and the RFC 3720 vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    expect(crc32c(Buffer.alloc(32, 0x00))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
  });

  it('equals the bitwise definition on any input and any sub-range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (data, a, b) => {
        const start = data.length === 0 ? 0 : a % data.length;
        const end = start + (data.length === 0 ? 0 : b % (data.length - start + 1));
        expect(crc32c(data, start, end)).toBe(referenceCrc32c(data.subarray(start, end)));
      }),
    );
  });

  it('continues a checksum across pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), (a, b) => {
        const whole = Buffer.concat([a, b]);
        expect(crc32c(b, 0, b.length, crc32c(a))).toBe(crc32c(whole));
      }),
    );
  });

  it('uses the native implementation on this platform, and the portable one agrees with it', () => {
    expect(NATIVE_CRC32C).toBe(true);
    expect(crc32cPortable(Buffer.from('123456789'))).toBe(0xe3069283);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), fc.nat(), (data, a, previous) => {
        const start = data.length === 0 ? 0 : a % data.length;
        expect(crc32cPortable(data, start, data.length, previous)).toBe(crc32c(data, start, data.length, previous));
      }),
    );
  });

  it('agrees with the kafkajs implementation', () => {
    const kafkajsCrc32c = createRequire(import.meta.url)('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buffer: Buffer) => number;
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), (data) => expect(crc32c(data)).toBe(kafkajsCrc32c(Buffer.from(data)))));
  });
});
