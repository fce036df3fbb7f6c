/**
 * Applies one write to the tree state: the single entry point every replica runs, in log order.
 * A multi runs its ops inside an atomic section; if one fails, every change is undone and the
 * results take ZooKeeper's shape (OK before the failure, its code, RUNTIMEINCONSISTENCY after).
 */
import { ErrorCode } from '../zookeeper-constants.js';
import { applyCreate } from './ops-create.js';
import { applyCloseSession, applyCreateSession, applyDeleteContainer, applyDeleteExpiredTtl } from './ops-session.js';
import { applyCheck, applyDelete, applySetAcl, applySetData } from './ops-update.js';
import type { TreeState } from './tree-state.js';
import type { FailureCode, MultiFailureEntry, OpResult, TxnContext, WatchTrigger, WriteOp } from './types.js';

/** The ops a client may put inside a multi (MultiOperationRecord). */
const MULTI_OP_TYPES: ReadonlySet<WriteOp['type']> = new Set(['create', 'delete', 'setData', 'check']);

export function applyOp(state: TreeState, op: WriteOp, ctx: TxnContext, triggers: WatchTrigger[]): OpResult {
  switch (op.type) {
    case 'create':
      return applyCreate(state, op, ctx, triggers);
    case 'delete':
      return applyDelete(state, op, ctx, triggers);
    case 'setData':
      return applySetData(state, op, ctx, triggers);
    case 'setACL':
      return applySetAcl(state, op, ctx);
    case 'check':
      return applyCheck(state, op, ctx);
    case 'multi':
      return applyMulti(state, op, ctx, triggers);
    case 'createSession':
      return applyCreateSession(state, op);
    case 'closeSession':
      return applyCloseSession(state, op, ctx, triggers);
    case 'deleteContainer':
      return applyDeleteContainer(state, op, ctx, triggers);
    case 'deleteExpiredTtl':
      return applyDeleteExpiredTtl(state, op, ctx, triggers);
    case 'noop':
      return { err: ErrorCode.OK, type: 'noop' };
    default:
      return { err: ErrorCode.UNIMPLEMENTED, type: (op as { type: WriteOp['type'] }).type };
  }
}

/** All-or-nothing. An op type a client cannot send inside a multi (setACL, sessions, nested multi…)
 * fails the whole multi with MARSHALLINGERROR and no per-op results, as ZooKeeper's decoder does. */
function applyMulti(state: TreeState, op: Extract<WriteOp, { type: 'multi' }>, ctx: TxnContext, triggers: WatchTrigger[]): OpResult {
  if (!op.ops.every((subOp) => MULTI_OP_TYPES.has(subOp.type))) return { err: ErrorCode.MARSHALLINGERROR, type: 'multi' };
  const results: OpResult[] = [];
  const pending: WatchTrigger[] = [];
  // Assigned inside the atomic section; the cast keeps TypeScript from narrowing it to null.
  let failure = null as { index: number; err: FailureCode } | null;
  state.atomically(() => {
    for (const [index, subOp] of op.ops.entries()) {
      const result = applyOp(state, subOp, ctx, pending);
      if (result.err !== ErrorCode.OK) {
        failure = { index, err: result.err };
        return false;
      }
      results.push(result);
    }
    return true;
  });
  if (failure === null) {
    triggers.push(...pending);
    return { err: ErrorCode.OK, type: 'multi', results };
  }
  const { index: failedIndex, err } = failure;
  const entries: MultiFailureEntry[] = op.ops.map((subOp, index) => ({
    err: index < failedIndex ? ErrorCode.OK : index === failedIndex ? err : ErrorCode.RUNTIMEINCONSISTENCY,
    type: subOp.type,
  }));
  return { err, type: 'multi', results: entries };
}
