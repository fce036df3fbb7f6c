/**
 * For tests: records every timer and socket created after trackResources() and forgets each once
 * destroyed, so a test can assert that closing what it started leaves nothing that would keep the
 * process (and Jest) alive. A leaked timer is named by its delay and callback, which finds its owner.
 */
import { createHook } from 'node:async_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Kinds of async resource that keep a process alive. */
const KEEPS_ALIVE = new Set(['Timeout', 'TCPWRAP', 'TCPCONNECTWRAP']);
/** Destroy hooks of just-closed handles run a turn or two later. */
const TURNS_FOR_DESTROY_HOOKS = 5;

interface Tracked {
  type: string;
  resource: unknown;
}

export interface ResourceTracker {
  /** What is still alive, described ("Timeout of 50 ms: () => ..."), after closed handles had their turns. */
  left(): Promise<string[]>;
  stop(): void;
}

export function trackResources(): ResourceTracker {
  const live = new Map<number, Tracked>();
  const hook = createHook({
    init: (asyncId, type, _trigger, resource) => void (KEEPS_ALIVE.has(type) && !createdByJest() && live.set(asyncId, { type, resource })),
    destroy: (asyncId) => void live.delete(asyncId),
  }).enable();
  return {
    left: async () => {
      for (let turn = 0; turn < TURNS_FOR_DESTROY_HOOKS; turn++) await nextTurn();
      return [...live.values()].map(describeResource).sort();
    },
    stop: () => void hook.disable(),
  };
}

/** Jest's reporter runs in the test process too (in-band) and throttles its output with timers. */
function createdByJest(): boolean {
  return /node_modules[\\/](@jest|jest-)/.test(new Error().stack ?? '');
}

function describeResource({ type, resource }: Tracked): string {
  const timer = resource as { _idleTimeout?: number; _onTimeout?: unknown };
  return type === 'Timeout' ? `Timeout of ${timer._idleTimeout} ms: ${String(timer._onTimeout).slice(0, 200)}` : type;
}
