/**
 * A real crash: a child process puts (and now and then deletes) with fsync 'always', merging in
 * the background, and prints each acknowledged write; we SIGKILL it at a random moment, reopen
 * the store and check every acknowledged put is there with its value and every acknowledged
 * delete stays deleted — repeatedly in the same directory, so recovery runs on recovered stores
 * and kills can land in the middle of a merge.
 *
 * NEEDS A BUILD FIRST: the child imports the compiled store from dist/ — run `npm run build`
 * (`npm test` does it through `pretest`).
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BitcaskStore, type BitcaskOptions } from './bitcask-store.js';
import { bytes, removeDirectory, scratchDirectory } from './test-support.js';
import { runScriptUntilKilled } from '../../test/support/processes.js';

const COMPILED_STORE = fileURLToPath(new URL('../../dist/serving/storage/bitcask-store.js', import.meta.url));
const CRASH_ROUNDS = 4;
// Files small enough that merges finish now and then between kills, and kills land mid-merge too.
const OPTIONS: BitcaskOptions = { fsync: 'always', maxFileBytes: 16 * 1024 };

/** Child: puts "<round>-<n>" = valueFor(round, n); every 4th write also deletes the key put 3
 * writes before; every 50 puts starts a merge it does not await. After each write resolves it
 * prints "put <key>" or "del <key>". */
const CHILD_SCRIPT = `
const { BitcaskStore } = await import(process.argv[1]);
const [dir, round, options] = [process.argv[2], process.argv[3], JSON.parse(process.argv[4])];
const store = await BitcaskStore.open(dir, options);
let merging = false;
for (let n = 0; ; n++) {
  const key = round + '-' + n;
  await store.put(Buffer.from(key), Buffer.from('value of ' + key + ' '.padEnd(n % 300, 'x')));
  process.stdout.write('put ' + key + '\\n');
  if (n % 4 === 3) {
    const doomed = round + '-' + (n - 3);
    await store.delete(Buffer.from(doomed));
    process.stdout.write('del ' + doomed + '\\n');
  }
  if (n % 50 === 49 && !merging) {
    merging = true;
    store.merge().finally(() => (merging = false));
  }
}
`;

function valueFor(key: string): string {
  const n = Number(key.split('-')[1]);
  return `value of ${key}${' '.padEnd(n % 300, 'x')}`;
}

interface Acknowledged {
  puts: string[];
  deletes: string[];
  /** A key whose delete may have been in flight at the kill: it may or may not be deleted. */
  maybeDeleted: string | undefined;
}

/** The child deletes right after acknowledging the put of every 4th key (n % 4 === 3). */
function inFlightDelete(puts: string[], deletes: string[]): string | undefined {
  const lastPut = puts.at(-1);
  const n = Number(lastPut?.split('-')[1]);
  if (lastPut === undefined || n % 4 !== 3) return undefined;
  const doomed = `${lastPut.split('-')[0]}-${n - 3}`;
  return deletes.at(-1) === doomed ? undefined : doomed;
}

async function runAndKill(dir: string, round: number, killAfterMs: number): Promise<Acknowledged> {
  const lines = await runScriptUntilKilled(CHILD_SCRIPT, [COMPILED_STORE, dir, String(round), JSON.stringify(OPTIONS)], killAfterMs);
  const puts = lines.filter((line) => line.startsWith('put ')).map((line) => line.slice(4));
  const deletes = lines.filter((line) => line.startsWith('del ')).map((line) => line.slice(4));
  return { puts, deletes, maybeDeleted: inFlightDelete(puts, deletes) };
}

describe('bitcask store under SIGKILL', () => {
  it('keeps every acknowledged put and delete, across repeated kills', async () => {
    expect(existsSync(COMPILED_STORE)).toBe(true); // otherwise: run `npm run build` first
    const dir = await scratchDirectory('crash');
    try {
      const deleted = new Set<string>();
      const live = new Set<string>();
      for (let round = 0; round < CRASH_ROUNDS; round++) {
        const acknowledged = await runAndKill(dir, round, 500 + Math.floor(Math.random() * 700));
        expect(acknowledged.puts.length).toBeGreaterThan(0);
        for (const key of acknowledged.puts) live.add(key);
        const markDeleted = (key: string) => {
          live.delete(key);
          deleted.add(key);
        };
        acknowledged.deletes.forEach(markDeleted);
        const store = await BitcaskStore.open(dir, OPTIONS);
        try {
          // Either outcome of a write in flight is fine; from now on it is what the store says.
          const uncertain = acknowledged.maybeDeleted;
          if (uncertain !== undefined && !store.has(bytes(uncertain))) markDeleted(uncertain);
          for (const key of live) expect([key, (await store.get(bytes(key)))?.toString()]).toEqual([key, valueFor(key)]);
          for (const key of deleted) expect([key, store.has(bytes(key))]).toEqual([key, false]);
        } finally {
          await store.close();
        }
      }
    } finally {
      await removeDirectory(dir);
    }
  }, 20_000);
});
