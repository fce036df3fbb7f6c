/**
 * core/net's FrameServer under mutated frames: every mutant is answered (each complete frame
 * echoed) or the connection is closed — a bad length at once, an unfinished frame once the
 * partial-frame timeout passes — and the server keeps echoing for a well-behaved client.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_MAX_FRAME_BYTES, FrameClient, FrameServer } from '../../core/net/index.js';
import { framed, fuzzSeed, Mutator } from './mutate.js';
import { MAX_HEAP_GROWTH_BYTES, memoryAfterGc, OutcomeTally, RawConnection, claimTwoGigabytes, MAX_HUGE_CLAIM_RSS_GROWTH_BYTES } from './raw-connection.js';

const MUTANTS = 4_000;
const BATCH = 100;
const PARTIAL_FRAME_TIMEOUT_MS = 300;

/** What a correct server must do with `bytes`: answer each whole frame, or close (bad or unfinished frame). */
function expectedReaction(bytes: Buffer): { frames: number; closes: boolean } {
  let offset = 0;
  let frames = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < 4) return { frames, closes: true };
    const length = bytes.readInt32BE(offset);
    if (length < 0 || length > DEFAULT_MAX_FRAME_BYTES || bytes.length - offset - 4 < length) return { frames, closes: true };
    offset += 4 + length;
    frames += 1;
  }
  return { frames, closes: false };
}

describe('core/net frame server under mutated frames', () => {
  const seed = fuzzSeed('net-frames');
  let server: FrameServer;
  let port: number;
  let probe: FrameClient;
  beforeAll(async () => {
    // Default frame limit (the one services inherit); a short partial-frame timeout so that a
    // lying length is dropped within the fuzz suite's reply wait.
    server = new FrameServer((frame) => frame, { partialFrameTimeoutMs: PARTIAL_FRAME_TIMEOUT_MS, shutdownGraceMs: 100 });
    ({ port } = await server.listen());
    probe = new FrameClient({ port, requestTimeoutMs: 2_000 });
  });
  afterAll(async () => {
    await probe.close();
    await server.close();
  });

  async function stillEchoes(): Promise<void> {
    const answer = await probe.request(Buffer.concat([Buffer.alloc(4), Buffer.from('alive?')]));
    expect(answer.subarray(4).toString()).toBe('alive?');
  }

  it('answers or closes on every mutant, never hangs, and keeps its memory', async () => {
    const mutator = new Mutator(seed);
    const payloads = fc.sample(fc.uint8Array({ minLength: 0, maxLength: 200 }), { seed, numRuns: MUTANTS });
    const tally = new OutcomeTally();
    const before = memoryAfterGc();
    const mutants = payloads.map((payload) => {
      const valid = Buffer.concat([framed(Buffer.from(payload)), mutator.below(4) === 0 ? framed(Buffer.from('second')) : Buffer.alloc(0)]);
      return mutator.mutate(valid, { lengthFieldOffsets: [0] }).bytes;
    });
    // Mutants of a batch run side by side: most of the time is the server's partial-frame timeout.
    for (let start = 0; start < MUTANTS; start += BATCH) {
      const reactions = await Promise.all(mutants.slice(start, start + BATCH).map(async (bytes) => {
        const expected = expectedReaction(bytes);
        const connection = await RawConnection.open(port);
        connection.write(bytes);
        const seen: string[] = [];
        for (let frame = 0; frame < expected.frames; frame += 1) seen.push(tally.add(await connection.next(), bytes));
        if (expected.closes) seen.push(tally.add(await connection.next(), bytes));
        connection.destroy();
        return { seen, wanted: [...Array<string>(expected.frames).fill('answered'), ...(expected.closes ? ['closed'] : [])], bytes: bytes.toString('hex') };
      }));
      for (const reaction of reactions) expect(reaction).toEqual({ ...reaction, seen: reaction.wanted });
      await stillEchoes();
    }
    const after = memoryAfterGc();
    process.stdout.write(`${tally.summary('net-frames')}; heap ${((after.heapUsedBytes - before.heapUsedBytes) / 1e6).toFixed(1)} MB\n`);
    expect(tally.counts.silent).toBe(0);
    expect(after.heapUsedBytes - before.heapUsedBytes).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  }, 60_000);

  it('refuses a length prefix of 2 GB without reserving it', async () => {
    const claim = await claimTwoGigabytes(await RawConnection.open(port), Buffer.from('tiny'));
    expect(claim.outcome).toBe('closed');
    expect(claim.rssGrowthBytes).toBeLessThan(MAX_HUGE_CLAIM_RSS_GROWTH_BYTES);
    await stillEchoes();
  });

  // Regression: the decoder threw on the bad header and the intact request before it, delivered
  // in the same TCP read, was dropped unanswered.
  it('answers a whole request that arrived in the same read as a bad header, then closes', async () => {
    const connection = await RawConnection.open(port);
    const negative = Buffer.alloc(4);
    negative.writeInt32BE(-1);
    const first = await connection.exchange(Buffer.concat([framed(Buffer.from('intact')), negative]));
    expect(first.kind).toBe('answered');
    expect(first.reply.subarray(4).toString()).toBe('intact');
    expect((await connection.next()).kind).toBe('closed');
  });

  it('assembles a frame written one byte at a time', async () => {
    const connection = await RawConnection.open(port);
    await connection.writeByteByByte(framed(Buffer.from('one byte at a time')));
    const outcome = await connection.next();
    expect(outcome.kind).toBe('answered');
    expect(outcome.reply.subarray(4).toString()).toBe('one byte at a time');
    connection.destroy();
  });

  it('drops a slowloris partial frame, and forgets one whose sender hung up', async () => {
    const held = await RawConnection.open(port);
    held.write(framed(Buffer.alloc(1_000)).subarray(0, 500));
    expect((await held.next()).kind).toBe('closed');
    const abandoned = await RawConnection.open(port);
    abandoned.write(framed(Buffer.alloc(1_000)).subarray(0, 10));
    abandoned.destroy();
    for (let waited = 0; server.connectionCount > 1 && waited < 2_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.connectionCount).toBe(1); // the probe client's
    await stillEchoes();
  });
});
