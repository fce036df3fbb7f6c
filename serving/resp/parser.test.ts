import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { QueryBufferLimitError, RespProtocolError } from './errors.js';
import { RespParser } from './parser.js';
import { PROTO_INLINE_MAX_SIZE } from './limits.js';
import { command } from './test-support.js';

const text = (commands: Buffer[][]) => commands.map((args) => args.map((arg) => arg.toString('latin1')));

function parseAll(chunks: Array<string | Buffer>, parser = new RespParser()) {
  const commands: Buffer[][] = [];
  let error: Error | undefined;
  for (const chunk of chunks) {
    const result = parser.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    commands.push(...result.commands);
    error ??= result.error;
  }
  return { commands: text(commands), error };
}

describe('RESP parser', () => {
  it('parses arrays of bulk strings, binary-safe', () => {
    const binary = Buffer.from([0, 13, 10, 255]);
    expect(parseAll([Buffer.concat([command('SET', 'k', binary), command('GET', 'k')])]).commands).toEqual([['SET', 'k', binary.toString('latin1')], ['GET', 'k']]);
  });

  it('parses inline commands with Redis quoting', () => {
    expect(parseAll(['PING\r\nSET "a b" \'c d\'\nECHO "\\x41\\n\\"q"\r\n  \r\n']).commands).toEqual([['PING'], ['SET', 'a b', 'c d'], ['ECHO', 'A\n"q']]);
  });

  it('treats *0 and negative counts as empty commands', () => {
    expect(parseAll(['*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n']).commands).toEqual([['PING']]);
  });

  it('skips the two bytes after a payload and after a line\'s CR unchecked, as Redis does', () => {
    expect(parseAll(['*1\r\n$4\r\rPINGxx*1\r\n$4\r\nPING\r\n']).commands).toEqual([['PING'], ['PING']]);
  });

  it('parses a large bulk string delivered in many small chunks', () => {
    const value = Buffer.alloc(200_000, 'v');
    const wire = command('SET', 'big', value);
    const chunks = Array.from({ length: Math.ceil(wire.length / 1_000) }, (_, i) => wire.subarray(i * 1_000, (i + 1) * 1_000));
    const parsed = parseAll(chunks);
    expect(parsed.commands).toHaveLength(1);
    expect(parsed.commands[0]![2]).toBe(value.toString('latin1'));
  });

  it('gives the same commands however the stream is split into chunks', () => {
    const argument = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes));
    const bulkCommand = fc.array(argument, { minLength: 1, maxLength: 5 }).map((args) => ({ wire: command(...args), args: args.map((a) => a.toString('latin1')) }));
    const inlineCommand = fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 4 }).map((args) => ({ wire: Buffer.from(`${args.join(' ')}\r\n`), args }));
    fc.assert(
      fc.property(fc.array(fc.oneof(bulkCommand, inlineCommand), { minLength: 1, maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), (commands, cuts) => {
        const wire = Buffer.concat(commands.map((c) => c.wire));
        const points = [...new Set(cuts.map((cut) => cut % (wire.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i) => wire.subarray(start, [...points, wire.length][i]));
        const parsed = parseAll(chunks);
        expect(parsed.error).toBeUndefined();
        expect(parsed.commands).toEqual(commands.map((c) => c.args));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['*abc\r\n', 'Protocol error: invalid multibulk length'],
    ['*01\r\n', 'Protocol error: invalid multibulk length'],
    ['*3000000000\r\n', 'Protocol error: invalid multibulk length'],
    ['*1\r\n$-1\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$536870913\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$04\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n:4\r\n', "Protocol error: expected '$', got ':'"],
    ['*1\r\n\r\n', "Protocol error: expected '$', got ' '"],
    ['SET "a b\r\n', 'Protocol error: unbalanced quotes in request'],
    ['GET a"b\r\n', 'Protocol error: unbalanced quotes in request'],
  ])('answers %j with Redis\'s text %j', (input, reply) => {
    const { error } = parseAll([input]);
    expect(error).toBeInstanceOf(RespProtocolError);
    expect((error as RespProtocolError).reply).toBe(reply);
  });

  it('refuses lines that stay unterminated past 64 KB, whatever the request type', () => {
    const long = 'x'.repeat(PROTO_INLINE_MAX_SIZE + 1);
    expect((parseAll([long]).error as RespProtocolError).reply).toBe('Protocol error: too big inline request');
    expect((parseAll([`*${long}`]).error as RespProtocolError).reply).toBe('Protocol error: too big mbulk count string');
    expect((parseAll([`*1\r\n$${long}`]).error as RespProtocolError).reply).toBe('Protocol error: too big bulk count string');
  });

  it('lets a NUL byte hide a line end, as strchr() does in Redis', () => {
    const parser = new RespParser();
    expect(parseAll(['PI\0NG\r\n'], parser).commands).toEqual([]);
    expect((parseAll(['x'.repeat(PROTO_INLINE_MAX_SIZE)], parser).error as RespProtocolError).reply).toBe('Protocol error: too big inline request');
  });

  it('returns the commands before a protocol error, and accepts nothing after it', () => {
    const parser = new RespParser();
    const first = parser.push(Buffer.from('PING\r\n*1\r\n:x\r\n'));
    expect(text(first.commands)).toEqual([['PING']]);
    expect(first.error).toBeInstanceOf(RespProtocolError);
    const after = parser.push(Buffer.from('PING\r\n'));
    expect(after.commands).toEqual([]);
    expect(after.error).toBe(first.error);
  });

  it('refuses bulk strings above its configured maximum from the header alone', () => {
    const { error } = parseAll(['*1\r\n$101\r\n'], new RespParser({ maxBulkBytes: 100 }));
    expect((error as RespProtocolError).reply).toBe('Protocol error: invalid bulk length');
  });

  it('charges an unfinished command against the query buffer limit, including per-argument overhead', () => {
    const parser = new RespParser({ maxQueryBufferBytes: 10_000 });
    const { error } = parseAll([`*1000000\r\n${'$0\r\n\r\n'.repeat(200)}`], parser);
    expect(error).toBeInstanceOf(QueryBufferLimitError);
    const big = new RespParser({ maxQueryBufferBytes: 100_000 });
    expect(parseAll(['*1\r\n$200000\r\n', Buffer.alloc(150_000)], big).error).toBeInstanceOf(QueryBufferLimitError);
  });

  it('never throws on garbage: it parses or reports a protocol error', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 8 }), (chunks) => {
        const parser = new RespParser({ maxQueryBufferBytes: 100_000 });
        for (const chunk of chunks) {
          const result = parser.push(Buffer.from(chunk));
          for (const args of result.commands) expect(args.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
