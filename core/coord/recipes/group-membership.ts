/**
 * Group membership, as ZooKeeper's recipes describe it: each member holds an ephemeral node
 * `<group>/<name>` for as long as its session lives, so a crashed member leaves the group by
 * itself once its session expires. Observers list the children with a watch, and list again
 * each time the watch fires.
 *
 * Guarantees: a name belongs to at most one live session; `members$` converges on the current
 * membership (intermediate states between two reads may be skipped, as with any ZooKeeper watch).
 */
import { distinctUntilChanged, map, type Observable } from 'rxjs';
import type { CoordClient } from '../client/coord-client.js';
import { ErrorCode } from '../zookeeper-constants.js';
import { assertChildName, createOwnedEphemeral, joinPath } from './ephemeral-nodes.js';
import { deleteIfPresent, isErrorCode, retryIdempotent } from './waits.js';

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
    this.members$ = client.observeChildren(groupPath).pipe(
      map((children) => children ?? []),
      distinctUntilChanged(sameMembers),
    );
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
