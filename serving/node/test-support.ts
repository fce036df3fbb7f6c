/**
 * In-process serving clusters for tests: serving nodes around one coord server, started and
 * stopped by id, with ioredis clients and a helper to wait for a condition.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CoordNode } from '../../core/coord/coord-node.js';
import { resolve, type VersionedValue } from '../quorum/index.js';
import { until } from '../../test/support/until.js';
import { ServingNode, type ServingNodeOptions } from './serving-node.js';

export { until };

export class NoRunningNodeError extends Error {
  readonly code = 'NO_RUNNING_NODE';
  constructor(readonly nodeId: string) {
    super(`no serving node '${nodeId}' is running in this test cluster; start it first`);
    this.name = 'NoRunningNodeError';
  }
}


/** The live value of a stored copy as text (undefined for none, a tombstone or an expired value). */
export function liveText(copy: VersionedValue | undefined): string | undefined {
  if (copy === undefined) return undefined;
  const result = resolve(copy, Date.now());
  return result.mode === 'lww' ? result.value?.value.toString() : result.values[0]?.value.toString();
}

export class TestServingCluster {
  readonly nodes = new Map<string, ServingNode>();
  private readonly clients: Redis[] = [];

  private constructor(
    private readonly workDir: string,
    private readonly coord: CoordNode,
    private readonly nodeOptions: Partial<ServingNodeOptions>,
  ) {}

  static async start(ids: readonly string[], nodeOptions: Partial<ServingNodeOptions> = {}): Promise<TestServingCluster> {
    const workDir = await mkdtemp(join(tmpdir(), 'barista-serving-'));
    const coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(workDir, 'coord'), clientPort: 0 });
    const cluster = new TestServingCluster(workDir, coord, nodeOptions);
    for (const id of ids) await cluster.startNode(id);
    await cluster.settled();
    return cluster;
  }

  node(id: string): ServingNode {
    const node = this.nodes.get(id);
    if (!node) throw new NoRunningNodeError(id);
    return node;
  }

  async startNode(id: string): Promise<ServingNode> {
    const node = await ServingNode.start({ requestTimeoutMs: 1_000, ...this.nodeOptions, nodeId: id, dataDir: join(this.workDir, id), coord: `127.0.0.1:${this.coord.clientPort}` });
    this.nodes.set(id, node);
    return node;
  }

  async stopNode(id: string): Promise<void> {
    await this.node(id).close();
    this.nodes.delete(id);
    await until(`${id} seen down`, () => [...this.nodes.values()].every((node) => !node.membership.snapshot.live.has(id)));
  }

  /** Resolves once every running node sees every running node live and in its ring. */
  settled(): Promise<void> {
    const ids = [...this.nodes.keys()];
    return until('every node sees every node', () => [...this.nodes.values()].every(({ membership: { snapshot } }) => ids.every((id) => snapshot.live.has(id) && snapshot.ring.has(id))));
  }

  client(id: string): Redis {
    const redis = new Redis({ port: this.node(id).respPort, lazyConnect: false, maxRetriesPerRequest: 0 });
    this.clients.push(redis);
    return redis;
  }

  async close(): Promise<void> {
    for (const redis of this.clients.splice(0)) redis.disconnect();
    for (const node of this.nodes.values()) await node.close().catch(() => undefined);
    this.nodes.clear();
    await this.coord.stop();
    await rm(this.workDir, { recursive: true, force: true });
  }
}
