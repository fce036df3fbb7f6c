/**
 * A real crash: a child process persists entries in a loop and prints each index once persist()
 * resolved; we SIGKILL it at a random moment and check that every printed index survived intact.
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
import { RaftDiskStorage } from './raft-disk-storage.js';
import { runScriptUntilKilled } from '../../../test/support/processes.js';

const COMPILED_STORAGE = fileURLToPath(new URL('../../../dist/core/coord/storage/raft-disk-storage.js', import.meta.url));
const CRASH_ROUNDS = 3;

/** Child: appends batches (sometimes rewriting a suffix with a higher term), rolls small
 * segments, compacts now and then; prints "<last index> <term>" after each persist resolves. */
const CHILD_SCRIPT = `
const { RaftDiskStorage } = await import(process.argv[1]);
const dir = process.argv[2];
const { storage, restored } = await RaftDiskStorage.open(dir, { segmentBytes: 4096 });
let last = restored?.entries.at(-1)?.index ?? restored?.snapshot?.index ?? 0;
let term = (restored?.hardState.term ?? 0) + 1;
const data = (index, term) => new TextEncoder().encode('entry ' + index + ' term ' + term + ' '.padEnd(index % 50, '.'));
for (let round = 0; ; round++) {
  const count = 1 + (round % 7);
  const entries = Array.from({ length: count }, (_, i) => ({ index: last + 1 + i, term, kind: 'normal', data: data(last + 1 + i, term) }));
  await storage.persist({ entries, hardState: { term, votedFor: 0, commit: 0 } });
  last += count;
  process.stdout.write(last + ' ' + term + '\\n');
}
`;

async function runAndKill(dir: string, killAfterMs: number): Promise<Map<number, number>> {
  const acknowledged = new Map<number, number>();
  for (const line of await runScriptUntilKilled(CHILD_SCRIPT, [COMPILED_STORAGE, dir], killAfterMs)) {
    const [index, term] = line.split(' ').map(Number);
    acknowledged.set(index!, term!);
  }
  return acknowledged;
}

describe('raft disk storage under SIGKILL', () => {
  it('keeps every entry whose persist() resolved, across repeated kills', async () => {
    expect(existsSync(COMPILED_STORAGE)).toBe(true); // otherwise: run `npm run build` first
    const dir = await mkdtemp(join(tmpdir(), 'raft-crash-'));
    try {
      for (let round = 0; round < CRASH_ROUNDS; round++) {
        const acknowledged = await runAndKill(dir, 300 + Math.floor(Math.random() * 500));
        const { storage, restored } = await RaftDiskStorage.open(dir);
        await storage.close();
        const byIndex = new Map(restored!.entries.map((entry) => [entry.index, entry]));
        expect(acknowledged.size).toBeGreaterThan(0);
        for (const [lastIndex, term] of acknowledged) {
          const entry = byIndex.get(lastIndex);
          expect(entry?.term).toBe(term);
          expect(new TextDecoder().decode(entry!.data)).toMatch(new RegExp(`^entry ${lastIndex} term ${term} `));
        }
        expect(restored!.entries.every((entry, i) => entry.index === restored!.entries[0]!.index + i)).toBe(true);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
