/**
 * Group membership, as ZooKeeper's recipes describe it: each member holds an ephemeral node
 * `<group>/<name>` for as long as its session lives, so a crashed member leaves the group by
 * itself once its session expires. Observers list the children with a watch, and list again
 * each time the watch fires.
 *
 * Guarantees: a name belongs to at most one live session; `members$` converges on the current
 * membership (intermediate states between two reads may be skipped, as with any ZooKeeper watch).
 */
import { distinctUntilChanged, Observable, type Subscriber } from 'rxjs';
import type { CoordClient } from '../client/coord-client.js';
import { ZooKeeperError } from '../client/errors.js';
import { ErrorCode } from '../zookeeper-constants.js';
import { assertChildName, createOwnedEphemeral, joinPath } from './ephemeral-nodes.js';
import { deleteIfPresent, isErrorCode, isSessionOver, retryIdempotent } from './waits.js';

export interface Membership {
  readonly memberPath: string;
  /** Deletes our member node. Calling it twice is harmless. */
  leave(): Promise<void>;
}

const sameMembers = (a: string[], b: string[]) => a.length === b.length && a.every((name, index) => name === b[index]);

export class GroupMembership {
  /** Member names, sorted: the current list on subscribe, then after every change. [] while the group does not exist. */
  readonly members$: Observable<string[]>;

  constructor(
    private readonly client: CoordClient,
    readonly groupPath: string,
  ) {
    this.members$ = this.observeMembers().pipe(distinctUntilChanged(sameMembers));
  }

  /** Joins under `name` (creating the group if needed); rejects with MemberExistsError if another session has it. */
  async join(name: string, data: Buffer | string = ''): Promise<Membership> {
    assertChildName(name);
    const memberPath = joinPath(this.groupPath, name);
    await createOwnedEphemeral(this.client, memberPath, data);
    let left: Promise<void> | undefined;
    return { memberPath, leave: () => (left ??= deleteIfPresent(this.client, memberPath)) };
  }

  /** Member names, sorted, as of now. */
  async members(): Promise<string[]> {
    try {
      return (await retryIdempotent(() => this.client.getChildren(this.groupPath))).sort();
    } catch (error) {
      if (isErrorCode(error, ErrorCode.NONODE)) return [];
      throw error;
    }
  }

  /**
   * Lists the children with a watch, and lists again whenever it fires (or, while the group node
   * is missing, once it is created). Unlike CoordClient.observeChildren, a missing group reads as
   * no members rather than null, and transient connection losses are retried.
   */
  private observeMembers(): Observable<string[]> {
    return new Observable<string[]>((subscriber) => {
      let active = true;
      const read = async (): Promise<void> => {
        if (!active) return;
        try {
          subscriber.next((await this.client.getChildren(this.groupPath, () => void read())).sort());
        } catch (error) {
          if (!active) return;
          if (isErrorCode(error, ErrorCode.NONODE)) return this.awaitGroup(subscriber, read);
          if (isSessionOver(this.client)) return subscriber.complete();
          // The connection dropped mid-read: requests wait for the reconnect, so read again.
          if (error instanceof ZooKeeperError && error.retriable) return read();
          subscriber.error(error);
        }
      };
      void read();
      return () => {
        active = false;
      };
    });
  }

  /** The group node is missing: report no members and read again once it appears. */
  private async awaitGroup(subscriber: Subscriber<string[]>, read: () => Promise<void>): Promise<void> {
    try {
      if ((await this.client.exists(this.groupPath, () => void read())) === null) subscriber.next([]);
      else await read();
    } catch (error) {
      if (isSessionOver(this.client)) subscriber.complete();
      else subscriber.error(error);
    }
  }

  /** What a member stored when it joined, or null if it is not (or no longer) a member. */
  async memberData(name: string): Promise<Buffer | null> {
    assertChildName(name);
    try {
      return (await retryIdempotent(() => this.client.getData(joinPath(this.groupPath, name)))).data;
    } catch (error) {
      if (isErrorCode(error, ErrorCode.NONODE)) return null;
      throw error;
    }
  }
}
