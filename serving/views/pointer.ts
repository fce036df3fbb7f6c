/**
 * The view pointer: the one key (`barista:view:<v>:pointer`) that says which batch version is
 * live and which log offsets it covers, plus the version before it. Readers read it first and
 * then read only that version's keys, so a publish — one compareAndSet of this key — switches
 * every reader from version N-1 to N at once. The pointer only moves forward: a publish refuses a
 * version that is not newer, or whose cut-offs are lower, than the live one (batch-view-writer).
 *
 * Two versions are retained: the live one and `previous`, so that a reader that read the pointer
 * just before a publish still finds its version's values. Realtime buckets are dropped only up
 * to `previous`'s cut-offs (pruneBounds), for the same readers.
 */
import type { Entry } from '../keyspace/keyspace.js';
import type { ViewDefinition, ViewsOptions } from './catalog.js';
import { CorruptViewRecordError, ViewError } from './errors.js';
import { checkCutOffs, type CutOffs } from './log-position.js';
import { pointerKey, printable } from './view-keys.js';

export interface PublishedVersion {
  readonly version: number;
  /** partition → last offset this version covers. */
  readonly cutOffs: CutOffs;
}

export interface BatchPointer extends PublishedVersion {
  readonly publishedAtMs: number;
  /** The version live before this one; its values are kept until the next publish. */
  readonly previous?: PublishedVersion;
}

export function encodePointer(pointer: BatchPointer): Entry {
  return { value: Buffer.from(JSON.stringify(pointer)) };
}

function decodeVersion(definition: ViewDefinition, raw: unknown, key: string): PublishedVersion {
  const { version, cutOffs } = (raw ?? {}) as { version?: unknown; cutOffs?: unknown };
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) throw new CorruptViewRecordError(key, 'bad version');
  try {
    return { version, cutOffs: checkCutOffs(cutOffs as CutOffs, definition.bucketOffsets) };
  } catch (error) {
    if (error instanceof ViewError) throw new CorruptViewRecordError(key, error.message);
    throw error;
  }
}

export function decodePointer(definition: ViewDefinition, entry: Entry): BatchPointer {
  const key = printable(pointerKey(definition.name));
  let parsed: { publishedAtMs?: unknown; previous?: unknown };
  try {
    parsed = JSON.parse(entry.value.toString()) as typeof parsed;
  } catch {
    throw new CorruptViewRecordError(key, 'not JSON');
  }
  const live = decodeVersion(definition, parsed, key);
  const publishedAtMs = typeof parsed.publishedAtMs === 'number' ? parsed.publishedAtMs : 0;
  if (parsed.previous === undefined || parsed.previous === null) return { ...live, publishedAtMs };
  return { ...live, publishedAtMs, previous: decodeVersion(definition, parsed.previous, key) };
}

export interface PointerRead {
  /** Undefined before the first publish. */
  pointer: BatchPointer | undefined;
  /** The entry as read, for a compareAndSet against it. */
  entry: Entry | undefined;
}

export async function readPointer(options: ViewsOptions, definition: ViewDefinition): Promise<PointerRead> {
  const entry = await options.keyspace.get(pointerKey(definition.name), options.consistency);
  return { entry, pointer: entry === undefined ? undefined : decodePointer(definition, entry) };
}

/** Whether the values of `version` are still kept while `pointer` is live. */
export function retains(pointer: BatchPointer | undefined, version: number): boolean {
  return pointer !== undefined && (pointer.version === version || pointer.previous?.version === version);
}

/**
 * Up to which offset, per partition, realtime deltas may be dropped: every retained version
 * covers them. That is `previous`'s cut-offs (cut-offs never decrease); nothing before the second
 * publish, since a reader may still be answering without any batch version.
 */
export function pruneBounds(pointer: BatchPointer | undefined): CutOffs {
  return pointer?.previous?.cutOffs ?? {};
}
