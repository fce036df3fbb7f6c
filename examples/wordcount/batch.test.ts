/**
 * The batch word count, run as `barista batch` runs it (runJobModule on the compiled module in
 * dist/, built by `npm test`'s pretest): over The Raven, on this thread and on executor threads,
 * and over a log topic of a real broker — always the oracle's counts; over the log, the cut-offs
 * are the offsets the topic had when the job began.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { packageRoot } from '../../core/cli/package-root.js';
import { runJobModule } from '../../batch/job/job-module.js';
import { oracleWordCount, topWords } from '../../test/support/word-count-oracle.js';
import { createTopics, produceLines, ravenText, startEmbeddedLog, type EmbeddedLog } from './test-support.js';
import type { WordCountResult } from './batch.js';

const COMPILED_JOB = join(packageRoot(), 'dist', 'examples', 'wordcount', 'batch.js');
const TOPIC = 'raven-batch';
const GROWING_TOPIC = 'raven-growing';
const PARTITIONS = 3;

let oracle: Map<string, number>;
let expected: Omit<WordCountResult, 'cutOffs'>;

beforeAll(async () => {
  oracle = oracleWordCount(await ravenText());
  expected = { distinctWords: oracle.size, totalWords: [...oracle.values()].reduce((sum, count) => sum + count, 0), top: topWords(oracle, 10) };
});

describe('batch word count (examples/wordcount/batch)', () => {
  it('counts The Raven exactly as the oracle, in two jobs', async () => {
    const { result, jobs } = await runJobModule(COMPILED_JOB, {}, { slots: 2 });
    expect(result).toEqual(expected);
    expect(jobs).toBe(2);
  });

  it('gives the same answer on two executor threads', async () => {
    const { result } = await runJobModule(COMPILED_JOB, {}, { executors: 2 });
    expect(result).toEqual(expected);
  });

  it('refuses a bootstrap without a topic with a clear error', async () => {
    await expect(runJobModule(COMPILED_JOB, { bootstrap: '127.0.0.1:9' })).rejects.toThrow(/argument topic=\(missing\) is not valid/);
  });

  describe('over a log topic', () => {
    let log: EmbeddedLog;
    let endOffsets: number[];

    beforeAll(async () => {
      log = await startEmbeddedLog('wordcount-batch');
      await createTopics(log, [{ topic: TOPIC, numPartitions: PARTITIONS }, { topic: GROWING_TOPIC, numPartitions: PARTITIONS }]);
      endOffsets = await produceLines(log, TOPIC, (await ravenText()).split('\n'), PARTITIONS);
    });
    afterAll(async () => {
      await log.close();
    });

    it('reads on executor threads exactly the cut-offs the driver planned, while the topic keeps growing', async () => {
      const producer = log.kafka.producer();
      await producer.connect();
      let producing = true;
      const background = (async () => {
        for (let round = 0; producing; round++) {
          await producer.send({ topic: GROWING_TOPIC, acks: -1, messages: [{ value: `nevermore ${round}`, partition: round % PARTITIONS }] });
        }
      })();
      try {
        await produceLines(log, GROWING_TOPIC, ['quoth the raven'], PARTITIONS);
        const { result } = await runJobModule(COMPILED_JOB, { bootstrap: log.brokers[0]!, topic: GROWING_TOPIC }, { executors: 2 });
        const { totalWords, cutOffs } = result as WordCountResult & { cutOffs: { partitions: Record<string, number> } };
        const records = Object.values(cutOffs.partitions).reduce((sum, offset) => sum + offset, 0);
        // 'quoth the raven' is 3 words; every 'nevermore N' record 2: the total must match the planned records exactly.
        expect(totalWords).toBe(3 + (records - 1) * 2);
      } finally {
        producing = false;
        await background;
        await producer.disconnect();
      }
    });

    it('counts every record\'s words as the oracle does and returns the cut-off offsets', async () => {
      const { result } = await runJobModule(COMPILED_JOB, { bootstrap: log.brokers[0]!, topic: TOPIC }, { executors: 2 });
      const cutOffs = Object.fromEntries(endOffsets.map((offset, partition) => [String(partition), offset]));
      expect(result).toEqual({ ...expected, cutOffs: { topic: TOPIC, partitions: cutOffs } });
    });
  });
});
