import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { BatchContext } from '../context/batch-context.js';
import { MemoryKeyspace } from '../../serving/keyspace/memory-keyspace.js';
import { BatchViewWriter } from '../../serving/views/batch-view-writer.js';
import { ViewCatalog } from '../../serving/views/catalog.js';
import { ViewReader } from '../../serving/views/view-reader.js';
import { tokenize } from '../../core/text/tokenize.js';
import { oracleWordCount } from '../../test/support/word-count-oracle.js';

const RAVEN = new URL('../../examples/wordcount/poems/raven.txt', import.meta.url).pathname;

let sc: BatchContext;
afterEach(async () => {
  await sc.stop();
});

describe('saveAsView', () => {
  it('publishes a batch view whose every key reads back as the oracle count', async () => {
    sc = new BatchContext({ slots: 2 });
    const keyspace = new MemoryKeyspace();
    await new ViewCatalog({ keyspace }).create('words', 'sum', { bucketOffsets: 1 });
    const counts = sc.textFile(RAVEN, 3).flatMap(tokenize).map((word): [string, number] => [word, 1]).reduceByKey((a, b) => a + b, 4);
    const published = await counts.saveAsView(new BatchViewWriter({ keyspace }), 'words', 1, { 'raven-0': 99 });
    expect(published.version).toBe(1);
    const reader = new ViewReader({ keyspace });
    const oracle = oracleWordCount(readFileSync(RAVEN, 'utf8'));
    for (const word of ['nevermore', 'raven', 'the', 'lenore']) {
      const answer = await reader.get('words', word);
      expect(answer.value).toBe(BigInt(oracle.get(word) ?? 0));
      expect(answer.batchVersion).toBe(1);
      expect(answer.cutOffs).toEqual({ 'raven-0': 99 });
    }
    const top = await reader.top('words', 3);
    expect(top.map((ranked) => ranked.key.toString())).toEqual([...oracle].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([word]) => word));
  });

  it('refuses to publish an older version over a newer one', async () => {
    sc = new BatchContext({ slots: 1 });
    const keyspace = new MemoryKeyspace();
    await new ViewCatalog({ keyspace }).create('letters', 'sum', { bucketOffsets: 1 });
    const writer = new BatchViewWriter({ keyspace });
    await sc.parallelize<[string, number]>([['a', 1]], 1).saveAsView(writer, 'letters', 2, {});
    await expect(sc.parallelize<[string, number]>([['a', 5]], 1).saveAsView(writer, 'letters', 1, {})).rejects.toThrow(/version/);
  });
});
