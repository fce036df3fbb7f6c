/**
 * Leader election, as ZooKeeper's recipes describe it: each candidate creates an ephemeral
 * sequential node `<guid>-n_<i>` under the election path; the lowest is the leader; every other
 * candidate watches only the candidate just before it. When that one goes, the watcher lists the
 * candidates again: it leads if it is now lowest, else it watches its new predecessor. A leader's
 * death therefore wakes one candidate (no herd effect), and a leader whose session expires or
 * closes is replaced by the next once the server deletes its node.
 *
 * A candidate stops claiming leadership the moment its connection drops: its session may expire
 * without it hearing, and a successor may then lead. It claims again only after reconnecting and
 * seeing its node still lowest.
 */
import { BehaviorSubject, distinctUntilChanged, skip, type Observable } from 'rxjs';
import type { CoordClient } from '../client/coord-client.js';
import { ErrorCode } from '../zookeeper-constants.js';
import { ElectionAlreadyStartedError, NodeLostError } from './errors.js';
import { joinPath } from './ephemeral-nodes.js';
import { createSequentialNode, sortedContenders, type SequentialNode } from './sequential-nodes.js';
import { deleteIfPresent, isErrorCode, isSessionOver, retryIdempotent } from './waits.js';

const CANDIDATE_PREFIX = 'n_';

export interface LeaderElectionOptions {
  /** Stored in the candidate's node, so others can see who leads (e.g. its address). */
  candidateData?: Buffer | string;
}

export class LeaderElection {
  private readonly leadership = new BehaviorSubject<boolean>(false);
  /** Whether this candidate leads: the current value on subscribe, then every change. Completes when the session ends. */
  readonly leadership$: Observable<boolean> = this.leadership.pipe(distinctUntilChanged());
  private own: SequentialNode | undefined;
  private running = false;
  /** Bumped by resign and session end, so watches set by an earlier candidacy do nothing. */
  private generation = 0;
  private checking: Promise<void> | undefined;
  private recheckWanted = false;
  private stopFollowingSession: (() => void) | undefined;

  constructor(
    private readonly client: CoordClient,
    readonly electionPath: string,
    private readonly options: LeaderElectionOptions = {},
  ) {}

  get isLeader(): boolean {
    return this.leadership.value;
  }

  /** Our candidate node, while we run. */
  get nodePath(): string | undefined {
    return this.own && joinPath(this.electionPath, this.own.name);
  }

  /** Joins the election; resolves once we know whether we lead (then `leadership$` tells the rest). */
  async start(): Promise<void> {
    if (this.running) throw new ElectionAlreadyStartedError(this.electionPath);
    this.running = true;
    const generation = (this.generation += 1);
    let own: SequentialNode;
    try {
      own = await createSequentialNode(this.client, this.electionPath, CANDIDATE_PREFIX, this.options.candidateData);
    } catch (error) {
      if (generation === this.generation) this.running = false;
      throw error;
    }
    // resign() while our create was in flight: withdraw the node it could not see.
    if (generation !== this.generation) return deleteIfPresent(this.client, joinPath(this.electionPath, own.name));
    this.own = own;
    this.stopFollowingSession = this.followSession();
    await this.scheduleCheck();
  }

  /** Leaves the election (deleting our node hands leadership to the next). start() may be called again. */
  async resign(): Promise<void> {
    const nodePath = this.nodePath;
    this.stop();
    if (nodePath !== undefined) await deleteIfPresent(this.client, nodePath);
  }

  /** The data of the current leader's node, or null while nobody runs. */
  async leaderData(): Promise<Buffer | null> {
    const children = await retryIdempotent(() => this.client.getChildren(this.electionPath));
    for (const candidate of sortedContenders(children, [CANDIDATE_PREFIX])) {
      try {
        return (await retryIdempotent(() => this.client.getData(joinPath(this.electionPath, candidate.name)))).data;
      } catch (error) {
        if (!isErrorCode(error, ErrorCode.NONODE)) throw error;
      }
    }
    return null;
  }

  private stop(): void {
    this.running = false;
    this.generation += 1;
    this.own = undefined;
    this.stopFollowingSession?.();
    this.stopFollowingSession = undefined;
    this.leadership.next(false);
  }

  /** Suspends leadership while disconnected, re-checks after reconnecting, ends with the session. */
  private followSession(): () => void {
    const onEnd = () => {
      this.stop();
      this.leadership.complete();
    };
    // skip(1): the current state is not a change; start() runs the first check itself.
    const subscription = this.client.session.state$.pipe(skip(1)).subscribe({
      next: (state) => {
        if (state === 'connecting') this.leadership.next(false);
        else if (state === 'connected') void this.scheduleCheck();
        else onEnd();
      },
      complete: onEnd,
    });
    return () => subscription.unsubscribe();
  }

  /** Runs checks one at a time; a request arriving during a check makes it run once more. */
  private scheduleCheck(): Promise<void> {
    if (this.checking) {
      this.recheckWanted = true;
      return this.checking;
    }
    const generation = this.generation;
    this.checking = (async () => {
      do {
        this.recheckWanted = false;
        await this.checkOnce(generation);
      } while (this.recheckWanted && generation === this.generation);
    })()
      .catch((error: unknown) => this.onCheckFailed(error))
      .finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkOnce(generation: number): Promise<void> {
    const own = this.own;
    if (own === undefined || generation !== this.generation) return;
    const candidates = sortedContenders(await retryIdempotent(() => this.client.getChildren(this.electionPath)), [CANDIDATE_PREFIX]);
    if (generation !== this.generation) return;
    const ownIndex = candidates.findIndex((candidate) => candidate.name === own.name);
    if (ownIndex < 0) throw new NodeLostError(joinPath(this.electionPath, own.name));
    if (ownIndex === 0) return this.leadership.next(true);
    this.leadership.next(false);
    const predecessor = joinPath(this.electionPath, candidates[ownIndex - 1]!.name);
    const stat = await retryIdempotent(() => this.client.exists(predecessor, () => this.onPredecessorEvent(generation)));
    // Gone between our list and our watch: list again rather than wait for an event that came already.
    if (stat === null) this.recheckWanted = true;
  }

  private onPredecessorEvent(generation: number): void {
    if (generation === this.generation && this.running) void this.scheduleCheck();
  }

  /**
   * A lost connection is retried by the 'connected' handler; an ended session by the session
   * handler. Our node vanishing under a live session (deleted by hand) puts us back in the queue.
   * Anything else is a fault the owner must see: leadership$ errors.
   */
  private async onCheckFailed(error: unknown): Promise<void> {
    if (isSessionOver(this.client) || !this.running) return;
    if (isErrorCode(error, ErrorCode.CONNECTIONLOSS)) return;
    if (error instanceof NodeLostError) {
      this.stop();
      // Not awaited: start() schedules a check, which must not wait on this failing one.
      void this.start().catch((restartError: unknown) => this.onCheckFailed(restartError));
      return;
    }
    this.stop();
    this.leadership.error(error);
  }
}
