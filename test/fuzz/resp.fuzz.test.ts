/**
 * The RESP server under mutated commands: valid commands (RESP arrays and inline lines, names and
 * arguments from fast-check), mutated, each sent on its own connection. The server must answer
 * every complete command, answer a protocol violation with Redis's "-ERR Protocol error" and
 * close, and may wait in silence only for a command that is not complete yet (Redis keeps no
 * timer on that). It still answers PING after each batch, and its heap stays bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { RespParser } from '../../serving/resp/parser.js';
import { command, replyEnd, startTestServer, type TestServer } from '../../serving/resp/test-support.js';
import { fuzzSeed, Mutator } from './mutate.js';
import { MAX_HEAP_GROWTH_BYTES, memoryAfterGc, OutcomeTally, RawConnection } from './raw-connection.js';

const MUTANTS = 6_000;
const BATCH = 50;
/** Bounds of the server under test, small enough that the fuzz can reach them. */
const MAX_BULK_BYTES = 1024 * 1024;
const MAX_QUERY_BUFFER_BYTES = 4 * 1024 * 1024;

const respReplyEnd = (received: Buffer) => (received.length === 0 ? -1 : replyEnd(received, 0));

const key = fc.string({ minLength: 1, maxLength: 8 });
const value = fc.string({ maxLength: 24 });
const validCommand: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.constant(['PING']),
  fc.tuple(fc.constant('ECHO'), value),
  fc.tuple(fc.constant('SET'), key, value),
  fc.tuple(fc.constant('SET'), key, value, fc.constant('PX'), fc.integer({ min: 1, max: 100_000 }).map(String)),
  fc.tuple(fc.constant('GET'), key),
  fc.tuple(fc.constant('INCRBY'), key, fc.integer().map(String)),
  fc.tuple(fc.constant('DEL'), key, key),
  fc.tuple(fc.constant('MSET'), key, value, key, value),
  fc.tuple(fc.constant('MGET'), key, key),
  fc.tuple(fc.constant('EXPIRE'), key, fc.integer({ min: 1, max: 1_000 }).map(String)),
  fc.tuple(fc.constant('TTL'), key),
  fc.tuple(fc.constant('APPEND'), key, value),
  fc.tuple(fc.constant('SCAN'), fc.constant('0'), fc.constant('COUNT'), fc.constant('5')),
  fc.tuple(fc.constant('EXISTS'), key),
  fc.constant(['DBSIZE']),
);

/** A command as a RESP array, or as an inline line (quoted, so any argument survives). */
function encode(args: readonly string[], inline: boolean): Buffer {
  if (!inline) return command(...args);
  return Buffer.from(`${args.map((arg) => JSON.stringify(arg)).join(' ')}\r\n`);
}

/** What a correct server does with `bytes`: how many replies, then whether it reports an error and closes. */
function expectedReaction(bytes: Buffer): { replies: number; protocolError: boolean } {
  const { commands, error } = new RespParser({ maxBulkBytes: MAX_BULK_BYTES, maxQueryBufferBytes: MAX_QUERY_BUFFER_BYTES }).push(bytes);
  const quits = commands.findIndex((args) => args[0]?.toString().toUpperCase() === 'QUIT');
  if (quits >= 0) return { replies: quits + 1, protocolError: false };
  return { replies: commands.length, protocolError: error !== undefined };
}

describe('RESP server under mutated commands', () => {
  const seed = fuzzSeed('resp');
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ maxBulkBytes: MAX_BULK_BYTES, maxQueryBufferBytes: MAX_QUERY_BUFFER_BYTES });
  });
  afterAll(async () => server.close());

  async function answersPing(): Promise<void> {
    const connection = await RawConnection.open(server.port, respReplyEnd);
    const outcome = await connection.exchange(command('PING'));
    connection.destroy();
    expect(outcome.reply.toString()).toBe('+PONG\r\n');
  }

  it('answers, refuses or waits for more on every mutant, keeps answering PING, and keeps its memory', async () => {
    const mutator = new Mutator(seed);
    const commands = fc.sample(fc.tuple(fc.array(validCommand, { minLength: 1, maxLength: 3 }), fc.boolean()), { seed, numRuns: MUTANTS });
    const tally = new OutcomeTally();
    const wrong: string[] = [];
    const before = memoryAfterGc();
    for (let start = 0; start < MUTANTS; start += BATCH) {
      await Promise.all(commands.slice(start, start + BATCH).map(async ([pipeline, inline]) => {
        const valid = Buffer.concat(pipeline.map((args) => encode(args, inline)));
        const { bytes } = mutator.mutate(valid);
        const expected = expectedReaction(bytes);
        const connection = await RawConnection.open(server.port, respReplyEnd);
        connection.write(bytes);
        for (let reply = 0; reply < expected.replies; reply += 1) {
          const outcome = await connection.next();
          tally.add(outcome, bytes);
          if (outcome.kind !== 'answered') wrong.push(`reply ${reply + 1} of ${expected.replies} to ${JSON.stringify(bytes.toString('latin1'))}: ${outcome.kind}`);
        }
        if (expected.protocolError) {
          const refusal = await connection.next();
          const closed = await connection.next();
          tally.add(closed, bytes);
          if (!refusal.reply.toString().startsWith('-ERR Protocol error') || closed.kind !== 'closed') wrong.push(`refusal of ${JSON.stringify(bytes.toString('latin1'))}: ${refusal.kind} ${refusal.reply.toString()} then ${closed.kind}`);
        }
        connection.destroy();
      }));
      await answersPing();
    }
    const after = memoryAfterGc();
    process.stdout.write(`${tally.summary('resp')}; heap ${((after.heapUsedBytes - before.heapUsedBytes) / 1e6).toFixed(1)} MB\n`);
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(after.heapUsedBytes - before.heapUsedBytes).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  }, 90_000);

  it('refuses a bulk string claiming 2 GB, and an argument count of 2^31 - 1, without reserving either', async () => {
    const before = memoryAfterGc();
    const bulk = await RawConnection.open(server.port, respReplyEnd);
    expect((await bulk.exchange(Buffer.from('*1\r\n$2147483647\r\nabc'))).reply.toString()).toBe('-ERR Protocol error: invalid bulk length\r\n');
    expect((await bulk.next()).kind).toBe('closed');
    const count = await RawConnection.open(server.port, respReplyEnd);
    expect((await count.exchange(Buffer.from('*2147483647\r\n$4\r\nPING\r\n'))).kind).toBe('silent');
    count.destroy();
    expect(memoryAfterGc().rssBytes - before.rssBytes).toBeLessThan(64 * 1024 * 1024);
    await answersPing();
  });

  it('answers a pipeline written one byte at a time', async () => {
    const connection = await RawConnection.open(server.port, respReplyEnd);
    await connection.writeByteByByte(Buffer.concat([command('SET', 'slow', 'ly'), Buffer.from('GET slow\r\n')]));
    expect((await connection.next()).reply.toString()).toBe('+OK\r\n');
    expect((await connection.next()).reply.toString()).toBe('$2\r\nly\r\n');
    connection.destroy();
  });

  it('waits on a partial command (slowloris) and forgets it once the sender hangs up', async () => {
    const held = await RawConnection.open(server.port, respReplyEnd);
    held.write(Buffer.from('*2\r\n$3\r\nGET\r\n$1'));
    expect((await held.next(200)).kind).toBe('silent');
    held.destroy();
    for (let waited = 0; server.server.connectionCount > 0 && waited < 2_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.server.connectionCount).toBe(0);
    await answersPing();
  });
});
