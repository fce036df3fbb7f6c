/**
 * This broker's replica of one partition and its role in it: leader (tracks followers, the ISR
 * and the high watermark, holds acks=all produces until the high watermark covers them),
 * follower (fetches from the leader; knows the leader's high watermark) or offline (no leader).
 * The role only changes when coord says so (see replica-manager.ts).
 */
import { ErrorCode } from '../protocol/index.js';
import type { PartitionLog } from '../storage/index.js';
import { ReplicaTracker } from './replica-tracker.js';

export type ReplicaRole = 'leader' | 'follower' | 'offline';

interface AckWaiter {
  requiredOffset: number;
  minInsyncReplicas: number;
  resolve: (errorCode: number) => void;
  timer: NodeJS.Timeout;
}

export class PartitionReplica {
  role: ReplicaRole = 'offline';
  leaderId = -1;
  leaderEpoch = -1;
  /** Version of the state znode this role was taken from (for conditional ISR writes). */
  stateVersion = -1;
  controllerEpoch = -1;
  replicas: readonly number[] = [];
  tracker: ReplicaTracker | undefined;
  /** Follower (or offline) side: the high watermark the leader last reported, capped at our log end. */
  private knownHighWatermark = 0;
  private readonly waiters = new Set<AckWaiter>();
  isrWriteInFlight = false;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly log: PartitionLog,
  ) {}

  get highWatermark(): number {
    return this.tracker?.highWatermark ?? Math.min(this.knownHighWatermark, this.log.logEndOffset);
  }

  get isr(): readonly number[] {
    return this.tracker?.isr ?? [];
  }

  becomeLeader(nodeId: number, leaderEpoch: number, isr: readonly number[], replicas: readonly number[], nowMs: number): void {
    const highWatermark = this.highWatermark;
    this.role = 'leader';
    this.leaderId = nodeId;
    this.leaderEpoch = leaderEpoch;
    this.replicas = replicas;
    this.tracker = new ReplicaTracker(nodeId, replicas, isr, this.log.logEndOffset, this.log.logEndOffset, highWatermark, nowMs);
  }

  /** Leaves the leader role (if held): pending acks=all produces fail so their producers retry elsewhere. */
  becomeFollower(leaderId: number, leaderEpoch: number, replicas: readonly number[]): void {
    this.stepDown();
    this.role = leaderId < 0 ? 'offline' : 'follower';
    this.leaderId = leaderId;
    this.leaderEpoch = leaderEpoch;
    this.replicas = replicas;
  }

  stepDown(): void {
    if (this.tracker) this.knownHighWatermark = this.tracker.highWatermark;
    this.tracker = undefined;
    this.failWaiters(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  }

  /** Follower: what the leader said its high watermark is. */
  setLeaderHighWatermark(highWatermark: number): void {
    this.knownHighWatermark = Math.max(this.knownHighWatermark, highWatermark);
  }

  /** Leader: resolves with NONE once the high watermark reaches `requiredOffset`, or an error. */
  awaitReplication(requiredOffset: number, minInsyncReplicas: number, timeoutMs: number): Promise<number> {
    return new Promise((resolve) => {
      const waiter: AckWaiter = {
        requiredOffset,
        minInsyncReplicas,
        resolve: (code) => {
          clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          resolve(code);
        },
        timer: setTimeout(() => waiter.resolve(ErrorCode.REQUEST_TIMED_OUT), timeoutMs),
      };
      this.waiters.add(waiter);
      this.completeWaiters();
    });
  }

  /** Resolves the waiters the high watermark now covers (Kafka's rule: covered but the ISR shrank below the minimum is NOT_ENOUGH_REPLICAS_AFTER_APPEND). */
  completeWaiters(): void {
    const tracker = this.tracker;
    if (!tracker) return;
    for (const waiter of [...this.waiters]) {
      if (tracker.highWatermark < waiter.requiredOffset) continue;
      waiter.resolve(tracker.isr.length < waiter.minInsyncReplicas ? ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND : ErrorCode.NONE);
    }
  }

  failWaiters(errorCode: number): void {
    for (const waiter of [...this.waiters]) waiter.resolve(errorCode);
  }
}
