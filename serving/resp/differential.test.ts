/**
 * Differential test: the same command sequences go to a real redis-server 7.0 (Debian) and to
 * Barista's RESP server over a MemoryKeyspace, and the replies must be identical, byte for byte.
 *
 * Time is the one thing the two do not share (each uses its own clock, and the sequences run a few
 * milliseconds apart), so the generator keeps replies independent of timing: relative TTLs are at
 * least 1000 s, absolute expiries are either in the past (the key is deleted at once, in both) or
 * at least ~500 s away from any relative one, and GT/LT only ever compare such far-apart times.
 * TTL, PTTL, EXPIRETIME and PEXPIRETIME replies are then compared within 2 s (and exactly when
 * negative: -1 and -2 are not times). Everything else must match exactly.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { startRedisServer, type RunningRedis } from '../../test/support/redis.js';
import { describeWithTools, TOOLS } from '../../test/support/tools.js';
import { RawClient, command, decodeReply, startTestServer, type TestServer } from './test-support.js';

type Args = readonly string[];

const TIMED_COMMANDS = new Set(['ttl', 'pttl', 'expiretime', 'pexpiretime']);
const TOLERANCE = { seconds: 2, milliseconds: 2_000 };
const SEED = 7_700_015;
const BASE_SECONDS = Math.floor(Date.now() / 1000);

const key = fc.constantFrom('k1', 'k2', 'n1', 'n2', 'bin\0\r\nkey');
const value = fc.constantFrom('0', '1', '-7', '42', '9223372036854775806', '9223372036854775807', '-9223372036854775808', 'abc', '', '010', ' 5', '3.5');
const increment = fc.constantFrom('1', '-1', '5', '9223372036854775807', '-9223372036854775808', 'x', '01');
const relativeSeconds = fc.constantFrom('1000', '2000', '3000', '-1', '0', 'soon', '9223372036854775807');
const relativeMilliseconds = fc.constantFrom('1000000', '2000000', '-5', '0');
const absoluteSeconds = fc.constantFrom(String(BASE_SECONDS + 1_500), String(BASE_SECONDS + 2_500), String(BASE_SECONDS + 3_500), '1');
const absoluteMilliseconds = absoluteSeconds.map((seconds) => (seconds === '1' ? '1' : `${seconds}000`));
const futureSeconds = fc.constantFrom(String(BASE_SECONDS + 1_500), String(BASE_SECONDS + 2_500));
/** Random letter case, as clients may send. */
const anyCase = (name: string) => fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }).map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

const setOption: fc.Arbitrary<Args> = fc.oneof(
  fc.constantFrom(['NX'], ['XX'], ['GET'], ['KEEPTTL'], ['nx'], ['get']),
  relativeSeconds.map((seconds) => ['EX', seconds]),
  relativeMilliseconds.map((ms) => ['PX', ms]),
  futureSeconds.map((seconds) => ['EXAT', seconds]),
  futureSeconds.map((seconds) => ['PXAT', `${seconds}000`]),
);
const expireFlags = (allowOrdering: boolean) => fc.subarray(allowOrdering ? ['NX', 'XX', 'GT', 'LT'] : ['NX', 'XX'], { maxLength: 2 });

const commandArgs: fc.Arbitrary<Args> = fc.oneof(
  fc.tuple(anyCase('get'), key).map((a) => [...a]),
  fc.tuple(anyCase('set'), key, value, fc.array(setOption, { maxLength: 3 })).map(([name, k, v, options]) => [name, k, v, ...options.flat()]),
  fc.tuple(fc.constantFrom('DEL', 'EXISTS', 'MGET'), fc.array(key, { minLength: 1, maxLength: 3 })).map(([name, keys]) => [name, ...keys]),
  fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 3 }).map((pairs) => ['MSET', ...pairs.flat()]),
  fc.tuple(fc.constantFrom('INCR', 'DECR'), key).map((a) => [...a]),
  fc.tuple(fc.constantFrom('INCRBY', 'DECRBY'), key, increment).map((a) => [...a]),
  fc.tuple(key, relativeSeconds, expireFlags(false)).map(([k, seconds, flags]) => ['EXPIRE', k, seconds, ...flags]),
  fc.tuple(key, relativeMilliseconds, expireFlags(false)).map(([k, ms, flags]) => ['PEXPIRE', k, ms, ...flags]),
  fc.tuple(key, absoluteSeconds, expireFlags(true)).map(([k, seconds, flags]) => ['EXPIREAT', k, seconds, ...flags]),
  fc.tuple(key, absoluteMilliseconds, expireFlags(true)).map(([k, ms, flags]) => ['PEXPIREAT', k, ms, ...flags]),
  fc.tuple(fc.constantFrom('TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME', 'PERSIST'), key).map((a) => [...a]),
  fc.constantFrom(['DBSIZE'], ['PING'], ['PING', 'hi'], ['ECHO', 'x\r\ny'], ['SELECT', '0']),
  fc.constantFrom(['GET'], ['GET', 'a', 'b'], ['INCR'], ['SET', 'k1'], ['TTL'], ['MSET', 'a', '1', 'b'], ['PING', 'a', 'b'], ['EXPIRE', 'k1']),
  fc.tuple(fc.constantFrom('nosuch', 'GETX', 'setnx2'), fc.array(value, { maxLength: 3 })).map(([name, args]) => [name, ...args]),
);

