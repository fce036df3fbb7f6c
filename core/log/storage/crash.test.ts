/**
 * A real crash: a child process appends with flushEveryMessages: 1 and prints each acknowledged
 * batch; we SIGKILL it at a random moment, reopen the log and check every printed batch is there,
 * intact, at its offsets — repeatedly in the same directory, so recovery runs on recovered logs.
 *
 * NEEDS A BUILD FIRST: the child imports the compiled storage from dist/ — run `npm run build`
 * (`npm test` does it through `pretest`).
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PartitionLog } from './partition-log.js';
import { validateBatch } from './record-batch.js';
import { decodeValues } from './test-batches.js';
import { runScriptUntilKilled } from '../../../test/support/processes.js';

const COMPILED_LOG = fileURLToPath(new URL('../../../dist/core/log/storage/partition-log.js', import.meta.url));
const COMPILED_BATCHES = fileURLToPath(new URL('../../../dist/core/log/storage/test-batches.js', import.meta.url));
const CRASH_ROUNDS = 3;
const OPTIONS = { segmentBytes: 8192, indexIntervalBytes: 512, flushEveryMessages: 1 };

/** Child: appends batches of 1..3 records named "<round>-<batch>-<i>"; after each append
 * resolves prints "<baseOffset> <lastOffset> <name prefix>". */
const CHILD_SCRIPT = `
const { PartitionLog } = await import(process.argv[1]);
const { batchOf } = await import(process.argv[2]);
const [dir, round, options] = [process.argv[3], process.argv[4], JSON.parse(process.argv[5])];
const log = await PartitionLog.open(dir, options);
for (let n = 0; ; n++) {
  const prefix = round + '-' + n;
  const values = Array.from({ length: 1 + (n % 3) }, (_, i) => prefix + '-' + i + '-'.padEnd(n % 40, 'x'));
  const { baseOffset, lastOffset } = await log.append(batchOf(values), Number(round));
  process.stdout.write(baseOffset + ' ' + lastOffset + ' ' + prefix + '\\n');
}
`;

interface Acknowledged {
  baseOffset: number;
  lastOffset: number;
  prefix: string;
}

async function runAndKill(dir: string, round: number, killAfterMs: number): Promise<Acknowledged[]> {
  const lines = await runScriptUntilKilled(CHILD_SCRIPT, [COMPILED_LOG, COMPILED_BATCHES, dir, String(round), JSON.stringify(OPTIONS)], killAfterMs);
  return lines.map((line) => line.split(' ')).map(([base, last, prefix]) => ({ baseOffset: Number(base), lastOffset: Number(last), prefix: prefix! }));
}

async function expectAllReadable(log: PartitionLog, acknowledged: Acknowledged[]): Promise<void> {
  for (const { baseOffset, lastOffset, prefix } of acknowledged) {
    const [batch] = await log.readBuffers(baseOffset, 1);
    const header = validateBatch(batch!, 0);
    expect([header.baseOffset, header.lastOffset]).toEqual([baseOffset, lastOffset]);
    const values = decodeValues(batch!, 0);
    values.forEach((value, i) => expect(value?.startsWith(`${prefix}-${i}-`)).toBe(true));
  }
}

describe('partition log under SIGKILL', () => {
  it('keeps every batch whose append resolved, across repeated kills', async () => {
    expect(existsSync(COMPILED_LOG)).toBe(true); // otherwise: run `npm run build` first
    const dir = await mkdtemp(join(tmpdir(), 'partition-log-crash-'));
    try {
      const all: Acknowledged[] = [];
      const epochStarts: { epoch: number; startOffset: number }[] = [];
      for (let round = 0; round < CRASH_ROUNDS; round++) {
        const acknowledged = await runAndKill(dir, round, 400 + Math.floor(Math.random() * 600));
        expect(acknowledged.length).toBeGreaterThan(0);
        all.push(...acknowledged);
        // Round r leads with epoch r, which starts at the round's first batch (acknowledged before the next is sent).
        epochStarts.push({ epoch: round, startOffset: acknowledged[0]!.baseOffset });
        const log = await PartitionLog.open(dir, OPTIONS);
        try {
          expect(log.logEndOffset).toBeGreaterThan(acknowledged.at(-1)!.lastOffset);
          await expectAllReadable(log, all);
          expect(log.leaderEpochCache.entries()).toEqual(epochStarts);
        } finally {
          await log.close();
        }
      }
      // Offsets of acknowledged batches never overlap: a restarted leader continues after them.
      for (let i = 1; i < all.length; i++) expect(all[i]!.baseOffset).toBeGreaterThan(all[i - 1]!.lastOffset);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
