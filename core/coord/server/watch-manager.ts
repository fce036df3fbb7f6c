/**
 * Which connections watch which paths, and who hears about a change. ZooKeeper's rules:
 * one-time data watches (set by getData and exists) fire on create, data change and delete;
 * one-time child watches fire on children changed and delete; persistent watches (3.6 addWatch)
 * fire on every event of their path and stay; persistent-recursive watches fire on every event of
 * their path and all descendants except children-changed, and stay. A watcher hears a given
 * change at most once, however many of its watches match.
 */
import { AddWatchMode, EventType, WatcherType } from '../zookeeper-constants.js';
import type { WatchTrigger } from '../tree/index.js';

export interface Watcher {
  deliver(event: { type: number; path: string }): void;
}

type Table = Map<string, Set<Watcher>>;

function add(table: Table, path: string, watcher: Watcher): void {
  let watchers = table.get(path);
  if (watchers === undefined) table.set(path, (watchers = new Set()));
  watchers.add(watcher);
}

function removeFrom(table: Table, path: string, watcher: Watcher): boolean {
  const watchers = table.get(path);
  if (watchers === undefined || !watchers.delete(watcher)) return false;
  if (watchers.size === 0) table.delete(path);
  return true;
}

function* ancestorsAndSelf(path: string): Generator<string> {
  yield path;
  let current = path;
  while (current !== '/') {
    const cut = current.lastIndexOf('/');
    current = cut === 0 ? '/' : current.slice(0, cut);
    yield current;
  }
}

export class WatchManager {
  private readonly data: Table = new Map();
  private readonly child: Table = new Map();
  private readonly persistent: Table = new Map();
  private readonly recursive: Table = new Map();

  /** getData and exists watches: ZooKeeper keeps them in one table. */
  addDataWatch(path: string, watcher: Watcher): void {
    add(this.data, path, watcher);
  }

  addChildWatch(path: string, watcher: Watcher): void {
    add(this.child, path, watcher);
  }

  addPersistentWatch(path: string, mode: number, watcher: Watcher): void {
    add(mode === AddWatchMode.PERSISTENT_RECURSIVE ? this.recursive : this.persistent, path, watcher);
  }

  /** Delivers one change to everyone who should hear it. */
  trigger(change: WatchTrigger): void {
    const recipients = new Set<Watcher>();
    const takeOneTime = (table: Table) => {
      const watchers = table.get(change.path);
      if (watchers === undefined) return;
      table.delete(change.path);
      for (const watcher of watchers) recipients.add(watcher);
    };
    if (change.type !== EventType.NodeChildrenChanged) takeOneTime(this.data);
    if (change.type === EventType.NodeChildrenChanged || change.type === EventType.NodeDeleted) takeOneTime(this.child);
    for (const watcher of this.persistent.get(change.path) ?? []) recipients.add(watcher);
    if (change.type !== EventType.NodeChildrenChanged) {
      for (const ancestor of ancestorsAndSelf(change.path)) for (const watcher of this.recursive.get(ancestor) ?? []) recipients.add(watcher);
    }
    for (const watcher of recipients) watcher.deliver({ type: change.type, path: change.path });
  }

  /**
   * removeWatches / checkWatches: removes (or, with check, only looks for) the watcher's watches
   * of the given kind on the path. Returns whether any existed.
   */
  remove(path: string, watcherType: number, watcher: Watcher, checkOnly: boolean): boolean {
    const tables: Table[] = [];
    if (watcherType === WatcherType.Data || watcherType === WatcherType.Any) tables.push(this.data);
    if (watcherType === WatcherType.Children || watcherType === WatcherType.Any) tables.push(this.child);
    if (watcherType === WatcherType.Persistent || watcherType === WatcherType.Any) tables.push(this.persistent);
    if (watcherType === WatcherType.PersistentRecursive || watcherType === WatcherType.Any) tables.push(this.recursive);
    let found = false;
    for (const table of tables) {
      found = checkOnly ? table.get(path)?.has(watcher) === true || found : removeFrom(table, path, watcher) || found;
    }
    return found;
  }

  /** A closed connection's watches all go. */
  removeWatcher(watcher: Watcher): void {
    for (const table of [this.data, this.child, this.persistent, this.recursive]) {
      for (const path of [...table.keys()]) removeFrom(table, path, watcher);
    }
  }

  /** Number of (path, watcher) pairs, for mntr's zk_watch_count. */
  get watchCount(): number {
    let count = 0;
    for (const table of [this.data, this.child, this.persistent, this.recursive]) for (const watchers of table.values()) count += watchers.size;
    return count;
  }
}
