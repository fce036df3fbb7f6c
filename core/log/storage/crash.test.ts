/**
 * A real crash: a child process appends with flushEveryMessages: 1 and prints each acknowledged
 * batch; we SIGKILL it at a random moment while it appends, reopen the log and check every
 * printed batch is there, intact, at its offsets — repeatedly in the same directory, so recovery
 * runs on recovered logs. The random moment is counted from the child's first acknowledgement,
 * not from its start: a child slow to start on a loaded machine would otherwise die before
 * appending anything, and the round would test nothing.
 *
 * NEEDS A BUILD FIRST: the child imports the compiled storage from dist/ — run `npm run build`
 * (`npm test` does it through `pretest`).
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PartitionLog } from './partition-log.js';
import { validateBatch } from './record-batch.js';
import { decodeValues } from './test-batches.js';

const COMPILED_LOG = fileURLToPath(new URL('../../../dist/core/log/storage/partition-log.js', import.meta.url));
const COMPILED_BATCHES = fileURLToPath(new URL('../../../dist/core/log/storage/test-batches.js', import.meta.url));
const CRASH_ROUNDS = 3;
/** The kill lands this long after the child's first acknowledged append, at random within it. */
const KILL_AFTER_FIRST_ACK_MS = { min: 0, max: 600 } as const;
/** A child that acknowledged nothing by then is killed anyway (the round then fails on it). */
const FIRST_ACK_TIMEOUT_MS = 15_000;
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

/**
 * Runs the child script and SIGKILLs it `killAfterFirstAckMs` after it printed its first complete
 * line; resolves with the complete lines printed before the kill (a torn last line is dropped).
 * test/support's runScriptUntilKilled kills at a fixed time from the start instead.
 */
function runUntilKilledAfterFirstAck(args: readonly string[], killAfterFirstAckMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => child.kill('SIGKILL'), FIRST_ACK_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (timer === undefined && output.includes('\n')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterFirstAckMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      if (signal !== 'SIGKILL') return reject(new Error(`child exited on its own: ${errors}`));
      resolve(output.split('\n').slice(0, -1));
    });
  });
}

async function runAndKill(dir: string, round: number, killAfterFirstAckMs: number): Promise<Acknowledged[]> {
  const lines = await runUntilKilledAfterFirstAck([COMPILED_LOG, COMPILED_BATCHES, dir, String(round), JSON.stringify(OPTIONS)], killAfterFirstAckMs);
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
        const { min, max } = KILL_AFTER_FIRST_ACK_MS;
        const acknowledged = await runAndKill(dir, round, min + Math.floor(Math.random() * (max - min)));
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
  }, 60_000);
});
