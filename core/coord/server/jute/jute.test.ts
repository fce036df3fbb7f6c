import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { JuteReader } from './reader.js';
import { JuteWriter } from './writer.js';
import { JuteDecodeError } from './errors.js';
import { decodeRequest } from '../ops/decode.js';
import { OpCode } from '../../zookeeper-constants.js';

describe('jute encoding', () => {
  it('round-trips every field type', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.boolean(), fc.uint8Array({ maxLength: 100 }), fc.string(), fc.array(fc.string(), { maxLength: 10 }), (int, long, bool, bytes, text, list) => {
        const buffer = new JuteWriter().int(int).long(long).boolean(bool).buffer_(Buffer.from(bytes)).string(text).vector(list, (w, s) => w.string(s)).finish();
        const reader = new JuteReader(buffer);
        expect(reader.int('i')).toBe(int);
        expect(reader.long('l')).toBe(long);
        expect(reader.boolean('b')).toBe(bool);
        expect([...reader.buffer_('buf')]).toEqual([...bytes]);
        expect(reader.string('s')).toBe(text);
        expect(reader.vector('v', (r) => r.string('e'))).toEqual(list);
        expect(reader.remaining).toBe(0);
      }),
    );
  });

  it('matches ZooKeeper’s byte layout for a GetDataRequest', () => {
    // xid 1, op 4 (getData), path "/a", watch true
    const bytes = new JuteWriter().int(1).int(OpCode.getData).string('/a').boolean(true).finish();
    expect(bytes.toString('hex')).toBe('00000001' + '00000004' + '00000002' + '2f61' + '01');
  });

  it('reads null buffers and vectors (-1) as empty', () => {
    const reader = new JuteReader(new JuteWriter().int(-1).int(-1).finish());
    expect(reader.buffer_('b').length).toBe(0);
    expect(reader.vector('v', (r) => r.int('x'))).toEqual([]);
  });

  it('refuses lengths that run past the packet', () => {
    expect(() => new JuteReader(new JuteWriter().int(10).finish()).string('path')).toThrow(JuteDecodeError);
    expect(() => new JuteReader(new JuteWriter().int(1_000_000).finish()).vector('acl', (r) => r.int('x'))).toThrow(/vector of 1000000 elements/);
  });

  it('decodes any byte string for any op code into a request or a JuteDecodeError, nothing else', () => {
    const codes = Object.values(OpCode);
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.uint8Array({ maxLength: 200 }), (code, bytes) => {
        try {
          decodeRequest(code, new JuteReader(Buffer.from(bytes)));
        } catch (error) {
          expect(error).toBeInstanceOf(JuteDecodeError);
        }
      }),
      { numRuns: 5_000 },
    );
  });
});
