/**
 * delete, setData, setACL and check, with PrepRequestProcessor's checks in its order and
 * DataTree's effects. Notable ZooKeeper 3.8 behaviour kept on purpose: delete validates only the
 * parent split (not the whole path), moves the parent's pzxid but not its stored cversion (clients
 * still see cversion grow, see clientStat), and setACL leaves mzxid alone.
 */
import { ErrorCode, EventType, Perms } from '../zookeeper-constants.js';
import { checkAcl, copyAcl, fixupAcl } from './acl.js';
import { SPECIAL_PATHS } from './builtin-nodes.js';
import { clientStat, incrementInt32 } from './node.js';
import { parentPathOf, validatePath, watchPathOf } from './paths.js';
import type { TreeState } from './tree-state.js';
import type { FailureCode, OpResult, TxnContext, WatchTrigger, WriteOp } from './types.js';

type OpOf<T extends WriteOp['type']> = Extract<WriteOp, { type: T }>;

/** checkAndIncVersion: -1 matches any version. */
export function versionMatches(current: number, expected: number): boolean {
  return expected === -1 || expected === current;
}

/** getParentPathAndValidate of delete and deleteContainer: the parent, or null for BADARGUMENTS. */
export function deletableParentPath(path: string): string | null {
  if (path.lastIndexOf('/') === -1 || path.includes('\0') || SPECIAL_PATHS.has(path)) return null;
  return parentPathOf(path);
}

export function applyDelete(state: TreeState, op: OpOf<'delete'>, ctx: TxnContext, triggers: WatchTrigger[]): OpResult {
  const fail = (err: FailureCode): OpResult => ({ err, type: 'delete' });
  const parentPath = deletableParentPath(op.path);
  if (parentPath === null) return fail(ErrorCode.BADARGUMENTS);
  const parent = state.lookup(parentPath);
  if (parent === undefined) return fail(ErrorCode.NONODE);
  if (!checkAcl(parent.acl, Perms.DELETE, ctx.authIds)) return fail(ErrorCode.NOAUTH);
  const node = state.lookup(op.path);
  if (node === undefined) return fail(ErrorCode.NONODE);
  if (!versionMatches(node.version, op.version)) return fail(ErrorCode.BADVERSION);
  if (node.children.size > 0) return fail(ErrorCode.NOTEMPTY);
  removeWithTriggers(state, op.path, ctx.zxid, triggers);
  return { err: ErrorCode.OK, type: 'delete' };
}

/** DataTree.deleteNode: unlinks a childless node, moves the parent's pzxid forward, reports the
 * deletion and the parent's child change. Callers have checked that the node may go. */
export function removeWithTriggers(state: TreeState, path: string, zxid: bigint, triggers: WatchTrigger[]): void {
  const parentPath = parentPathOf(path);
  const parent = state.lookup(parentPath);
  if (parent !== undefined && zxid > parent.pzxid) {
    state.willChange(parent);
    parent.pzxid = zxid;
  }
  const node = state.removeNode(path);
  triggers.push({ path, type: EventType.NodeDeleted, acl: node.acl.map(copyAcl) });
  triggers.push({ path: watchPathOf(parentPath), type: EventType.NodeChildrenChanged, acl: (parent?.acl ?? []).map(copyAcl) });
}

export function applySetData(state: TreeState, op: OpOf<'setData'>, ctx: TxnContext, triggers: WatchTrigger[]): OpResult {
  const fail = (err: FailureCode): OpResult => ({ err, type: 'setData' });
  if (validatePath(op.path) !== ErrorCode.OK) return fail(ErrorCode.BADARGUMENTS);
  const node = state.lookup(op.path);
  if (node === undefined) return fail(ErrorCode.NONODE);
  if (!checkAcl(node.acl, Perms.WRITE, ctx.authIds)) return fail(ErrorCode.NOAUTH);
  if (!versionMatches(node.version, op.version)) return fail(ErrorCode.BADVERSION);
  state.willChange(node);
  node.data = Buffer.from(op.data);
  node.version = incrementInt32(node.version);
  node.mzxid = ctx.zxid;
  node.mtime = ctx.timeMs;
  triggers.push({ path: op.path, type: EventType.NodeDataChanged, acl: node.acl.map(copyAcl) });
  return { err: ErrorCode.OK, type: 'setData', stat: clientStat(node) };
}

export function applySetAcl(state: TreeState, op: OpOf<'setACL'>, ctx: TxnContext): OpResult {
  const fail = (err: FailureCode): OpResult => ({ err, type: 'setACL' });
  if (validatePath(op.path) !== ErrorCode.OK) return fail(ErrorCode.BADARGUMENTS);
  const acl = fixupAcl(op.acl, ctx.authIds);
  if ('err' in acl) return fail(acl.err);
  const node = state.lookup(op.path);
  if (node === undefined) return fail(ErrorCode.NONODE);
  if (!checkAcl(node.acl, Perms.ADMIN, ctx.authIds)) return fail(ErrorCode.NOAUTH);
  if (!versionMatches(node.aversion, op.version)) return fail(ErrorCode.BADVERSION);
  state.willChange(node);
  node.acl = acl;
  node.aversion = incrementInt32(node.aversion);
  return { err: ErrorCode.OK, type: 'setACL', stat: clientStat(node) };
}

/** check needs READ on the node in ZooKeeper, like a read of its version would. */
export function applyCheck(state: TreeState, op: OpOf<'check'>, ctx: TxnContext): OpResult {
  const fail = (err: FailureCode): OpResult => ({ err, type: 'check' });
  if (validatePath(op.path) !== ErrorCode.OK) return fail(ErrorCode.BADARGUMENTS);
  const node = state.lookup(op.path);
  if (node === undefined) return fail(ErrorCode.NONODE);
  if (!checkAcl(node.acl, Perms.READ, ctx.authIds)) return fail(ErrorCode.NOAUTH);
  if (!versionMatches(node.version, op.version)) return fail(ErrorCode.BADVERSION);
  return { err: ErrorCode.OK, type: 'check' };
}
