/**
 * Where a log spout keeps the committed offset of each topic partition: the next offset to read,
 * below which every record is fully processed. The spout writes it only forward and only when
 * its OffsetTracker says so; on open it reads it back to resume.
 *
 * FileOffsetStore keeps all offsets in one JSON file, rewritten atomically (temp + fsync +
 * rename) on every commit; commits are serialised, so the tasks of a spout may share one store
 * instance (the runtime shares class instances between task copies). One file belongs to one
 * process: two processes writing the same file would overwrite each other's partitions — use
 * CoordOffsetStore (coord-offset-store.ts) across processes.
 */
import { readJsonFile, writeFileAtomically } from './atomic-file.js';
import { SpoutError } from './errors.js';

export interface OffsetStore {
  /** The committed offset of `topic`/`partition`, or undefined when none was committed yet. */
  read(topic: string, partition: number): Promise<number | undefined>;
  /** Records `offset` as committed (durably, before the promise resolves). */
  commit(topic: string, partition: number, offset: number): Promise<void>;
}

/** Throws CHECKPOINT_CORRUPT unless `offset` is a committed offset (a non-negative integer). */
export function checkStoredOffset(where: string, offset: unknown): number {
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new SpoutError('CHECKPOINT_CORRUPT', `${where} holds ${JSON.stringify(offset)}, not an offset; delete it to start from the policy's earliest/latest offset`);
  }
  return offset;
}

type StoredOffsets = Record<string, Record<string, number>>;

export class FileOffsetStore implements OffsetStore {
  private loaded: Promise<StoredOffsets> | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async read(topic: string, partition: number): Promise<number | undefined> {
    const offset = (await this.offsets())[topic]?.[String(partition)];
    return offset === undefined ? undefined : checkStoredOffset(`${this.path} (${topic}[${partition}])`, offset);
  }

  async commit(topic: string, partition: number, offset: number): Promise<void> {
    checkStoredOffset(`commit of ${topic}[${partition}]`, offset);
    // Writes are chained, each carrying every offset written before it plus its own; the offsets
    // read() answers change only once their write is durable, so a failed write is never reported.
    const write = this.writes.then(async () => {
      const offsets = await this.offsets();
      const next: StoredOffsets = { ...offsets, [topic]: { ...offsets[topic], [String(partition)]: offset } };
      await writeFileAtomically(this.path, JSON.stringify({ offsets: next }, null, 1));
      (offsets[topic] ??= {})[String(partition)] = offset;
    });
    this.writes = write.catch(() => undefined);
    await write;
  }

  private offsets(): Promise<StoredOffsets> {
    this.loaded ??= readJsonFile(this.path).then((content) => {
      if (content === undefined) return {};
      const offsets = (content as { offsets?: unknown } | null)?.offsets;
      if (typeof offsets !== 'object' || offsets === null) throw new SpoutError('CHECKPOINT_CORRUPT', `${this.path} has no "offsets" object; delete it to start over`);
      return offsets as StoredOffsets;
    });
    return this.loaded;
  }
}
