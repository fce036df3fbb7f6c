/**
 * Local reads, with FinalRequestProcessor's checks: NONODE first, then the ACL (READ, or READ|ADMIN
 * for getACL). Everything returned is a copy, so callers cannot reach into the replicated state.
 */
import { ErrorCode, Perms } from '../zookeeper-constants.js';
import { checkAcl, copyAcl, redactAcl } from './acl.js';
import { clientStat } from './node.js';
import type { TreeState } from './tree-state.js';
import type { ACL, Id, ReadResult, Stat } from './types.js';

export function getData(state: TreeState, path: string, authIds: readonly Id[]): ReadResult<{ data: Buffer; stat: Stat }> {
  const node = state.lookup(path);
  if (node === undefined) return { err: ErrorCode.NONODE };
  if (!checkAcl(node.acl, Perms.READ, authIds)) return { err: ErrorCode.NOAUTH };
  return { err: ErrorCode.OK, data: Buffer.from(node.data), stat: clientStat(node) };
}

/** ZooKeeper ≥ 3.8.4 (ZOOKEEPER-2590) needs READ on an existing node; pass the reader's ids to get
 * that, or omit them for the unchecked behaviour of ≤ 3.8.3. A '\0' in the path is BADARGUMENTS. */
export function exists(state: TreeState, path: string, authIds?: readonly Id[]): ReadResult<{ stat: Stat }> {
  if (path.includes('\0')) return { err: ErrorCode.BADARGUMENTS };
  const node = state.lookup(path);
  if (node === undefined) return { err: ErrorCode.NONODE };
  if (authIds !== undefined && !checkAcl(node.acl, Perms.READ, authIds)) return { err: ErrorCode.NOAUTH };
  return { err: ErrorCode.OK, stat: clientStat(node) };
}

export function getChildren(state: TreeState, path: string, authIds: readonly Id[]): ReadResult<{ children: string[]; stat: Stat }> {
  const node = state.lookup(path);
  if (node === undefined) return { err: ErrorCode.NONODE };
  if (!checkAcl(node.acl, Perms.READ, authIds)) return { err: ErrorCode.NOAUTH };
  return { err: ErrorCode.OK, children: [...node.children].sort(), stat: clientStat(node) };
}

/** READ or ADMIN may read the ACL; without ADMIN, digest hashes are masked as "user:x". */
export function getAcl(state: TreeState, path: string, authIds: readonly Id[]): ReadResult<{ acl: ACL[]; stat: Stat }> {
  const node = state.lookup(path);
  if (node === undefined) return { err: ErrorCode.NONODE };
  if (!checkAcl(node.acl, Perms.READ | Perms.ADMIN, authIds)) return { err: ErrorCode.NOAUTH };
  const acl = checkAcl(node.acl, Perms.ADMIN, authIds) ? node.acl.map(copyAcl) : redactAcl(node.acl);
  return { err: ErrorCode.OK, acl, stat: clientStat(node) };
}

/** Every descendant (DataTree.getAllChildrenNumber: "/" counts all nodes but the root, so the
 * built-in /zookeeper nodes are included, as in ZooKeeper). */
export function getAllChildrenNumber(state: TreeState, path: string, authIds: readonly Id[]): ReadResult<{ count: number }> {
  const node = state.lookup(path);
  if (node === undefined) return { err: ErrorCode.NONODE };
  if (!checkAcl(node.acl, Perms.READ, authIds)) return { err: ErrorCode.NOAUTH };
  if (path === '/') return { err: ErrorCode.OK, count: state.nodes.size - 1 };
  if (path === '') return { err: ErrorCode.OK, count: state.nodes.size }; // ZooKeeper counts keys starting with "/"
  return { err: ErrorCode.OK, count: countDescendants(state, path) };
}

function countDescendants(state: TreeState, path: string): number {
  let count = 0;
  const stack = [path];
  for (let current = stack.pop(); current !== undefined; current = stack.pop()) {
    for (const child of state.nodes.get(current)?.children ?? []) {
      count++;
      stack.push(`${current}/${child}`);
    }
  }
  return count;
}

/** The session's ephemerals, sorted; a blank or "/" prefix means all, else a plain string prefix. */
export function getEphemerals(state: TreeState, sessionId: bigint, prefixPath: string): string[] {
  const all = [...(state.ephemeralsBySession.get(BigInt.asIntN(64, sessionId)) ?? [])];
  const prefix = prefixPath.trim();
  const wanted = prefix === '' || prefix === '/' ? all : all.filter((path) => path.startsWith(prefixPath));
  return wanted.sort();
}
