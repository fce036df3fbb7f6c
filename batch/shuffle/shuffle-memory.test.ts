/**
 * Memory stays bounded: a child Node process with a 64 MiB old-space heap shuffles ~300 MB of word
 * pairs (several times its heap) through two map tasks and one aggregated reduce partition. It runs
 * the shuffle's own sources, transpiled by SWC (a dev dependency) into a temp dir, so it needs no
 * `npm run build` first; batch/shuffle imports only node: built-ins, so the copy runs from anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { transformFileSync } from '@swc/core';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDirectory, removeDirectory } from './testing.js';

const SOURCE_DIRECTORY = dirname(fileURLToPath(import.meta.url));
const HEAP_LIMIT_MB = 64;
const TARGET_PAIR_BYTES = 300 * 1024 * 1024;

/** The child: generates word pairs lazily, writes two map outputs, counts keys of reduce partition 0,
 * and prints its figures as JSON. */
const CHILD_SCRIPT = `
import { ShuffleWriter } from './shuffle-writer.js';
import { readShufflePartition } from './shuffle-reader.js';
import { testPartitioner } from './testing.js';
const [directory, targetBytes] = [process.argv[2], Number(process.argv[3])];
const TEXT = 'the raven quoth nevermore once upon a midnight dreary while i pondered weak and weary '.repeat(4);
let pairBytes = 0;
function* wordPairs(task, bytes) {
  let state = 0x2545f491 ^ task;
  for (let index = 0; pairBytes < bytes; index += 1) {
    state = Math.imul(state ^ (state >>> 13), 0x5bd1e995) ^ index;
    const word = 'w' + ((state >>> 0) % 1_500_000).toString(36);
    const value = TEXT.slice(index % 64, (index % 64) + 40 + (index % 24));
    pairBytes += word.length + value.length;
    yield [word, value];
  }
}
const budget = 8 * 1024 * 1024;
const mapOutputs = [];
let spills = 0;
for (let mapPartition = 0; mapPartition < 2; mapPartition += 1) {
  const writer = new ShuffleWriter({ directory, shuffleId: 3, mapPartition, partitioner: testPartitioner(2), memoryLimitBytes: budget });
  mapOutputs.push(writer.write(wordPairs(mapPartition, (targetBytes * (mapPartition + 1)) / 2)));
  spills += writer.stats.spillCount;
}
const countAggregator = { createCombiner: () => 1, mergeValue: (count) => count + 1, mergeCombiners: (left, right) => left + right };
const reader = readShufflePartition({ mapOutputs, reducePartition: 0, aggregator: countAggregator, mapSideCombined: false, memoryLimitBytes: budget, directory });
let distinctKeys = 0;
let countedRecords = 0;
for (const [, count] of reader) {
  distinctKeys += 1;
  countedRecords += count;
}
const expectedRecords = mapOutputs.reduce((sum, status) => sum + status.recordsByPartition[0], 0);
const dataBytes = mapOutputs.reduce((sum, status) => sum + status.bytesByPartition.reduce((a, b) => a + b, 0), 0);
process.stdout.write(JSON.stringify({ pairBytes, dataBytes, spills, readerSpills: reader.stats.spillCount, distinctKeys, countedRecords, expectedRecords }));
`;

let workDirectory: string;
let codeDirectory: string;
beforeAll(() => {
  workDirectory = makeTempDirectory();
  codeDirectory = makeTempDirectory();
  for (const file of readdirSync(SOURCE_DIRECTORY).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
    const { code } = transformFileSync(join(SOURCE_DIRECTORY, file), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } });
    writeFileSync(join(codeDirectory, file.replace(/\.ts$/, '.js')), code);
  }
  writeFileSync(join(codeDirectory, 'package.json'), '{"type":"module"}');
  writeFileSync(join(codeDirectory, 'child.js'), CHILD_SCRIPT);
});
afterAll(() => {
  removeDirectory(workDirectory);
  removeDirectory(codeDirectory);
});

describe('shuffle memory bound', () => {
  it(`shuffles ~300 MB of word pairs in a process with a ${HEAP_LIMIT_MB} MiB heap`, () => {
    const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_LIMIT_MB}`, join(codeDirectory, 'child.js'), workDirectory, String(TARGET_PAIR_BYTES)], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const result = JSON.parse(child.stdout) as Record<string, number>;
    expect(result.pairBytes).toBeGreaterThanOrEqual(TARGET_PAIR_BYTES);
    expect(result.dataBytes).toBeGreaterThan(4 * HEAP_LIMIT_MB * 1024 * 1024);
    expect(result.spills).toBeGreaterThan(10);
    expect(result.readerSpills).toBeGreaterThan(0);
    expect(result.countedRecords).toBe(result.expectedRecords);
    expect(result.distinctKeys).toBeGreaterThan(100_000);
  }, 90_000);
});
