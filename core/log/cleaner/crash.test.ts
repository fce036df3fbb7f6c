/**
 * A real crash during compaction: a child process appends keyed records (fsynced before each is
 * acknowledged) while cleaning runs alongside, over and over; we SIGKILL it at a random moment —
 * often mid-cleaning, sometimes mid-swap — reopen the log and check it is consistent: every batch
 * intact, offsets ascending, every acknowledged record either still there with its offset or
 * superseded by a later record of its key. Repeated in the same directory.
 *
 * NEEDS A BUILD FIRST (as storage/crash.test.ts): the child imports the compiled modules from
 * dist/ — run `npm run build` (`npm test` does it through `pretest`).
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PartitionLog } from '../storage/index.js';
import { cleanLog } from './clean-log.js';
import { readAllRecords } from '../storage/test-batches.js';
import { runScriptUntilKilled } from '../../../test/support/processes.js';

const compiled = (path: string) => fileURLToPath(new URL(`../../../dist/core/log/${path}`, import.meta.url));
const COMPILED_LOG = compiled('storage/partition-log.js');
const COMPILED_BATCHES = compiled('storage/test-batches.js');
const COMPILED_CLEANER = compiled('cleaner/clean-log.js');
const CRASH_ROUNDS = 4;
const KEYS = 6;
const OPTIONS = { segmentBytes: 1024, flushEveryMessages: 1 };

/** Child: appends one record per batch, key "k<n % KEYS>", value "<round>-<n>", printing
 * "<offset> <key> <value>" once acknowledged; a cleaning runs whenever none is running. */
const CHILD_SCRIPT = `
const { PartitionLog } = await import(process.argv[1]);
const { encodeBatch } = await import(process.argv[2]);
const { cleanLog } = await import(process.argv[3]);
const [dir, round, keys, options] = [process.argv[4], process.argv[5], Number(process.argv[6]), JSON.parse(process.argv[7])];
const log = await PartitionLog.open(dir, options);
let cleaning;
for (let n = 0; ; n++) {
  const key = 'k' + (n % keys);
  const value = round + '-' + n;
  const { baseOffset } = await log.append(encodeBatch([{ key: Buffer.from(key), value: Buffer.from(value) }], { baseTimestamp: Date.now() }), 0);
  process.stdout.write(baseOffset + ' ' + key + ' ' + value + '\\n');
  cleaning ??= cleanLog(log, { deleteRetentionMs: 3600000, nowMs: Date.now() }).finally(() => (cleaning = undefined));
}
`;

interface Entry {
  offset: number;
  key: string;
  value: string;
}

async function runAndKill(dir: string, round: number, killAfterMs: number): Promise<Entry[]> {
  const lines = await runScriptUntilKilled(CHILD_SCRIPT, [COMPILED_LOG, COMPILED_BATCHES, COMPILED_CLEANER, dir, String(round), String(KEYS), JSON.stringify(OPTIONS)], killAfterMs);
  return lines.map((line) => line.split(' ')).map(([offset, key, value]) => ({ offset: Number(offset), key: key!, value: value! }));
}

async function readAll(log: PartitionLog): Promise<Entry[]> {
  return (await readAllRecords(log)).map((record) => ({ offset: record.offset, key: record.key!, value: record.value! }));
}

function expectConsistent(log: readonly Entry[], acknowledged: readonly Entry[]): void {
  for (let i = 1; i < log.length; i++) expect(log[i]!.offset).toBeGreaterThan(log[i - 1]!.offset);
  const byOffset = new Map(acknowledged.map((entry) => [entry.offset, entry]));
  // Offsets preserved: what the log holds at an acknowledged offset is what was acknowledged there.
  for (const entry of log) {
    const known = byOffset.get(entry.offset);
    if (known !== undefined) expect(entry).toEqual(known);
  }
  // Nothing acknowledged is lost unless a later record of its key replaced it.
  const latestInLog = new Map<string, number>();
  for (const entry of log) latestInLog.set(entry.key, entry.offset);
  for (const entry of acknowledged) expect(latestInLog.get(entry.key) ?? -1).toBeGreaterThanOrEqual(entry.offset);
}

describe('compaction under SIGKILL', () => {
  it('leaves a consistent log whatever the moment of the kill', async () => {
    expect(existsSync(COMPILED_CLEANER)).toBe(true); // otherwise: run `npm run build` first
    const dir = await mkdtemp(join(tmpdir(), 'cleaner-crash-'));
    try {
      const acknowledged: Entry[] = [];
      for (let round = 0; round < CRASH_ROUNDS; round++) {
        const entries = await runAndKill(dir, round, 400 + Math.floor(Math.random() * 800));
        expect(entries.length).toBeGreaterThan(0);
        acknowledged.push(...entries);
        const log = await PartitionLog.open(dir, OPTIONS);
        try {
          expect((await readdir(dir)).filter((name) => name.endsWith('.cleaned') || name.endsWith('.swap'))).toEqual([]);
          expectConsistent(await readAll(log), acknowledged);
        } finally {
          await log.close();
        }
      }
      // And a last cleaning of the recovered log leaves exactly the latest record of each key below the active segment.
      const log = await PartitionLog.open(dir, OPTIONS);
      await cleanLog(log, { deleteRetentionMs: 3_600_000, nowMs: Date.now() });
      const activeBase = log.segmentBaseOffsets.at(-1)!;
      const cleaned = (await readAll(log)).filter((entry) => entry.offset < activeBase);
      expect(new Set(cleaned.map((entry) => entry.key)).size).toBe(cleaned.length);
      await log.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
