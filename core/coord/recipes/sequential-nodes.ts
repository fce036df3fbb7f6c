/**
 * The queue under locks, read-write locks and elections: each contender creates an ephemeral
 * sequential node named `<guid>-<prefix><sequence>` and the sequence numbers order them.
 *
 * The GUID is ZooKeeper's answer to a lost reply: when create() fails with CONNECTIONLOSS the
 * node may or may not exist. Retrying blindly could leave an orphan ahead of us in the queue
 * that nobody deletes until our session ends, and we would wait on our own ghost. So before
 * retrying we list the children and adopt the one carrying our GUID.
 */
import { randomUUID } from 'node:crypto';
import type { CoordClient } from '../client/coord-client.js';
import { CreateMode, ErrorCode } from '../zookeeper-constants.js';
import { joinPath } from './ephemeral-nodes.js';
import { LockTimeoutError, NodeLostError, NodeNotCreatedError } from './errors.js';
import { MAX_CREATE_ATTEMPTS, SEQUENCE_DIGITS } from './limits.js';
import { awaitWatch, deadlineAfter, deleteIfPresent, isErrorCode, retryIdempotent, watchExists, type Deadline } from './waits.js';

export interface SequentialNode {
  /** Child name, e.g. `3f2c…-lock-0000000007`. */
  name: string;
  guid: string;
  /** What the recipe put between the GUID and the sequence: `lock-`, `read-`, `write-`, `n_`. */
  prefix: string;
  sequence: number;
}

const GUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const NODE_NAME = new RegExp(`^(${GUID_PATTERN})-(.*?)(\\d{${SEQUENCE_DIGITS}})$`);

/** Parses a child name; undefined for nodes that are not contenders (ignored by every recipe). */
export function parseSequentialNode(name: string): SequentialNode | undefined {
  const match = NODE_NAME.exec(name);
  if (!match) return undefined;
  return { name, guid: match[1]!, prefix: match[2]!, sequence: Number(match[3]) };
}

/** Contenders among `children` with one of `prefixes`, lowest sequence first. */
export function sortedContenders(children: string[], prefixes: readonly string[]): SequentialNode[] {
  return children
    .map(parseSequentialNode)
    .filter((node): node is SequentialNode => node !== undefined && prefixes.includes(node.prefix))
    .sort((a, b) => a.sequence - b.sequence);
}

/**
 * Creates `<dir>/<guid>-<prefix><sequence>` (ephemeral sequential), creating `dir` if missing.
 * Returns the child name. Survives lost replies without leaving a duplicate node.
 */
export async function createSequentialNode(client: CoordClient, dir: string, prefix: string, data: Buffer | string = ''): Promise<SequentialNode> {
  const guid = randomUUID();
  const stem = `${guid}-${prefix}`;
  for (let attempt = 1; attempt <= MAX_CREATE_ATTEMPTS; attempt += 1) {
    try {
      const path = await client.create(joinPath(dir, stem), data, { mode: CreateMode.EPHEMERAL_SEQUENTIAL });
      return parseSequentialNode(path.slice(path.lastIndexOf('/') + 1))!;
    } catch (error) {
      if (isErrorCode(error, ErrorCode.NONODE)) {
        await client.mkdirp(dir);
        continue;
      }
      if (!isErrorCode(error, ErrorCode.CONNECTIONLOSS)) throw error;
      const adopted = await findByGuid(client, dir, guid);
      if (adopted) return adopted;
    }
  }
  throw new NodeNotCreatedError(joinPath(dir, stem), MAX_CREATE_ATTEMPTS);
}

async function findByGuid(client: CoordClient, dir: string, guid: string): Promise<SequentialNode | undefined> {
  const children = await retryIdempotent(() => client.getChildren(dir));
  return children.map(parseSequentialNode).find((node) => node?.guid === guid);
}

/** Picks the node whose deletion we must wait for, or undefined when it is our turn. */
export type PredecessorRule = (contenders: SequentialNode[], ownIndex: number) => SequentialNode | undefined;

/** Exclusive turn: wait for the node just before ours. */
export const immediatePredecessor: PredecessorRule = (contenders, ownIndex) => contenders[ownIndex - 1];

/**
 * The lock protocol of ZooKeeper's recipes: list the children without a watch, and if we are not
 * first, watch only the node our rule picks. Each deletion wakes exactly one waiter (no herd
 * effect); on any event we list again, because the predecessor may have left the queue early
 * (timed out, session expired) while the one before it still holds the turn.
 */
export async function waitForTurn(
  client: CoordClient,
  dir: string,
  own: SequentialNode,
  prefixes: readonly string[],
  rule: PredecessorRule,
  deadline: Deadline,
  timeoutError: () => Error,
): Promise<void> {
  for (;;) {
    const contenders = sortedContenders(await retryIdempotent(() => client.getChildren(dir)), prefixes);
    const ownIndex = contenders.findIndex((node) => node.name === own.name);
    if (ownIndex < 0) throw new NodeLostError(joinPath(dir, own.name));
    const predecessor = rule(contenders, ownIndex);
    if (predecessor === undefined) return;
    const path = joinPath(dir, predecessor.name);
    const { stat, fired } = await watchExists(client, path);
    if (stat === null) continue;
    await awaitWatch(client, path, fired, deadline, timeoutError);
  }
}

export interface LockHandle {
  /** Full path of our node, e.g. `/locks/jobs/<guid>-lock-0000000003`. */
  readonly nodePath: string;
  /** Deletes our node, handing the lock to the next waiter. Calling it twice is harmless. */
  release(): Promise<void>;
}

export interface QueuedLockRequest {
  lockPath: string;
  /** Prefix of our node. */
  prefix: string;
  /** Prefixes of every node in this queue. */
  prefixes: readonly string[];
  rule: PredecessorRule;
  timeoutMs: number | undefined;
}

/**
 * Joins the queue and resolves once it is our turn. On timeout (or any failure) our node is
 * deleted again, so an abandoned attempt never blocks the queue.
 */
export async function acquireQueuedLock(client: CoordClient, request: QueuedLockRequest): Promise<LockHandle> {
  const { lockPath, timeoutMs } = request;
  const deadline = deadlineAfter(timeoutMs);
  const own = await createSequentialNode(client, lockPath, request.prefix);
  const nodePath = joinPath(lockPath, own.name);
  try {
    await waitForTurn(client, lockPath, own, request.prefixes, request.rule, deadline, () => new LockTimeoutError(lockPath, timeoutMs ?? 0));
  } catch (error) {
    await deleteIfPresent(client, nodePath).catch(() => undefined);
    throw error;
  }
  let released: Promise<void> | undefined;
  return { nodePath, release: () => (released ??= deleteIfPresent(client, nodePath)) };
}
