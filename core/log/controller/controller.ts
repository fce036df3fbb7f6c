/**
 * The controller: one broker at a time, elected by creating the ephemeral /controller znode
 * (the first to create it wins; the others watch it and try again when it vanishes with its
 * owner's session). Each new controller bumps /controller_epoch, and stamps it into every
 * partition state it writes.
 *
 * While it leads it reconciles every partition with the live brokers after each change of
 * the cluster view: it creates the state of new partitions (leader = first live replica, ISR =
 * live replicas), moves leadership off dead brokers onto live ISR members, drops dead followers
 * from the ISR, and brings offline partitions back when an ISR member returns. A broker registered
 * after a state was written (a restart, possibly with a torn log) counts as dead for that state
 * (election.ts), even when the controller never saw it gone. Each write is a
 * conditional setData on the version it read; losing that race just means reconciling again
 * with the newer state.
 */
import type { Logger } from 'pino';
import type { CoordClient } from '../../coord/client/coord-client.js';
import { ZooKeeperError } from '../../coord/client/errors.js';
import { CreateMode, ErrorCode } from '../../coord/zookeeper-constants.js';
import type { ClusterSnapshot, ClusterView } from './cluster-view.js';
import { initialState, reconcile } from './election.js';
import { CONTROLLER_EPOCH_PATH, CONTROLLER_PATH, encodePartitionState, partitionStatePath } from './partition-state.js';

export interface ControllerOptions {
  uncleanLeaderElection?: boolean;
}

function hasCode(error: unknown, code: number): boolean {
  return error instanceof ZooKeeperError && error.code === code;
}

export class Controller {
  private epoch = -1;
  private running = true;
  private reconciling: Promise<void> | undefined;
  private reconcileAgain = false;
  private stopListening: (() => void) | undefined;

  constructor(
    private readonly client: CoordClient,
    private readonly view: ClusterView,
    private readonly brokerId: number,
    private readonly logger: Logger,
    private readonly options: ControllerOptions = {},
  ) {}

  get isActive(): boolean {
    return this.epoch >= 0;
  }

  get controllerEpoch(): number {
    return this.epoch;
  }

  /** Joins the election; becoming controller (now or later) happens in the background. */
  start(): void {
    this.stopListening = this.view.onChange((snapshot) => this.onViewChange(snapshot));
    void this.tryToLead();
  }

  close(): void {
    this.running = false;
    this.stopListening?.();
  }

  private onViewChange(snapshot: ClusterSnapshot): void {
    if (!this.running) return;
    if (snapshot.controllerId === -1) void this.tryToLead();
    else if (this.isActive && snapshot.controllerId !== this.brokerId) {
      // Our session ended and someone else leads now.
      this.logger.warn({ controller: snapshot.controllerId }, 'no longer the controller');
      this.epoch = -1;
    }
    if (this.isActive) this.requestReconcile();
  }

  private async tryToLead(): Promise<void> {
    if (!this.running || this.isActive) return;
    try {
      await this.client.create(CONTROLLER_PATH, JSON.stringify({ version: 1, brokerid: this.brokerId, timestamp: String(Date.now()) }), { mode: CreateMode.EPHEMERAL });
    } catch (error) {
      if (!hasCode(error, ErrorCode.NODEEXISTS) && this.running) this.logger.warn({ err: error }, 'controller election attempt failed; will retry on the next change');
      return;
    }
    try {
      this.epoch = await this.bumpControllerEpoch();
    } catch (error) {
      // The session is closing or gone: the /controller ephemeral goes with it, and so does this candidacy.
      if (this.running) this.logger.warn({ err: error }, 'could not bump the controller epoch; another broker will take over when our session ends');
      return;
    }
    this.logger.info({ controllerEpoch: this.epoch }, 'elected controller');
    this.requestReconcile();
  }

  private async bumpControllerEpoch(): Promise<number> {
    for (;;) {
      try {
        const { data, stat } = await this.client.getData(CONTROLLER_EPOCH_PATH);
        const next = Number(data.toString()) + 1;
        await this.client.setData(CONTROLLER_EPOCH_PATH, String(next), stat.version);
        return next;
      } catch (error) {
        if (hasCode(error, ErrorCode.NONODE)) {
          try {
            await this.client.create(CONTROLLER_EPOCH_PATH, '1');
            return 1;
          } catch (createError) {
            if (!hasCode(createError, ErrorCode.NODEEXISTS)) throw createError;
          }
        } else if (!hasCode(error, ErrorCode.BADVERSION)) throw error;
      }
    }
  }

  private requestReconcile(): void {
    if (this.reconciling) {
      this.reconcileAgain = true;
      return;
    }
    this.reconciling = this.reconcileAll()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'reconciling partitions failed; retrying on the next change'))
      .finally(() => {
        this.reconciling = undefined;
        if (this.reconcileAgain && this.running && this.isActive) {
          this.reconcileAgain = false;
          this.requestReconcile();
        }
      });
  }

  private async reconcileAll(): Promise<void> {
    const snapshot = this.view.snapshot;
    const live = new Set(snapshot.brokers.keys());
    let lostRace = false;
    for (const [topic, { assignment, states }] of snapshot.topics) {
      for (const [partition, replicas] of assignment.entries()) {
        if (!this.running || !this.isActive) return;
        const known = states.get(partition);
        const path = partitionStatePath(topic, partition);
        try {
          if (known === undefined) {
            if (live.size === 0) continue;
            const state = initialState(replicas, live, this.epoch);
            await this.client.create(path, encodePartitionState(state));
            this.logger.info({ topic, partition, ...state }, 'partition created');
            continue;
          }
          const restarted = new Set([...live].filter((id) => (snapshot.brokerEpochs.get(id) ?? 0n) > known.mzxid));
          const next = reconcile({ replicas, state: known.state, live, controllerEpoch: this.epoch, uncleanElection: this.options.uncleanLeaderElection ?? false, restarted });
          if (next === undefined) continue;
          await this.client.setData(path, encodePartitionState(next), known.version);
          this.logger.info({ topic, partition, from: known.state, to: next }, 'partition leadership changed');
        } catch (error) {
          if (hasCode(error, ErrorCode.BADVERSION) || hasCode(error, ErrorCode.NODEEXISTS) || hasCode(error, ErrorCode.NONODE)) lostRace = true;
          else throw error;
        }
      }
    }
    // Someone else wrote (a leader changing its ISR, a deletion): decide again on fresh state.
    if (lostRace) {
      await this.view.refresh();
      this.reconcileAgain = true;
    }
  }
}
