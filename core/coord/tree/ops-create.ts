/**
 * create (all modes) as PrepRequestProcessor.pRequest2TxnCreate checks it and DataTree.createNode
 * applies it. The checks run in ZooKeeper's order, so the first failing rule decides the error
 * code exactly as the real server would.
 */
import { CreateMode, ErrorCode, EventType, Perms, isEphemeral, isSequential, isTtl } from '../zookeeper-constants.js';
import { checkAcl, copyAcl, fixupAcl } from './acl.js';
import { CONTAINER_EPHEMERAL_OWNER, MAX_TTL_MS, SEQUENTIAL_SUFFIX_DIGITS } from './limits.js';
import { clientStat, freshNode, incrementInt32, kindOfOwner, ttlEphemeralOwner } from './node.js';
import { validatePath, watchPathOf } from './paths.js';
import type { TreeState } from './tree-state.js';
import type { FailureCode, OpResult, TxnContext, WatchTrigger, WriteOp } from './types.js';

type CreateOp = Extract<WriteOp, { type: 'create' }>;

const KNOWN_MODES: ReadonlySet<number> = new Set(Object.values(CreateMode));

export function applyCreate(state: TreeState, op: CreateOp, ctx: TxnContext, triggers: WatchTrigger[]): OpResult {
  const fail = (err: FailureCode): OpResult => ({ err, type: 'create' });
  if (!KNOWN_MODES.has(op.mode) || !ttlAcceptable(op.mode, op.ttlMs)) return fail(ErrorCode.BADARGUMENTS);
  const sessionId = BigInt.asIntN(64, ctx.sessionId);
  if (isEphemeral(op.mode) && !state.sessions.has(sessionId)) return fail(ErrorCode.SESSIONEXPIRED);
  const lastSlash = op.path.lastIndexOf('/');
  if (lastSlash === -1 || op.path.includes('\0')) return fail(ErrorCode.BADARGUMENTS);
  const parentPath = op.path.slice(0, lastSlash);
  const acl = fixupAcl(op.acl, ctx.authIds);
  if ('err' in acl) return fail(acl.err);
  const parent = state.lookup(parentPath);
  if (parent === undefined) return fail(ErrorCode.NONODE);
  if (!checkAcl(parent.acl, Perms.CREATE, ctx.authIds)) return fail(ErrorCode.NOAUTH);
  const path = isSequential(op.mode) ? op.path + sequentialSuffix(parent.cversion) : op.path;
  if (validatePath(path) !== ErrorCode.OK) return fail(ErrorCode.BADARGUMENTS);
  if (state.lookup(path) !== undefined) return fail(ErrorCode.NODEEXISTS);
  if (kindOfOwner(parent.ephemeralOwner) === 'ephemeral') return fail(ErrorCode.NOCHILDRENFOREPHEMERALS);

  const node = freshNode(Buffer.from(op.data), acl, ctx.zxid, ctx.timeMs, ownerFor(op, sessionId));
  state.willChange(parent);
  // DataTree.createNode moves cversion/pzxid only forward; at the int wrap the parent keeps
  // MAX_VALUE (and the next sequential name collides), exactly like ZooKeeper.
  const newCversion = incrementInt32(parent.cversion);
  if (newCversion > parent.cversion) {
    parent.cversion = newCversion;
    parent.pzxid = ctx.zxid;
  }
  state.insertNode(path, node);
  triggers.push({ path, type: EventType.NodeCreated, acl: acl.map(copyAcl) });
  triggers.push({ path: watchPathOf(parentPath), type: EventType.NodeChildrenChanged, acl: parent.acl.map(copyAcl) });
  return { err: ErrorCode.OK, type: 'create', path, stat: clientStat(node) };
}

/** EphemeralType.validateTTL: TTL modes need 0 < ttl ≤ 2^40-1; other modes must not carry one
 * (a createTTL request with a non-TTL mode is BADARGUMENTS; plain creates send -1). */
function ttlAcceptable(mode: number, ttlMs: number | undefined): boolean {
  if (isTtl(mode)) return ttlMs !== undefined && Number.isInteger(ttlMs) && ttlMs > 0 && ttlMs <= MAX_TTL_MS;
  return ttlMs === undefined || ttlMs < 0;
}

function ownerFor(op: CreateOp, sessionId: bigint): bigint {
  if (op.mode === CreateMode.CONTAINER) return CONTAINER_EPHEMERAL_OWNER;
  if (isTtl(op.mode)) return ttlEphemeralOwner(op.ttlMs ?? 0);
  return isEphemeral(op.mode) ? sessionId : 0n;
}

/** String.format("%010d", cversion): zero padded to ten characters, the sign included. */
export function sequentialSuffix(cversion: number): string {
  const digits = Math.abs(cversion).toString();
  return cversion < 0 ? `-${digits.padStart(SEQUENTIAL_SUFFIX_DIGITS - 1, '0')}` : digits.padStart(SEQUENTIAL_SUFFIX_DIGITS, '0');
}
