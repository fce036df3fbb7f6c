/**
 * Which connections watch which paths, and who hears about a change — modelled on ZooKeeper
 * 3.8's two watch tables, because clients observe the difference:
 * - the data table holds getData/exists watches (one-time); it fires on created, data changed
 *   and deleted;
 * - the child table holds getChildren watches (one-time); it fires on children changed and
 *   deleted;
 * - addWatch puts a persistent or persistent-recursive watch into both tables (recursive ones
 *   never hear children-changed), so removeWatches(Data) leaves it hearing only what the child
 *   table fires, and a later one-time watch on the same path replaces it in that table. A connection hears a change at most once, and only if it may READ the
 * node (ZooKeeper checks the node's ACL against the session's ids before delivering); a one-time
 * watch is used up either way.
 */
import { AddWatchMode, EventType, Perms, WatcherType } from '../zookeeper-constants.js';
import { checkAcl, type Id, type WatchTrigger } from '../tree/index.js';

export interface Watcher {
  /** The ids the watcher's session authenticated with (for the READ check on delivery). */
  readonly authIds: readonly Id[];
  deliver(event: { type: number; path: string }): void;
}

type Mode = 'standard' | 'persistent' | 'recursive';
type Table = Map<string, Map<Watcher, Mode>>;

function* ancestors(path: string): Generator<string> {
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
  /** Recursive entries in both tables; while 0, triggers skip the walk over ancestors. */
  private recursiveCount = 0;

  /** getData and exists watches. */
  addDataWatch(path: string, watcher: Watcher): void {
    this.set(this.data, path, watcher, 'standard');
  }

  addChildWatch(path: string, watcher: Watcher): void {
    this.set(this.child, path, watcher, 'standard');
  }

  /** ZooKeeper 3.8 puts both kinds of addWatch into both tables. */
  addPersistentWatch(path: string, mode: number, watcher: Watcher): void {
    const kind: Mode = mode === AddWatchMode.PERSISTENT_RECURSIVE ? 'recursive' : 'persistent';
    this.set(this.data, path, watcher, kind);
    this.set(this.child, path, watcher, kind);
  }

  /** Delivers one change to everyone who should hear it. */
  trigger(change: WatchTrigger): void {
    const recipients = new Set<Watcher>();
    if (change.type !== EventType.NodeChildrenChanged) this.collect(this.data, change.path, change.type, recipients);
    if (change.type === EventType.NodeChildrenChanged || change.type === EventType.NodeDeleted) this.collect(this.child, change.path, change.type, recipients);
    for (const watcher of recipients) {
      if (checkAcl(change.acl, Perms.READ, watcher.authIds)) watcher.deliver({ type: change.type, path: change.path });
    }
  }

  /**
   * removeWatches / checkWatches: removes (or, with check, only looks for) the watcher's watches
   * in the tables the type names. Returns whether any existed.
   */
  remove(path: string, watcherType: number, watcher: Watcher, checkOnly: boolean): boolean {
    const tables: Table[] = [];
    if (watcherType === WatcherType.Data || watcherType === WatcherType.Any) tables.push(this.data);
    if (watcherType === WatcherType.Children || watcherType === WatcherType.Any) tables.push(this.child);
    let found = false;
    for (const table of tables) {
      const watchers = table.get(path);
      if (!watchers?.has(watcher)) continue;
      found = true;
      if (checkOnly) continue;
      if (watchers.get(watcher) === 'recursive') this.recursiveCount -= 1;
      watchers.delete(watcher);
      if (watchers.size === 0) table.delete(path);
    }
    return found;
  }

  /** A closed connection's watches all go. */
  removeWatcher(watcher: Watcher): void {
    for (const table of [this.data, this.child]) {
      for (const [path, watchers] of table) {
        if (watchers.get(watcher) === 'recursive') this.recursiveCount -= 1;
        watchers.delete(watcher);
        if (watchers.size === 0) table.delete(path);
      }
    }
  }

  /** Number of (path, watcher) pairs, for mntr's zk_watch_count. */
  get watchCount(): number {
    let count = 0;
    for (const table of [this.data, this.child]) for (const watchers of table.values()) count += watchers.size;
    return count;
  }

  /** As in ZooKeeper, the latest watch a connection sets on a path decides its mode in that table
   * (a one-time getData watch turns a persistent one there into a one-time one). */
  private set(table: Table, path: string, watcher: Watcher, mode: Mode): void {
    let watchers = table.get(path);
    if (watchers === undefined) table.set(path, (watchers = new Map()));
    if (watchers.get(watcher) === 'recursive') this.recursiveCount -= 1;
    if (mode === 'recursive') this.recursiveCount += 1;
    watchers.set(watcher, mode);
  }

  /** ZooKeeper's triggerWatch: the path's own watchers, then recursive ones on its ancestors;
   * recursive watches never hear children-changed. */
  private collect(table: Table, path: string, type: number, recipients: Set<Watcher>): void {
    const hears = (mode: Mode) => mode !== 'recursive' || type !== EventType.NodeChildrenChanged;
    const watchers = table.get(path);
    if (watchers !== undefined) {
      for (const [watcher, mode] of watchers) {
        if (!hears(mode)) continue;
        recipients.add(watcher);
        if (mode === 'standard') watchers.delete(watcher);
      }
      if (watchers.size === 0) table.delete(path);
    }
    if (this.recursiveCount === 0 || type === EventType.NodeChildrenChanged) return;
    for (const ancestor of ancestors(path)) {
      for (const [watcher, mode] of table.get(ancestor) ?? []) if (mode === 'recursive') recipients.add(watcher);
    }
  }
}
