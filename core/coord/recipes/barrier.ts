/**
 * Barriers, as ZooKeeper's recipes describe them.
 *
 * `Barrier` (simple): while the barrier node exists, waiters block; deleting it releases them all.
 *
 * `DoubleBarrier`: N participants enter together and leave together. Entering, a participant
 * watches `<barrier>/ready`, adds its ephemeral node `<barrier>/<name>`, and counts the others;
 * the N-th creates `ready`, which wakes everyone. Leaving, the lowest-named participant waits on
 * the highest; all others delete their node and wait on the lowest, which goes last. So each
 * deletion wakes at most the few participants watching it, and nobody leaves before everyone
 * has begun to. The last to leave deletes `ready`, so the path can host the next round.
 */
import type { CoordClient } from '../client/coord-client.js';
import { CreateMode, ErrorCode } from '../zookeeper-constants.js';
import { BarrierTimeoutError, InvalidArgumentError } from './errors.js';
import { assertChildName, createOwnedEphemeral, joinPath } from './ephemeral-nodes.js';
import { MAX_BARRIER_PARTICIPANTS } from './limits.js';
import { awaitWatch, deadlineAfter, deleteIfPresent, isErrorCode, retryIdempotent, watchExists, type Deadline } from './waits.js';

const READY_NODE = 'ready';

export class Barrier {
  constructor(
    private readonly client: CoordClient,
    readonly barrierPath: string,
  ) {}

  /** Puts the barrier up (idempotent). */
  async raise(): Promise<void> {
    const parent = this.barrierPath.slice(0, this.barrierPath.lastIndexOf('/'));
    if (parent) await this.client.mkdirp(parent);
    try {
      await retryIdempotent(() => this.client.create(this.barrierPath));
    } catch (error) {
      if (!isErrorCode(error, ErrorCode.NODEEXISTS)) throw error;
    }
  }

  /** Takes the barrier down, releasing every waiter (idempotent). */
  lower(): Promise<void> {
    return deleteIfPresent(this.client, this.barrierPath);
  }

  /** Resolves once the barrier node does not exist. */
  async waitUntilLowered(timeoutMs?: number): Promise<void> {
    const deadline = deadlineAfter(timeoutMs);
    for (;;) {
      const { stat, fired } = await watchExists(this.client, this.barrierPath);
      if (stat === null) return;
      await awaitWatch(this.client, this.barrierPath, fired, deadline, () => new BarrierTimeoutError(this.barrierPath, 'leave', timeoutMs ?? 0));
    }
  }
}

export class DoubleBarrier {
  private readonly ownPath: string;
  private readonly readyPath: string;

  constructor(
    private readonly client: CoordClient,
    readonly barrierPath: string,
    readonly participantCount: number,
    readonly participantName: string,
  ) {
    if (!Number.isInteger(participantCount) || participantCount < 1 || participantCount > MAX_BARRIER_PARTICIPANTS) {
      throw new InvalidArgumentError('participantCount', participantCount, `an integer in 1..${MAX_BARRIER_PARTICIPANTS}`);
    }
    assertChildName(participantName);
    if (participantName === READY_NODE) throw new InvalidArgumentError('participantName', participantName, `any name but "${READY_NODE}"`);
    this.ownPath = joinPath(barrierPath, participantName);
    this.readyPath = joinPath(barrierPath, READY_NODE);
  }

  /** Resolves once all `participantCount` participants have entered. On timeout our node is withdrawn. */
  async enter(timeoutMs?: number): Promise<void> {
    const deadline = deadlineAfter(timeoutMs);
    await this.client.mkdirp(this.barrierPath);
    // Watch before joining: if we were the N-th's trigger, the watch must already be set.
    const ready = await watchExists(this.client, this.readyPath);
    await createOwnedEphemeral(this.client, this.ownPath, '');
    if (ready.stat !== null) return;
    if ((await this.participants()).length >= this.participantCount) return this.createReady();
    try {
      await awaitWatch(this.client, this.readyPath, ready.fired, deadline, () => new BarrierTimeoutError(this.barrierPath, 'enter', timeoutMs ?? 0));
    } catch (error) {
      await deleteIfPresent(this.client, this.ownPath).catch(() => undefined);
      throw error;
    }
  }

  /** Resolves once every participant has left. */
  async leave(timeoutMs?: number): Promise<void> {
    const deadline = deadlineAfter(timeoutMs);
    let ownDeleted = false;
    for (;;) {
      const participants = await this.participants();
      const others = participants.filter((name) => name !== this.participantName);
      if (others.length === 0) return this.leaveLast();
      const lowest = participants[0]!;
      if (lowest === this.participantName) {
        // The lowest goes last: it keeps its node until the highest (and so everyone) has gone.
        await this.waitForDeletion(joinPath(this.barrierPath, participants.at(-1)!), deadline, timeoutMs);
      } else {
        if (!ownDeleted) await deleteIfPresent(this.client, this.ownPath);
        ownDeleted = true;
        await this.waitForDeletion(joinPath(this.barrierPath, lowest), deadline, timeoutMs);
      }
    }
  }

  private async leaveLast(): Promise<void> {
    await deleteIfPresent(this.client, this.ownPath);
    await deleteIfPresent(this.client, this.readyPath);
  }

  private async waitForDeletion(path: string, deadline: Deadline, timeoutMs: number | undefined): Promise<void> {
    const { stat, fired } = await watchExists(this.client, path);
    if (stat === null) return;
    await awaitWatch(this.client, path, fired, deadline, () => new BarrierTimeoutError(this.barrierPath, 'leave', timeoutMs ?? 0));
  }

  /** Participant names, sorted: every child but `ready`. */
  private async participants(): Promise<string[]> {
    const children = await retryIdempotent(() => this.client.getChildren(this.barrierPath));
    return children.filter((name) => name !== READY_NODE).sort();
  }

  private async createReady(): Promise<void> {
    try {
      await retryIdempotent(() => this.client.create(this.readyPath, '', { mode: CreateMode.PERSISTENT }));
    } catch (error) {
      if (!isErrorCode(error, ErrorCode.NODEEXISTS)) throw error;
    }
  }
}
