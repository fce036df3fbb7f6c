/**
 * The client's record of what it watches, so that events reach the right callbacks and so that
 * after a reconnect the watches can be re-registered with setWatches (ZooKeeper's client does
 * the same: watches survive connection loss, not session expiry).
 */
import { AddWatchMode, EventType } from '../zookeeper-constants.js';

export interface WatchedEvent {
  type: number;
  path: string;
}

export type WatchCallback = (event: WatchedEvent) => void;
type Table = Map<string, Set<WatchCallback>>;

function add(table: Table, path: string, callback: WatchCallback): void {
  let callbacks = table.get(path);
  if (!callbacks) table.set(path, (callbacks = new Set()));
  callbacks.add(callback);
}

function* ancestorsAndSelf(path: string): Generator<string> {
  yield path;
  for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) yield path.slice(0, cut);
  if (path !== '/') yield '/';
}

export class ClientWatches {
  readonly data: Table = new Map();
  readonly exist: Table = new Map();
  readonly child: Table = new Map();
  readonly persistent: Table = new Map();
  readonly recursive: Table = new Map();

  addData(path: string, callback: WatchCallback): void {
    add(this.data, path, callback);
  }
  addExist(path: string, callback: WatchCallback): void {
    add(this.exist, path, callback);
  }
  addChild(path: string, callback: WatchCallback): void {
    add(this.child, path, callback);
  }
  addPersistent(path: string, mode: number, callback: WatchCallback): void {
    add(mode === AddWatchMode.PERSISTENT_RECURSIVE ? this.recursive : this.persistent, path, callback);
  }

  /** Callbacks an event goes to; one-time watches are consumed. */
  take(event: WatchedEvent): WatchCallback[] {
    const callbacks = new Set<WatchCallback>();
    const consume = (table: Table) => {
      for (const callback of table.get(event.path) ?? []) callbacks.add(callback);
      table.delete(event.path);
    };
    if (event.type === EventType.NodeCreated || event.type === EventType.NodeDataChanged) {
      consume(this.data);
      consume(this.exist);
    } else if (event.type === EventType.NodeDeleted) {
      consume(this.data);
      consume(this.exist);
      consume(this.child);
    } else if (event.type === EventType.NodeChildrenChanged) {
      consume(this.child);
    }
    for (const callback of this.persistent.get(event.path) ?? []) callbacks.add(callback);
    if (event.type !== EventType.NodeChildrenChanged) {
      for (const ancestor of ancestorsAndSelf(event.path)) for (const callback of this.recursive.get(ancestor) ?? []) callbacks.add(callback);
    }
    return [...callbacks];
  }

  isEmpty(): boolean {
    return [this.data, this.exist, this.child, this.persistent, this.recursive].every((table) => table.size === 0);
  }

  clear(): void {
    for (const table of [this.data, this.exist, this.child, this.persistent, this.recursive]) table.clear();
  }
}
