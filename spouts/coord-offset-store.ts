/**
 * Committed log offsets in the coordination service, one znode per topic partition at
 * `<root>/<topic>/<partition>` holding JSON `{"topic","partition","offset"}` — the way Storm's
 * storm-kafka kept its offsets in ZooKeeper. Any process with the same root resumes from them.
 * The CoordClient belongs to the caller, who connects and closes it.
 */
import type { CoordClient } from '../core/coord/client/coord-client.js';
import { ZooKeeperError } from '../core/coord/client/errors.js';
import { ErrorCode } from '../core/coord/zookeeper-constants.js';
import { SpoutError } from './errors.js';
import { checkStoredOffset, type OffsetStore } from './offset-store.js';

export const DEFAULT_OFFSETS_ROOT = '/barista/spouts/offsets';

const isCode = (error: unknown, code: number) => error instanceof ZooKeeperError && error.code === code;

export class CoordOffsetStore implements OffsetStore {
  constructor(
    readonly client: CoordClient,
    readonly root: string = DEFAULT_OFFSETS_ROOT,
  ) {
    if (!root.startsWith('/') || root.endsWith('/')) throw new RangeError(`CoordOffsetStore root must be an absolute znode path without a trailing slash, got '${root}'`);
  }

  pathOf(topic: string, partition: number): string {
    return `${this.root}/${encodeURIComponent(topic)}/${partition}`;
  }

  async read(topic: string, partition: number): Promise<number | undefined> {
    const path = this.pathOf(topic, partition);
    let data: Buffer;
    try {
      ({ data } = await this.client.getData(path));
    } catch (error) {
      if (isCode(error, ErrorCode.NONODE)) return undefined;
      throw error;
    }
    let stored: { offset?: unknown } | null;
    try {
      stored = JSON.parse(data.toString('utf8')) as { offset?: unknown } | null;
    } catch (error) {
      throw new SpoutError('CHECKPOINT_CORRUPT', `${path} does not hold JSON; delete the znode to start from the policy's offset`, { cause: error });
    }
    return checkStoredOffset(path, stored?.offset);
  }

  async commit(topic: string, partition: number, offset: number): Promise<void> {
    checkStoredOffset(`commit of ${topic}[${partition}]`, offset);
    const path = this.pathOf(topic, partition);
    const data = JSON.stringify({ topic, partition, offset });
    try {
      await this.client.setData(path, data);
    } catch (error) {
      if (!isCode(error, ErrorCode.NONODE)) throw error;
      await this.client.mkdirp(path.slice(0, path.lastIndexOf('/')));
      try {
        await this.client.create(path, data);
      } catch (createError) {
        // Created meanwhile by another task of the spout: write over it.
        if (!isCode(createError, ErrorCode.NODEEXISTS)) throw createError;
        await this.client.setData(path, data);
      }
    }
  }
}
