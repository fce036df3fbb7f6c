/**
 * Full consistency check of a tree state, O(nodes). Tests run it after every step; deserialize runs
 * it once. A failure means replicas could silently diverge, so it throws instead of repairing.
 */
import { InvariantViolationError } from './errors.js';
import { kindOfOwner } from './node.js';
import type { DataNode } from './node.js';
import { childNameOf, joinPath, parentPathOf } from './paths.js';
import type { TreeState } from './tree-state.js';

export function checkInvariants(state: TreeState): void {
  if (!state.nodes.has('/')) throw new InvariantViolationError('the root exists', '/');
  let childLinks = 0;
  for (const [path, node] of state.nodes) {
    checkLinks(state, path, node);
    checkNumbers(state, path, node);
    childLinks += node.children.size;
  }
  if (childLinks !== state.nodes.size - 1) throw new InvariantViolationError('every node but the root is exactly one child', '/');
  checkIndexes(state);
}

function checkLinks(state: TreeState, path: string, node: DataNode): void {
  if (path !== '/') {
    const parent = state.lookup(parentPathOf(path));
    if (parent?.children.has(childNameOf(path)) !== true) throw new InvariantViolationError('a node is listed by its parent', path);
  }
  for (const child of node.children) {
    if (!state.nodes.has(joinPath(path, child))) throw new InvariantViolationError(`child ${child} exists`, path);
  }
  if (kindOfOwner(node.ephemeralOwner) === 'ephemeral' && node.children.size > 0) {
    throw new InvariantViolationError('ephemeral nodes have no children', path);
  }
}

function checkNumbers(state: TreeState, path: string, node: DataNode): void {
  for (const value of [node.version, node.cversion, node.aversion]) {
    if (!Number.isInteger(value) || value !== (value | 0)) throw new InvariantViolationError('versions are 32-bit integers', path);
  }
  for (const zxid of [node.czxid, node.mzxid, node.pzxid]) {
    if (zxid > state.lastZxid) throw new InvariantViolationError('no zxid beyond the last applied one', path);
  }
}

function checkIndexes(state: TreeState): void {
  const expectedContainers = new Set<string>();
  const expectedTtls = new Set<string>();
  const expectedEphemerals = new Map<bigint, Set<string>>();
  for (const [path, node] of state.nodes) {
    const kind = kindOfOwner(node.ephemeralOwner);
    if (kind === 'container') expectedContainers.add(path);
    if (kind === 'ttl') expectedTtls.add(path);
    if (kind === 'ephemeral') {
      if (!state.sessions.has(node.ephemeralOwner)) throw new InvariantViolationError('ephemerals belong to a live session', path);
      const paths = expectedEphemerals.get(node.ephemeralOwner) ?? new Set<string>();
      expectedEphemerals.set(node.ephemeralOwner, paths.add(path));
    }
  }
  if (!sameSet(expectedContainers, state.containers)) throw new InvariantViolationError('the container index matches the nodes', '');
  if (!sameSet(expectedTtls, state.ttls)) throw new InvariantViolationError('the TTL index matches the nodes', '');
  if (expectedEphemerals.size !== state.ephemeralsBySession.size) throw new InvariantViolationError('the ephemeral index has no stale sessions', '');
  for (const [sessionId, paths] of expectedEphemerals) {
    if (!sameSet(paths, state.ephemeralsBySession.get(sessionId) ?? new Set())) {
      throw new InvariantViolationError(`the ephemeral index of session ${sessionId} matches the nodes`, '');
    }
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}
