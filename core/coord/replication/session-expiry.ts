/**
 * The leader's session expiry loop: sessions not heard from within their timeout are closed by a
 * replicated closeSession, so every server deletes the same ephemerals at the same log position.
 * A new leader starts every known session with a fresh full timeout (ZooKeeper does the same):
 * it cannot know when the old leader last heard from them.
 *
 * Timed on the monotonic clock: a wall clock stepped forward (NTP, a resumed VM) would otherwise
 * expire every session at once. The times never leave this process.
 */
import { monotonicNowMs } from '../../clock/index.js';
import type { DataTree, Id, WriteOp } from '../tree/index.js';
import { SessionTracker } from './session-tracker.js';

export interface ExpiryTarget {
  readonly tree: DataTree;
  write(op: WriteOp, sessionId: bigint, authIds: Id[]): Promise<unknown>;
}

export class SessionExpiry {
  private readonly tracker = new SessionTracker();
  private timer: NodeJS.Timeout | undefined;
  private readonly expiring = new Set<bigint>();

  constructor(
    private readonly target: ExpiryTarget,
    private readonly checkEveryMs: number,
  ) {}

  touch(sessionId: bigint, timeoutMs: number, nowMs = monotonicNowMs()): void {
    this.tracker.touch(sessionId, timeoutMs, nowMs);
  }

  /** Begins expiring (on becoming leader), seeding every replicated session. */
  start(nowMs = monotonicNowMs()): void {
    if (this.timer) return;
    for (const { sessionId, timeoutMs } of this.target.tree.sessions()) if (!this.tracker.has(sessionId)) this.tracker.touch(sessionId, timeoutMs, nowMs);
    this.timer = setInterval(() => this.check(monotonicNowMs()), this.checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A session closed by any means is forgotten. */
  forget(sessionId: bigint): void {
    this.tracker.remove(sessionId);
    this.expiring.delete(sessionId);
  }

  private check(nowMs: number): void {
    for (const sessionId of this.tracker.expired(nowMs)) {
      if (this.expiring.has(sessionId)) continue;
      if (!this.target.tree.hasSession(sessionId)) {
        this.tracker.remove(sessionId);
        continue;
      }
      this.expiring.add(sessionId);
      this.target.write({ type: 'closeSession', sessionId }, sessionId, []).then(
        () => this.forget(sessionId),
        () => this.expiring.delete(sessionId),
      );
    }
  }
}
