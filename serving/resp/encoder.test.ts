import { describe, expect, it } from '@jest/globals';
import { ReplyEncoder, encodeReply } from './encoder.js';
import { NULL, NULL_ARRAY, OK, array, bulk, errorReply, integer, map, mapOf, set, simple, verbatim } from './reply.js';

const wire = (reply: Parameters<typeof encodeReply>[0], protocol: 2 | 3 = 2) => encodeReply(reply, protocol).toString('latin1');

describe('RESP encoder', () => {
  it('encodes the RESP2 types as Redis does', () => {
    expect(wire(OK)).toBe('+OK\r\n');
    expect(wire(errorReply('ERR syntax error'))).toBe('-ERR syntax error\r\n');
    expect(wire(integer(-42))).toBe(':-42\r\n');
    expect(wire(integer(9223372036854775807n))).toBe(':9223372036854775807\r\n');
    expect(wire(integer(2 ** 70))).toBe(':1180591620717411303424\r\n');
    expect(wire(bulk(Buffer.from([0, 13, 10])))).toBe('$3\r\n\0\r\n\r\n');
    expect(wire(bulk(''))).toBe('$0\r\n\r\n');
    expect(wire(NULL)).toBe('$-1\r\n');
    expect(wire(NULL_ARRAY)).toBe('*-1\r\n');
    expect(wire(array([integer(1), array([bulk('a')]), NULL]))).toBe('*3\r\n:1\r\n*1\r\n$1\r\na\r\n$-1\r\n');
  });

  it('falls back from RESP3 types to their RESP2 shapes', () => {
    expect(wire(mapOf({ a: integer(1) }))).toBe('*2\r\n$1\r\na\r\n:1\r\n');
    expect(wire(set([simple('x')]))).toBe('*1\r\n+x\r\n');
    expect(wire(verbatim('hi'))).toBe('$2\r\nhi\r\n');
  });

  it('encodes RESP3 maps, sets, nulls and verbatim strings after HELLO 3', () => {
    expect(wire(map([[bulk('a'), integer(1)]]), 3)).toBe('%1\r\n$1\r\na\r\n:1\r\n');
    expect(wire(set([simple('x')]), 3)).toBe('~1\r\n+x\r\n');
    expect(wire(NULL, 3)).toBe('_\r\n');
    expect(wire(NULL_ARRAY, 3)).toBe('_\r\n');
    expect(wire(verbatim('hi'), 3)).toBe('=6\r\ntxt:hi\r\n');
  });

  it('never lets a line break or a wide character escape a simple string or error', () => {
    expect(wire(errorReply('ERR bad\r\nthing\r\n'))).toBe('-ERR bad  thing\r\n');
    expect(wire(simple('a\nb'))).toBe('+a b\r\n');
    expect(wire(errorReply('ERR caf\u00e9 \u2019'))).toBe('-ERR caf\u00e9 ?\r\n');
  });

  it('hands large values to the socket without copying them', () => {
    const value = Buffer.alloc(100_000, 1);
    const encoder = new ReplyEncoder();
    encoder.write(bulk(value), 2);
    encoder.write(OK, 2);
    expect(encoder.length).toBe(value.length + '$100000\r\n\r\n+OK\r\n'.length);
    const chunks = encoder.take();
    expect(chunks).toContain(value);
    expect(Buffer.concat(chunks).toString('latin1')).toBe(`$100000\r\n${value.toString('latin1')}\r\n+OK\r\n`);
    expect(encoder.length).toBe(0);
  });

  it('packs many small replies into few chunks without corrupting earlier ones', () => {
    const encoder = new ReplyEncoder();
    for (let i = 0; i < 5_000; i += 1) encoder.write(integer(i), 2);
    const chunks = encoder.take();
    expect(chunks.length).toBeLessThan(5);
    encoder.write(OK, 2);
    expect(Buffer.concat(chunks).toString('latin1')).toBe(Array.from({ length: 5_000 }, (_, i) => `:${i}\r\n`).join(''));
  });
});
