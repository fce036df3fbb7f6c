/** Helpers shared by the storage tests: scratch directories, crash snapshots, whole-store reads. */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BitcaskStore } from './bitcask-store.js';

export async function scratchDirectory(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `bitcask-${name}-`));
}

export async function removeDirectory(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** What a process crash at this moment would leave on disk: the files as they are now (the page
 * cache survives a process crash), without anything close() would have written. */
export async function crashSnapshot(dir: string, into: string): Promise<void> {
  await rm(into, { recursive: true, force: true });
  await cp(dir, into, { recursive: true });
}

/** Every live key and value, as utf8 strings, sorted by key. */
export async function contentsOf(store: BitcaskStore): Promise<Map<string, string>> {
  const pairs: [string, string][] = [];
  for await (const [key, value] of store) pairs.push([key.toString(), value.toString()]);
  return new Map(pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function bytes(text: string): Buffer {
  return Buffer.from(text);
}
