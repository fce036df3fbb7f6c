/**
 * ZooKeeper's read guarantees, checked on a history: reads are sequentially consistent per
 * session, and a read after sync is as fresh as every write committed before the sync began.
 *
 * - A session never goes back in time: the version of a register it reads never falls below one
 *   it read or wrote (acknowledged) before, and once it has seen zxid Z (any register's mzxid) it
 *   never reads a register in a state older than Z.
 * - sync + read: the read returns a version ≥ every write acknowledged — or read, hence committed —
 *   by anyone before the sync was invoked.
 */
import type { History, Operation } from './history.js';
import { versionsWithMzxid, type VersionTable } from './version-table.js';
import type { Violation } from './violation.js';

interface Seen {
  version: number;
  by: number;
  ownWrite: boolean;
}

function bySession(history: History): Map<string, Operation[]> {
  const sessions = new Map<string, Operation[]>();
  for (const op of history.operations) {
    let list = sessions.get(op.session);
    if (list === undefined) sessions.set(op.session, (list = []));
    list.push(op);
  }
  for (const list of sessions.values()) list.sort((a, b) => a.invokedAtMs - b.invokedAtMs || a.id - b.id);
  return sessions;
}

export function checkSessions(history: History, table: VersionTable): Violation[] {
  const violations: Violation[] = [];
  for (const [session, ops] of bySession(history)) {
    const seen = new Map<string, Seen>();
    let horizon: { zxid: bigint; by: number } | undefined;
    for (const op of ops) {
      if (op.kind === 'sync' || op.outcome.type !== 'ok') continue;
      const { version, mzxid } = op.outcome;
      const before = seen.get(op.register);
      if (op.kind === 'read' && before !== undefined && version < before.version) {
        const kind = before.ownWrite ? 'stale-after-own-write' : 'non-monotonic-read';
        violations.push({ kind, message: `session ${session} read ${op.register} v${version} (#${op.id}) after ${before.ownWrite ? 'its own write of' : 'reading'} v${before.version} (#${before.by})`, operations: [before.by, op.id] });
      } else if (op.kind === 'read' && horizon !== undefined) {
        const newer = versionsWithMzxid(table, op.register).find((facts) => facts.version > version && facts.mzxid <= horizon!.zxid);
        if (newer !== undefined) {
          violations.push({
            kind: 'zxid-regression',
            message: `session ${session} had seen zxid 0x${horizon.zxid.toString(16)} (#${horizon.by}), when ${op.register} was already at v${newer.version} (mzxid 0x${newer.mzxid.toString(16)}), yet read v${version} (#${op.id})`,
            operations: [horizon.by, newer.reportedBy[0]!, op.id],
          });
        }
      }
      if (before === undefined || version > before.version) seen.set(op.register, { version, by: op.id, ownWrite: op.kind === 'cas' });
      if (horizon === undefined || mzxid > horizon.zxid) horizon = { zxid: mzxid, by: op.id };
    }
  }
  return violations;
}

/** Per register: the highest version acknowledged or read by each completion time, in time order. */
function committedByTime(history: History): Map<string, Array<{ atMs: number; version: number; by: number }>> {
  const timelines = new Map<string, Array<{ atMs: number; version: number; by: number }>>();
  for (const op of history.operations) {
    if (op.kind === 'sync' || op.outcome.type !== 'ok') continue;
    let timeline = timelines.get(op.register);
    if (timeline === undefined) timelines.set(op.register, (timeline = []));
    timeline.push({ atMs: op.completedAtMs, version: op.outcome.version, by: op.id });
  }
  for (const timeline of timelines.values()) {
    timeline.sort((a, b) => a.atMs - b.atMs || a.by - b.by);
    for (let i = 1; i < timeline.length; i += 1) if (timeline[i]!.version < timeline[i - 1]!.version) timeline[i] = { ...timeline[i - 1]!, atMs: timeline[i]!.atMs };
  }
  return timelines;
}

/** The last entry completed strictly before atMs (binary search), if any. */
function latestBefore<T extends { atMs: number }>(timeline: readonly T[], atMs: number): T | undefined {
  let [low, high] = [0, timeline.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (timeline[middle]!.atMs < atMs) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? undefined : timeline[low - 1];
}

export function checkSyncFreshness(history: History): Violation[] {
  const violations: Violation[] = [];
  const timelines = committedByTime(history);
  const syncs = new Map(history.operations.filter((op) => op.kind === 'sync').map((op) => [op.id, op]));
  for (const op of history.operations) {
    if (op.kind !== 'read' || op.afterSync === undefined || op.outcome.type !== 'ok') continue;
    const sync = syncs.get(op.afterSync);
    if (sync === undefined || sync.outcome.type !== 'ok') continue;
    const required = latestBefore(timelines.get(op.register) ?? [], sync.invokedAtMs);
    if (required === undefined || op.outcome.version >= required.version) continue;
    violations.push({
      kind: 'stale-after-sync',
      message: `read #${op.id} after sync #${sync.id} (invoked at ${sync.invokedAtMs} ms) returned ${op.register} v${op.outcome.version}, but #${required.by} had already completed with v${required.version}`,
      operations: [required.by, sync.id, op.id],
    });
  }
  return violations;
}
