/**
 * The store against a model (a Map with expiry) over random operation sequences, with rolls at
 * tiny file sizes, merges, clean reopens (from hints) and crash reopens (from a copy of the files
 * as a kill -9 leaves them: no hint for the active file).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { join } from 'node:path';
import { BitcaskStore, type BitcaskOptions } from './bitcask-store.js';
import { bytes, contentsOf, crashSnapshot, removeDirectory, scratchDirectory } from './test-support.js';

type Operation =
  | { kind: 'put'; key: string; value: string; expiresInMs: number | undefined }
  | { kind: 'delete'; key: string }
  | { kind: 'get'; key: string }
  | { kind: 'advanceClock'; ms: number }
  | { kind: 'reopen' }
  | { kind: 'crashReopen' }
  | { kind: 'merge' };

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', '', 'long-key-'.repeat(5));
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('put' as const), key, value: fc.string({ maxLength: 12 }), expiresInMs: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined, freq: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('get' as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advanceClock' as const), ms: fc.integer({ min: 1, max: 10 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crashReopen' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'merge' as const }) },
);

interface ModelValue {
  value: string;
  expiresAtMs: number | undefined;
}

let root: string;
beforeEach(async () => {
  root = await scratchDirectory('model');
});
afterEach(async () => {
  await removeDirectory(root);
});

describe('bitcask store against a Map model', () => {
  it('agrees with the model after every operation sequence', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 5, maxLength: 40, size: 'max' }), fc.integer({ min: 60, max: 400 }), async (operations, maxFileBytes) => {
        let nowMs = 1_000;
        const options: BitcaskOptions = { maxFileBytes, fsync: 'never', now: () => nowMs };
        const model = new Map<string, ModelValue>();
        const visible = () => new Map([...model].filter(([, { expiresAtMs }]) => expiresAtMs === undefined || expiresAtMs > nowMs).map(([k, { value }]) => [k, value]));
        const sorted = (map: Map<string, string>) => new Map([...map].sort(([a], [b]) => (a < b ? -1 : 1)));
        let dir = join(root, `run-${run++}`);
        let generation = 0;
        let writes = 0;
        let store = await BitcaskStore.open(dir, options);
        try {
          for (const op of operations) {
            switch (op.kind) {
              case 'put': {
                const expiresAtMs = op.expiresInMs === undefined ? undefined : nowMs + op.expiresInMs;
                // Numbered, so that an older value of the key can never pass for the newest.
                const value = `${op.value}#${writes++}`;
                await store.put(bytes(op.key), bytes(value), { expiresAtMs });
                model.set(op.key, { value, expiresAtMs });
                break;
              }
              case 'delete':
                expect(await store.delete(bytes(op.key))).toBe(visible().has(op.key));
                model.delete(op.key);
                break;
              case 'get':
                expect((await store.get(bytes(op.key)))?.toString()).toBe(visible().get(op.key));
                break;
              case 'advanceClock':
                nowMs += op.ms;
                break;
              case 'reopen':
                await store.close();
                store = await BitcaskStore.open(dir, options);
                expect(await contentsOf(store)).toEqual(sorted(visible()));
                break;
              case 'crashReopen': {
                const crashed = `${dir}-crash-${generation++}`;
                await crashSnapshot(dir, crashed);
                await store.close();
                dir = crashed;
                store = await BitcaskStore.open(dir, options);
                expect(await contentsOf(store)).toEqual(sorted(visible()));
                break;
              }
              case 'merge':
                await store.merge();
                break;
            }
            expect(store.keys().map(String).sort()).toEqual([...visible().keys()].sort());
          }
          expect(await contentsOf(store)).toEqual(sorted(visible()));
          await store.close();
          store = await BitcaskStore.open(dir, options);
          expect(await contentsOf(store)).toEqual(sorted(visible()));
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
