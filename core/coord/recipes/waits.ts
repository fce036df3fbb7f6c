/**
 * Waiting the ZooKeeper way: set a one-time watch with a read, then wait for it to fire, for a
 * deadline, or for the session to end. The last case matters: an expired or closed session
 * drops its watches, so without it a waiter would hang forever.
 */
import type { CoordClient } from '../client/coord-client.js';
import type { WatchedEvent } from '../client/client-watches.js';
import { ZooKeeperError } from '../client/errors.js';
import type { Stat } from '../tree/types.js';
import { ErrorCode } from '../zookeeper-constants.js';
import { InvalidArgumentError, SessionLostError } from './errors.js';
import { MAX_IDEMPOTENT_ATTEMPTS } from './limits.js';
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

/** When a wait gives up, on the monotonic clock (so a stepped wall clock neither ends it early nor stretches it); undefined waits forever. */
export type Deadline = number | undefined;

export function deadlineAfter(timeoutMs: number | undefined): Deadline {
  if (timeoutMs === undefined) return undefined;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new InvalidArgumentError('timeoutMs', timeoutMs, 'a finite number of milliseconds >= 0');
  return monotonicNowMs() + timeoutMs;
}

export function isErrorCode(error: unknown, code: number): boolean {
  return error instanceof ZooKeeperError && error.code === code;
}

/** The session is over: nothing this client does will ever be seen again. */
export function isSessionOver(client: CoordClient): boolean {
  const state = client.session.state$.value;
  return state === 'expired' || state === 'closed';
}

/** Calls `onLost` once if the session expires or the client closes; returns an unsubscribe. */
export function onSessionLost(client: CoordClient, onLost: (state: string) => void): () => void {
  let fired = false;
  const fire = (state: string) => {
    if (fired) return;
    fired = true;
    onLost(state);
  };
  // state$ completes when the client closes, so a late subscriber sees only `complete`.
  const subscription = client.session.state$.subscribe({
    next: (state) => (state === 'expired' || state === 'closed' ? fire(state) : undefined),
    complete: () => fire('closed'),
  });
  return () => subscription.unsubscribe();
}

/** Retries an idempotent request (a read, a delete) whose connection dropped; the client reconnects meanwhile. */
export async function retryIdempotent<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof ZooKeeperError && error.retriable) || attempt >= MAX_IDEMPOTENT_ATTEMPTS) throw error;
    }
  }
}

/** exists() with a one-time watch; `fired` settles on the first event for the path. */
export async function watchExists(client: CoordClient, path: string): Promise<{ stat: Stat | null; fired: Promise<WatchedEvent> }> {
  let resolveFired!: (event: WatchedEvent) => void;
  const fired = new Promise<WatchedEvent>((resolve) => (resolveFired = resolve));
  const stat = await retryIdempotent(() => client.exists(path, resolveFired));
  return { stat, fired };
}

/**
 * Waits for `fired`, rejecting with `timeoutError()` at the deadline or with SessionLostError
 * when the session ends. Leaves the (one-time) watch registered: removing it would also remove
 * other waiters' watches on the same path of the same client, and a stale one costs nothing.
 */
export function awaitWatch<T>(client: CoordClient, path: string, fired: Promise<T>, deadline: Deadline, timeoutError: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const cleanups: Array<() => void> = [];
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      for (const cleanup of cleanups) cleanup();
      finish();
    };
    if (deadline !== undefined) {
      const timer = setTimeout(() => settle(() => reject(timeoutError())), Math.max(0, deadline - monotonicNowMs()));
      cleanups.push(() => clearTimeout(timer));
    }
    // May fire at once (the session is already over), before `unsubscribe` could be registered.
    const unsubscribe = onSessionLost(client, (state) => settle(() => reject(new SessionLostError(path, state))));
    if (settled) unsubscribe();
    else cleanups.push(unsubscribe);
    void fired.then((value) => settle(() => resolve(value)));
  });
}

/** Deletes a node if it is still there; a missing node or an ended session means it is gone already. */
export async function deleteIfPresent(client: CoordClient, path: string): Promise<void> {
  if (isSessionOver(client)) return;
  try {
    await retryIdempotent(() => client.delete(path));
  } catch (error) {
    if (isErrorCode(error, ErrorCode.NONODE) || isSessionOver(client)) return;
    throw error;
  }
}
