/**
 * Session lifecycle and the leader's cleanup deletions. Sessions are part of the replicated state
 * (ZooKeeper keeps them in the snapshot too); closing one removes its ephemerals in sorted path
 * order so every replica emits the same triggers. Cleanup ops re-check eligibility at apply time
 * because the leader proposed them from an older view of the tree.
 */
import { ErrorCode } from '../zookeeper-constants.js';
import { isUsableSessionId, kindOfOwner, ttlOfOwner } from './node.js';
import type { DataNode } from './node.js';
import { deletableParentPath, removeWithTriggers } from './ops-update.js';
import type { TreeState } from './tree-state.js';
import type { OpResult, TxnContext, WatchTrigger, WriteOp } from './types.js';

type OpOf<T extends WriteOp['type']> = Extract<WriteOp, { type: T }>;

/** Registers a session (or renews its timeout). Ids that could not own ephemerals unambiguously
 * (0, the container marker, a 0xFF top byte) are BADARGUMENTS. */
export function applyCreateSession(state: TreeState, op: OpOf<'createSession'>): OpResult {
  const sessionId = BigInt.asIntN(64, op.sessionId);
  if (!isUsableSessionId(sessionId) || !Number.isInteger(op.timeoutMs)) return { err: ErrorCode.BADARGUMENTS, type: 'createSession' };
  state.setSession(sessionId, op.timeoutMs);
  return { err: ErrorCode.OK, type: 'createSession' };
}

/** Deletes the session's ephemerals and forgets it. Closing an unknown session succeeds and does
 * nothing, as in ZooKeeper (expiry and an explicit close can race). */
export function applyCloseSession(state: TreeState, op: OpOf<'closeSession'>, ctx: TxnContext, triggers: WatchTrigger[]): OpResult {
  const sessionId = BigInt.asIntN(64, op.sessionId);
  const paths = [...(state.ephemeralsBySession.get(sessionId) ?? [])].sort();
  for (const path of paths) removeWithTriggers(state, path, ctx.zxid, triggers);
  state.removeSession(sessionId);
  return { err: ErrorCode.OK, type: 'closeSession' };
}

/** deleteContainer: NONODE / NOTEMPTY as ZooKeeper; a node that is no longer a container answers
 * BADVERSION (ZooKeeper's code for an ineligible node) and stays. No ACL check: the leader asks. */
export function applyDeleteContainer(state: TreeState, op: OpOf<'deleteContainer'>, ctx: TxnContext, triggers: WatchTrigger[]): OpResult {
  return deleteIfEligible(state, op.path, ctx, triggers, 'deleteContainer', (node) => kindOfOwner(node.ephemeralOwner) === 'container');
}

/** deleteExpiredTtl: like deleteContainer, eligible while the node is a TTL node whose TTL has
 * passed at the leader's `nowMs` (ContainerManager: nowMs - mtime > ttl). */
export function applyDeleteExpiredTtl(state: TreeState, op: OpOf<'deleteExpiredTtl'>, ctx: TxnContext, triggers: WatchTrigger[]): OpResult {
  return deleteIfEligible(state, op.path, ctx, triggers, 'deleteExpiredTtl', (node) => isExpiredTtl(node, op.nowMs));
}

function deleteIfEligible(
  state: TreeState,
  path: string,
  ctx: TxnContext,
  triggers: WatchTrigger[],
  type: 'deleteContainer' | 'deleteExpiredTtl',
  eligible: (node: DataNode) => boolean,
): OpResult {
  if (deletableParentPath(path) === null) return { err: ErrorCode.BADARGUMENTS, type };
  const node = state.lookup(path);
  if (node === undefined) return { err: ErrorCode.NONODE, type };
  if (node.children.size > 0) return { err: ErrorCode.NOTEMPTY, type };
  if (!eligible(node)) return { err: ErrorCode.BADVERSION, type };
  removeWithTriggers(state, path, ctx.zxid, triggers);
  return { err: ErrorCode.OK, type };
}

function isExpiredTtl(node: DataNode, nowMs: number): boolean {
  if (kindOfOwner(node.ephemeralOwner) !== 'ttl') return false;
  const ttlMs = ttlOfOwner(node.ephemeralOwner);
  return ttlMs !== 0 && nowMs - node.mtime > ttlMs;
}

/** ContainerManager.getCandidates: empty containers that have had a child (cversion > 0) and empty
 * TTL nodes past their TTL, as cleanup ops in sorted path order. */
export function cleanupCandidates(state: TreeState, nowMs: number): WriteOp[] {
  const ops: WriteOp[] = [];
  for (const path of [...state.containers].sort()) {
    const node = state.lookup(path);
    if (node !== undefined && node.children.size === 0 && node.cversion > 0) ops.push({ type: 'deleteContainer', path });
  }
  for (const path of [...state.ttls].sort()) {
    const node = state.lookup(path);
    if (node !== undefined && node.children.size === 0 && isExpiredTtl(node, nowMs)) ops.push({ type: 'deleteExpiredTtl', path, nowMs });
  }
  return ops;
}
