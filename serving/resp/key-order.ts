/**
 * Execution order of one connection's pipelined commands. Commands run concurrently (a quorum
 * round trip per command would otherwise serialise a pipeline), except that a command starts only
 * after every earlier command of the same connection that touches one of its keys has finished,
 * and a whole-keyspace command (SCAN, DBSIZE, FLUSHALL, INFO) waits for every earlier command
 * and holds back every later one. So each key sees the connection's commands in the order they
 * were sent, which is all a single client can observe of its own pipeline; commands on different
 * keys may take effect in either order, as they do in a Redis Cluster pipeline spanning slots.
 * Commands that touch no key run at once.
 *
 * Pure scheduling over promises: no I/O, no timers.
 */

/** What a command touches: these keys, nothing, or the whole keyspace. */
export type Access = readonly Buffer[] | 'none' | 'all';

export type Task = () => void | Promise<void>;

const ignore = () => undefined;

export class KeyOrder {
  private readonly lastByKey = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  private lastWholeKeyspace: Promise<void> | undefined;

  /** Tasks started or waiting to start, and not yet finished. */
  get pending(): number {
    return this.running.size;
  }

  /**
   * Runs `task` once the earlier tasks it conflicts with have finished — synchronously, when none
   * is pending. A task that throws or rejects counts as finished; handling its error is the
   * caller's job.
   */
  run(access: Access, task: Task): void {
    if (access === 'none') {
      void settle(task);
      return;
    }
    const keys = access === 'all' ? [] : [...new Set(access.map((key) => key.toString('latin1')))];
    const earlier = access === 'all' ? [...this.running] : this.conflictsOf(keys);
    const finished = earlier.length === 0 ? settle(task) : Promise.all(earlier).then(() => settle(task));
    this.running.add(finished);
    if (access === 'all') this.lastWholeKeyspace = finished;
    for (const key of keys) this.lastByKey.set(key, finished);
    void finished.then(() => this.forget(finished, keys));
  }

  private conflictsOf(keys: readonly string[]): Promise<void>[] {
    const earlier: Promise<void>[] = [];
    if (this.lastWholeKeyspace) earlier.push(this.lastWholeKeyspace);
    for (const key of keys) {
      const last = this.lastByKey.get(key);
      if (last) earlier.push(last);
    }
    return earlier;
  }

  private forget(finished: Promise<void>, keys: readonly string[]): void {
    this.running.delete(finished);
    if (this.lastWholeKeyspace === finished) this.lastWholeKeyspace = undefined;
    for (const key of keys) if (this.lastByKey.get(key) === finished) this.lastByKey.delete(key);
  }
}

/** Runs a task, resolving (never rejecting) when it is done. */
function settle(task: Task): Promise<void> {
  try {
    return Promise.resolve(task()).then(ignore, ignore);
  } catch {
    return Promise.resolve();
  }
}
