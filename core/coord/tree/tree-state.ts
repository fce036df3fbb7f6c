/**
 * The tree's mutable state and the only primitives that change it. Every change goes through here
 * so that (a) the secondary indexes (ephemerals by session, containers, TTL nodes) can never drift
 * from the nodes, and (b) a multi can be rolled back: while a journal is open, each primitive
 * records its inverse, and rollback replays them newest first.
 */
import { InvariantViolationError } from './errors.js';
import { kindOfOwner, saveFields } from './node.js';
import type { DataNode } from './node.js';
import { childNameOf, parentPathOf } from './paths.js';

type Undo = () => void;

export class TreeState {
  /** Every node by its path; the root is "/" (lookups also accept ZooKeeper's "" alias). */
  readonly nodes = new Map<string, DataNode>();
  readonly ephemeralsBySession = new Map<bigint, Set<string>>();
  readonly containers = new Set<string>();
  readonly ttls = new Set<string>();
  readonly sessions = new Map<bigint, number>();
  lastZxid = 0n;
  private journal: Undo[] | null = null;

  lookup(path: string): DataNode | undefined {
    return this.nodes.get(path === '' ? '/' : path);
  }

  /** Adds a node under its (existing) parent. Precondition: the path is free. */
  insertNode(path: string, node: DataNode): void {
    const parent = this.lookup(parentPathOf(path));
    if (parent === undefined || this.nodes.has(path)) throw new InvariantViolationError('insert needs a parent and a free path', path);
    this.nodes.set(path, node);
    parent.children.add(childNameOf(path));
    this.indexFor(node)?.add(path);
    this.record(() => this.removeNode(path));
  }

  /** Removes a childless node. Precondition: it exists and has no children. */
  removeNode(path: string): DataNode {
    const node = this.nodes.get(path);
    const parent = this.lookup(parentPathOf(path));
    if (node === undefined || parent === undefined || node.children.size > 0) {
      throw new InvariantViolationError('remove needs an existing childless node', path);
    }
    this.nodes.delete(path);
    parent.children.delete(childNameOf(path));
    this.unindex(path, node);
    this.record(() => this.insertNode(path, node));
    return node;
  }

  /** Call before changing a node's scalar fields; restores them on rollback. */
  willChange(node: DataNode): void {
    if (this.journal === null) return;
    const saved = saveFields(node);
    this.journal.push(() => Object.assign(node, saved));
  }

  setSession(sessionId: bigint, timeoutMs: number): void {
    const previous = this.sessions.get(sessionId);
    this.sessions.set(sessionId, timeoutMs);
    this.record(() => (previous === undefined ? this.sessions.delete(sessionId) : this.sessions.set(sessionId, previous)));
  }

  removeSession(sessionId: bigint): void {
    const previous = this.sessions.get(sessionId);
    if (previous === undefined) return;
    this.sessions.delete(sessionId);
    this.record(() => this.sessions.set(sessionId, previous));
  }

  /** Runs `body` all-or-nothing: when it returns false every change it made is undone. */
  atomically(body: () => boolean): boolean {
    if (this.journal !== null) throw new InvariantViolationError('atomic sections do not nest', '');
    const journal: Undo[] = [];
    this.journal = journal;
    let committed = false;
    try {
      committed = body();
    } finally {
      this.journal = null;
      if (!committed) for (let i = journal.length - 1; i >= 0; i--) journal[i]?.();
    }
    return committed;
  }

  private record(undo: Undo): void {
    this.journal?.push(undo);
  }

  private indexFor(node: DataNode): Set<string> | undefined {
    const kind = kindOfOwner(node.ephemeralOwner);
    if (kind === 'container') return this.containers;
    if (kind === 'ttl') return this.ttls;
    if (kind !== 'ephemeral') return undefined;
    let paths = this.ephemeralsBySession.get(node.ephemeralOwner);
    if (paths === undefined) {
      paths = new Set();
      this.ephemeralsBySession.set(node.ephemeralOwner, paths);
    }
    return paths;
  }

  private unindex(path: string, node: DataNode): void {
    const kind = kindOfOwner(node.ephemeralOwner);
    if (kind === 'container') this.containers.delete(path);
    else if (kind === 'ttl') this.ttls.delete(path);
    else if (kind === 'ephemeral') {
      const paths = this.ephemeralsBySession.get(node.ephemeralOwner);
      paths?.delete(path);
      if (paths?.size === 0) this.ephemeralsBySession.delete(node.ephemeralOwner);
    }
  }
}
