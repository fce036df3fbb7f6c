/**
 * Shape checks of a logged write decoded from untrusted bytes (a forwarded write, a log entry from
 * a peer). JSON gives back whatever the sender wrote; the tree's apply functions trust their
 * argument's types, so a write whose ACL lacks an id or whose path is a number would throw inside
 * apply — on every replica, for a committed entry, again after every restart. Only the types are
 * checked here: the values (paths, modes, versions, ACLs) keep the tree's own ZooKeeper error codes.
 */
import type { Id, WriteOp } from '../tree/index.js';
import type { LoggedWrite } from './txn-codec.js';

/** Deepest nesting of multi inside multi a check walks (clients send depth 1; the tree refuses more). */
export const MAX_MULTI_NESTING = 4;

/** Sub-operations one multi may carry: far above ZooKeeper's practical use, and bounds the walk. */
export const MAX_MULTI_OPS = 10_000;

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Numbers keep their values for the tree to judge (it answers BADARGUMENTS for a bad TTL, mode or version). */
const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
const isId = (value: unknown): value is Id => isObject(value) && typeof value.scheme === 'string' && typeof value.id === 'string';
const isAcl = (value: unknown): boolean => Array.isArray(value) && value.every((entry) => isObject(entry) && isNumber(entry.perms) && isId(entry.id));

/** Field checks per op type; each returns the first bad field's name, or null. */
const OP_FIELDS: Record<WriteOp['type'], (op: Fields, depth: number) => string | null> = {
  create: (op) => firstBad({ path: typeof op.path === 'string', data: Buffer.isBuffer(op.data), acl: isAcl(op.acl), mode: isNumber(op.mode), ttlMs: op.ttlMs === undefined || isNumber(op.ttlMs) }),
  delete: (op) => firstBad({ path: typeof op.path === 'string', version: isNumber(op.version) }),
  setData: (op) => firstBad({ path: typeof op.path === 'string', data: Buffer.isBuffer(op.data), version: isNumber(op.version) }),
  setACL: (op) => firstBad({ path: typeof op.path === 'string', acl: isAcl(op.acl), version: isNumber(op.version) }),
  check: (op) => firstBad({ path: typeof op.path === 'string', version: isNumber(op.version) }),
  multi: (op, depth) => multiProblem(op.ops, depth),
  createSession: (op) => firstBad({ sessionId: typeof op.sessionId === 'bigint', timeoutMs: isNumber(op.timeoutMs) }),
  closeSession: (op) => firstBad({ sessionId: typeof op.sessionId === 'bigint' }),
  deleteContainer: (op) => firstBad({ path: typeof op.path === 'string' }),
  deleteExpiredTtl: (op) => firstBad({ path: typeof op.path === 'string', nowMs: isNumber(op.nowMs) }),
  noop: () => null,
};

function firstBad(checks: Record<string, boolean>): string | null {
  for (const [field, ok] of Object.entries(checks)) if (!ok) return field;
  return null;
}

function multiProblem(ops: unknown, depth: number): string | null {
  if (!Array.isArray(ops) || ops.length > MAX_MULTI_OPS) return 'ops';
  if (depth >= MAX_MULTI_NESTING) return `ops (multi nested deeper than ${MAX_MULTI_NESTING})`;
  for (const [index, subOp] of ops.entries()) {
    const problem = opProblem(subOp, depth + 1);
    if (problem !== null) return `ops[${index}].${problem}`;
  }
  return null;
}

function opProblem(op: unknown, depth: number): string | null {
  if (!isObject(op) || typeof op.type !== 'string' || !Object.hasOwn(OP_FIELDS, op.type)) return 'type';
  return OP_FIELDS[op.type as WriteOp['type']](op, depth);
}

/** Why `value` is not a LoggedWrite the tree can apply (the bad field's path), or null when it is. */
export function loggedWriteProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not an object';
  const envelope = firstBad({ sessionId: typeof value.sessionId === 'bigint', authIds: Array.isArray(value.authIds) && value.authIds.every(isId), timeMs: isNumber(value.timeMs) });
  if (envelope !== null) return envelope;
  const problem = opProblem(value.op, 0);
  return problem === null ? null : `op.${problem}`;
}

/** Narrows `value` once loggedWriteProblem found nothing. */
export function isLoggedWrite(value: unknown): value is LoggedWrite {
  return loggedWriteProblem(value) === null;
}
