/**
 * A serving keyspace and an offset store that connect when a task first uses them, for topology
 * modules run on a cluster. Nimbus and `barista submit` import a module and build its topology
 * only to validate it: a connection opened while building would leak in those processes. Worker
 * tasks share these objects (class instances are shared by task copies), so one worker opens one
 * connection of each kind. A failed connect is not cached: the next use tries again (the spout
 * reports the error and its commit retries; the sink fails the tuple, which replays).
 */
import { CoordClient } from '../../core/coord/client/coord-client.js';
import { RespKeyspace, type RespKeyspaceOptions } from '../../serving/client/index.js';
import type { CompareAndSetResult, Consistency, Entry, Keyspace, ScanPage } from '../../serving/keyspace/keyspace.js';
import { CoordOffsetStore } from '../../spouts/coord-offset-store.js';
import type { OffsetStore } from '../../spouts/offset-store.js';

/** A promise for a resource made at first call; made again after a failure. */
function onFirstUse<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** A RespKeyspace to a serving node, connected on first use; `prepare` runs once after connecting. */
export class RespKeyspaceOnFirstUse implements Keyspace {
  private readonly remote: () => Promise<RespKeyspace>;

  constructor(options: RespKeyspaceOptions, prepare: (keyspace: Keyspace) => Promise<unknown> = () => Promise.resolve()) {
    this.remote = onFirstUse(async () => {
      const keyspace = await RespKeyspace.connect(options);
      try {
        await prepare(keyspace);
      } catch (error) {
        await keyspace.close();
        throw error;
      }
      return keyspace;
    });
  }

  async get(key: Buffer, consistency?: Consistency): Promise<Entry | undefined> {
    return (await this.remote()).get(key, consistency);
  }

  async getAll(key: Buffer, consistency?: Consistency): Promise<Entry[]> {
    return (await this.remote()).getAll(key, consistency);
  }

  async set(key: Buffer, entry: Entry, consistency?: Consistency): Promise<void> {
    return (await this.remote()).set(key, entry, consistency);
  }

  async delete(key: Buffer, consistency?: Consistency): Promise<void> {
    return (await this.remote()).delete(key, consistency);
  }

  async compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency): Promise<CompareAndSetResult> {
    return (await this.remote()).compareAndSet(key, expected, next, consistency);
  }

  async scan(cursor: string, count: number): Promise<ScanPage> {
    return (await this.remote()).scan(cursor, count);
  }

  async size(): Promise<number> {
    return (await this.remote()).size();
  }
}

/** A CoordOffsetStore whose CoordClient connects on first use (and lives as long as the worker). */
export class CoordOffsetStoreOnFirstUse implements OffsetStore {
  private readonly store: () => Promise<CoordOffsetStore>;

  constructor(connectString: string, root?: string) {
    this.store = onFirstUse(async () => new CoordOffsetStore(await CoordClient.connect(connectString), root));
  }

  async read(topic: string, partition: number): Promise<number | undefined> {
    return (await this.store()).read(topic, partition);
  }

  async commit(topic: string, partition: number, offset: number): Promise<void> {
    return (await this.store()).commit(topic, partition, offset);
  }
}
