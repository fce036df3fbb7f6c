/**
 * A distributed-topology worker (word count, every task in this one worker) under mutated transfer
 * frames: tuples for its bolts, acker messages and spout verdicts, encoded by the worker's own
 * TransferEncoder, mutated, each sent on its own connection. Every mutant is answered or its
 * connection closed within the reply wait, the worker still acknowledges a valid frame after each
 * batch, and its heap stays bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { RuntimeTuple, StreamSchema } from '../../core/topology/api/tuple.js';
import { evenAssignment } from '../../core/topology/distributed/assignment.js';
import wordCount from '../../core/topology/distributed/test-topologies/word-count.js';
import { StreamTable, TransferEncoder } from '../../core/topology/distributed/wire.js';
import { ackerTaskIdsOf, Worker } from '../../core/topology/distributed/worker.js';
import { AckerMessageKind } from '../../core/topology/runtime/messages.js';
import { freePort } from '../support/ports.js';
import { framed, fuzzSeed, Mutator } from './mutate.js';
import { MAX_HEAP_GROWTH_BYTES, memoryAfterGc, OutcomeTally, RawConnection, claimTwoGigabytes, MAX_HUGE_CLAIM_RSS_GROWTH_BYTES } from './raw-connection.js';

const MUTANTS = 10_000;
const BATCH = 50;

describe('topology worker under mutated transfer frames', () => {
  const seed = fuzzSeed('topology-worker');
  let dir: string;
  let worker: Worker;
  let port: number;
  let encoder: TransferEncoder;
  let valid: Buffer[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fuzz-worker-'));
    const built = wordCount({ total: '200', out: join(dir, 'counts') });
    port = await freePort();
    const ackers = ackerTaskIdsOf(built.config ?? {});
    const assignment = evenAssignment(built.topology, ackers, { w1: { host: '127.0.0.1', port } });
    worker = await Worker.start({ topologyName: 'fuzz', workerId: 'w1', topology: built.topology, config: built.config ?? {}, assignment });
    encoder = new TransferEncoder(new StreamTable(built.topology));
    const taskIds = (component: string) => built.topology.components.find((c) => c.id === component)!.taskIds;
    const words = fc.sample(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 4 }), { seed, numRuns: 8 });
    valid = words.flatMap((batch, index) => [
      encoder.frame([encoder.tuples(taskIds('split')[index % 2]!, [new RuntimeTuple(new StreamSchema('sentences', 'default', ['sentence']), [batch.join(' ')], taskIds('sentences')[0]!)])]),
      encoder.frame([encoder.tuples(taskIds('count')[index % 2]!, batch.map((word) => new RuntimeTuple(new StreamSchema('split', 'default', ['word']), [word], taskIds('split')[0]!)))]),
      encoder.frame([encoder.ackerMessages(ackers[index % ackers.length]!, [{ kind: AckerMessageKind.Ack, rootId: 1_000 + index, xor: 2 ** 40 + index, spoutTaskId: taskIds('sentences')[0]! }])]),
      encoder.frame([encoder.spoutEvents(taskIds('sentences')[index % 2]!, [{ kind: 'failed', rootId: 1_000 + index, reason: 'timeout' }])]),
    ]);
  });
  afterAll(async () => {
    await worker.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function acknowledgesValidFrame(): Promise<void> {
    const connection = await RawConnection.open(port);
    const frame = encoder.frame([]);
    frame.writeInt32BE(4242, 0);
    const outcome = await connection.exchange(framed(frame));
    connection.destroy();
    expect(outcome.kind).toBe('answered');
    expect(outcome.reply.readInt32BE(4)).toBe(4242);
  }

  it('answers or closes on every mutant, keeps acknowledging frames, and keeps its memory', async () => {
    const mutator = new Mutator(seed);
    const tally = new OutcomeTally();
    const hangs: string[] = [];
    const before = memoryAfterGc();
    for (let start = 0; start < MUTANTS; start += BATCH) {
      const frames = Array.from({ length: Math.min(BATCH, MUTANTS - start) }, () => mutator.mutate(mutator.pick(valid)).bytes);
      await Promise.all(frames.map(async (frame) => {
        const connection = await RawConnection.open(port);
        const outcome = await connection.exchange(framed(frame));
        connection.destroy();
        tally.add(outcome, frame);
        if (outcome.kind === 'silent') hangs.push(frame.toString('hex'));
      }));
      await acknowledgesValidFrame();
    }
    const after = memoryAfterGc();
    process.stdout.write(`${tally.summary('topology-worker')}; heap ${((after.heapUsedBytes - before.heapUsedBytes) / 1e6).toFixed(1)} MB\n`);
    expect(hangs).toEqual([]);
    expect(after.heapUsedBytes - before.heapUsedBytes).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  }, 90_000);

  // Regression: acker messages and spout verdicts crossed the wire unchecked; a bad xor or an
  // unknown kind threw inside the acker's turn and killed the worker process.
  it('closes on a frame whose acker message or spout verdict is malformed, and keeps running', async () => {
    const acker = ackerTaskIdsOf(wordCount({}).config ?? {})[0]!;
    for (const frame of [
      encoder.frame([encoder.ackerMessages(acker, [{ kind: AckerMessageKind.Ack, rootId: 7, xor: 0.5, spoutTaskId: 0 }])]),
      encoder.frame([[1, acker, [{ kind: 9, rootId: 7, xor: 1, spoutTaskId: 0 }]]]),
      encoder.frame([encoder.spoutEvents(0, [{ kind: 'failed', rootId: -3, reason: 'timeout' }])]),
    ]) {
      const connection = await RawConnection.open(port);
      expect((await connection.exchange(framed(frame))).kind).toBe('closed');
    }
    await new Promise((resolve) => setImmediate(resolve));
    await acknowledgesValidFrame();
  });

  it('refuses a frame claiming 2 GB without reserving it', async () => {
    const claim = await claimTwoGigabytes(await RawConnection.open(port));
    expect(claim.outcome).toBe('closed');
    expect(claim.rssGrowthBytes).toBeLessThan(MAX_HUGE_CLAIM_RSS_GROWTH_BYTES);
    await acknowledgesValidFrame();
  });

  it('acknowledges a frame written one byte at a time, and forgets a partial one whose sender hung up', async () => {
    const connection = await RawConnection.open(port);
    await connection.writeByteByByte(framed(valid[0]!));
    expect((await connection.next()).kind).toBe('answered');
    connection.write(framed(valid[1]!).subarray(0, 7));
    connection.destroy();
    await acknowledgesValidFrame();
  });
});
