/**
 * Paths and named ephemeral nodes shared by group membership and the double barrier. A named
 * ephemeral needs no GUID to survive a lost reply: on NODEEXISTS its `ephemeralOwner` tells
 * whether the earlier, unanswered create was ours.
 */
import type { CoordClient } from '../client/coord-client.js';
import { CreateMode, ErrorCode } from '../zookeeper-constants.js';
import { InvalidNameError, MemberExistsError, NodeNotCreatedError } from './errors.js';
import { MAX_CREATE_ATTEMPTS, MAX_MEMBER_NAME_BYTES } from './limits.js';
import { isErrorCode, retryIdempotent } from './waits.js';
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** A name that makes one valid path segment (ZooKeeper refuses the others with BADARGUMENTS). */
export function assertChildName(name: string): void {
  if (name.length === 0) throw new InvalidNameError(name, 'it is empty');
  if (name === '.' || name === '..') throw new InvalidNameError(name, '"." and ".." are reserved');
  if (name.includes('/')) throw new InvalidNameError(name, 'it contains "/"');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new InvalidNameError(name, 'it contains control characters');
  const bytes = Buffer.byteLength(name);
  if (bytes > MAX_MEMBER_NAME_BYTES) throw new InvalidNameError(name, `it is ${bytes} bytes, over the limit of ${MAX_MEMBER_NAME_BYTES}`);
}

/**
 * Creates the ephemeral `path` when another session holds it now: that is either a live process
 * with the same identity or this process's previous life, killed before its session expired. Waits
 * for the node to vanish (an exists watch, so at once when it does) until `waitMs` has passed, then
 * gives up. Resolves true when created, false when the other session still holds it.
 */
export async function createEphemeralAfterStale(client: CoordClient, path: string, data: Buffer | string, waitMs: number): Promise<boolean> {
  const deadline = monotonicNowMs() + waitMs;
  for (;;) {
    try {
      await client.create(path, data, { mode: CreateMode.EPHEMERAL });
      return true;
    } catch (error) {
      if (!isErrorCode(error, ErrorCode.NODEEXISTS)) throw error;
    }
    const remainingMs = deadline - monotonicNowMs();
    if (remainingMs <= 0) return false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, remainingMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      // Woken by the deletion, or at once if it is already gone (or the read fails).
      client.exists(path, done).then((stat) => stat === null && done(), done);
    });
  }
}

/**
 * Creates the ephemeral `path` for this session, creating its parent if missing. A NODEEXISTS
 * owned by our own session is the node of an earlier attempt whose reply was lost: adopt it.
 */
export async function createOwnedEphemeral(client: CoordClient, path: string, data: Buffer | string): Promise<void> {
  for (let attempt = 1; attempt <= MAX_CREATE_ATTEMPTS; attempt += 1) {
    try {
      await client.create(path, data, { mode: CreateMode.EPHEMERAL });
      return;
    } catch (error) {
      if (isErrorCode(error, ErrorCode.NONODE)) await client.mkdirp(path.slice(0, path.lastIndexOf('/')) || '/');
      else if (isErrorCode(error, ErrorCode.NODEEXISTS)) return assertOwnedByUs(client, path);
      else if (!isErrorCode(error, ErrorCode.CONNECTIONLOSS)) throw error;
    }
  }
  throw new NodeNotCreatedError(path, MAX_CREATE_ATTEMPTS);
}

async function assertOwnedByUs(client: CoordClient, path: string): Promise<void> {
  const stat = await retryIdempotent(() => client.exists(path));
  // Gone again (its owner's session just ended): the caller may simply try again.
  if (stat === null || stat.ephemeralOwner !== client.session.sessionId) throw new MemberExistsError(path);
}
