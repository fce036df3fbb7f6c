/**
 * Test helper: the segment index files under a directory that are not sound — not a whole number
 * of entries, or with keys and values that do not grow (a torn or repeated index append). Recovery
 * would rebuild such an index from the log; a test checks that the log never leaves one behind.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkIndex, OFFSET_INDEX, SegmentIndex, TIME_INDEX } from './indexes.js';
import { MAX_RELATIVE_OFFSET } from './limits.js';

/** `<path>: <size> bytes` of every unsound `.index` / `.timeindex` file under `dir` (recursively). */
export async function unsoundIndexFiles(dir: string): Promise<string[]> {
  const unsound: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const kind = entry.name.endsWith('.index') ? OFFSET_INDEX : entry.name.endsWith('.timeindex') ? TIME_INDEX : undefined;
    if (!entry.isFile() || kind === undefined) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path);
    const index = SegmentIndex.decode(kind, bytes);
    const sound = index !== undefined && (kind === OFFSET_INDEX ? checkIndex(index, MAX_RELATIVE_OFFSET, Number.MAX_SAFE_INTEGER) : checkIndex(index, Number.MAX_SAFE_INTEGER, MAX_RELATIVE_OFFSET));
    if (!sound) unsound.push(`${path}: ${bytes.length} bytes`);
  }
  return unsound;
}