/** Sends the commands as one pipelined write and returns each reply's bytes. */
async function pipeline(port: number, commands: readonly Args[]): Promise<string[]> {
  const client = await RawClient.connect(port);
  client.send(Buffer.concat(commands.map((args) => command(...args.map((arg) => Buffer.from(arg, 'latin1'))))));
  const replies = await client.replies(commands.length);
  client.close();
  return replies.map((reply) => reply.toString('latin1'));
}

function sameReply(args: Args, fromRedis: string, fromBarista: string): boolean {
  if (fromRedis === fromBarista) return true;
  const timed = /^:(-?\d+)\r\n$/;
  const [a, b] = [timed.exec(fromRedis)?.[1], timed.exec(fromBarista)?.[1]];
  if (!TIMED_COMMANDS.has(args[0]!.toLowerCase()) || a === undefined || b === undefined || a.startsWith('-') || b.startsWith('-')) return false;
  const tolerance = args[0]!.toLowerCase().startsWith('p') ? TOLERANCE.milliseconds : TOLERANCE.seconds;
  return Math.abs(Number(a) - Number(b)) <= tolerance;
}

/** Every key, its value and whether it has a TTL, read through SCAN. */
async function contents(port: number): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [reply] = await pipeline(port, [['SCAN', cursor, 'COUNT', '3']]);
    const [next, page] = decodeReply(Buffer.from(reply!, 'latin1')).reply as [string, string[]];
    keys.push(...page);
    cursor = next;
  } while (cursor !== '0');
  keys.sort();
  const replies = await pipeline(port, keys.flatMap((k) => [['GET', k], ['TTL', k]]));
  return keys.map((k, i) => `${JSON.stringify(k)} = ${JSON.stringify(replies[2 * i])} ttl:${replies[2 * i + 1]!.startsWith(':-') ? replies[2 * i + 1] : 'set'}`);
}

/** The keys SCAN MATCH finds for a few glob patterns, sorted. */
async function matching(port: number): Promise<string[][]> {
  const patterns = ['k*', '?1', '[kn]2', '[^k]*', 'bin\\*', '*\r\n*'];
  const replies = await pipeline(port, patterns.map((pattern) => ['SCAN', '0', 'MATCH', pattern, 'COUNT', '1000']));
  return replies.map((reply) => ((decodeReply(Buffer.from(reply, 'latin1')).reply as [string, string[]])[1]).sort());
}

describeWithTools([TOOLS.redisServer], 'differential: Barista RESP server vs redis-server 7.0', () => {
  let redis: RunningRedis;
  let barista: TestServer;
  beforeAll(async () => {
    [redis, barista] = await Promise.all([startRedisServer(), startTestServer()]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([redis?.stop(), barista?.close()]);
  });

  it('gives identical replies to random sequences of string, counter and expiry commands, and ends with identical data', async () => {
    let total = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(commandArgs, { minLength: 40, maxLength: 120 }), async (commands) => {
        await Promise.all([pipeline(redis.port, [['FLUSHALL']]), pipeline(barista.port, [['FLUSHALL']])]);
        const [fromRedis, fromBarista] = await Promise.all([pipeline(redis.port, commands), pipeline(barista.port, commands)]);
        commands.forEach((args, i) => {
          if (!sameReply(args, fromRedis[i]!, fromBarista[i]!)) expect({ command: args, reply: fromBarista[i] }).toEqual({ command: args, reply: fromRedis[i] });
        });
        expect(await contents(barista.port)).toEqual(await contents(redis.port));
        expect(await matching(barista.port)).toEqual(await matching(redis.port));
        total += commands.length;
      }),
      { seed: SEED, numRuns: 8 },
    );
    expect(total).toBeGreaterThan(300);
  });

  it.each([
    ['a well-formed pipeline', '*1\r\n$4\r\nPING\r\nPING\r\n*0\r\n*-1\r\n'],
    ['an invalid multibulk length', '*abc\r\n'],
    ['a multibulk length above INT_MAX', '*3000000000\r\n'],
    ['a bulk length above proto-max-bulk-len', '*2\r\n$3\r\nGET\r\n$600000000\r\n'],
    ['a negative bulk length', '*2\r\n$3\r\nGET\r\n$-1\r\n'],
    ['a missing $', 'PING\r\n*2\r\n$3\r\nGET\r\n:1\r\n'],
    ['unbalanced quotes in an inline command', 'SET "a b\r\n'],
    ['a quote glued to a word', 'GET a"b"\r\n'],
    ['quoted inline arguments with escapes', 'ECHO "\\x41\\tb" \'c\\\'d\'\r\n'],
    ['bytes skipped after a payload', '*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n'],
    ['a leading zero in a length', '*1\r\n$04\r\nPING\r\n'],
    ['an HTTP request', 'POST / HTTP/1.1\r\nHost: x\r\n\r\n'],
  ])('answers %s exactly like Redis, closing when Redis closes', async (_name, input) => {
    const exchange = async (port: number) => {
      const client = await RawClient.connect(port);
      client.send(Buffer.from(`${input}QUIT\r\n`, 'latin1'));
      return client.untilClosed();
    };
    expect(await exchange(barista.port)).toBe(await exchange(redis.port));
  });
});
