/**
 * `barista --exit-with-parent <command>`: the service stops when the process that started it is
 * gone, even if that process was killed with -9 and could not stop it. The parent spawns it with
 * an IPC channel (as supervisors do their workers, core/topology/cluster/worker-process.ts); the
 * channel closes when the parent dies, and the service then shuts down as on SIGTERM. Without
 * this, `kill -9` of `barista up` would leave its cluster running, holding the ports of the next.
 */

/** A graceful shutdown that hangs (its coord already gone, say) is cut short after this long. */
export const EXIT_WITH_PARENT_GRACE_MS = 10_000;
/** Exit code when the grace period ran out: the shutdown did not finish cleanly. */
const EXIT_SHUTDOWN_TIMED_OUT = 1;

export class NoParentChannelError extends Error {
  readonly code = 'NO_PARENT_CHANNEL';
  constructor() {
    super('--exit-with-parent needs an IPC channel to the parent: spawn this process with stdio "ipc" (barista up does)');
    this.name = 'NoParentChannelError';
  }
}

export function exitWithParent(): void {
  if (process.channel === undefined) throw new NoParentChannelError();
  process.once('disconnect', () => {
    setTimeout(() => process.exit(EXIT_SHUTDOWN_TIMED_OUT), EXIT_WITH_PARENT_GRACE_MS).unref();
    // The command's own SIGTERM handler does the orderly shutdown.
    process.kill(process.pid, 'SIGTERM');
  });
  // The channel must not keep a process alive that has finished otherwise.
  process.channel.unref();
}
