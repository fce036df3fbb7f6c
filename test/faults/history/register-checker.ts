/**
 * A checker for histories of compare-and-set registers on a ZooKeeper-protocol service. Pure and
 * deterministic: a history in, the violated guarantees out (empty when the history is valid).
 *
 * What it holds the service to (ZooKeeper's guarantees):
 * - writes are linearizable: acknowledged CAS versions are unique, each CAS on version k makes
 *   k + 1, versions follow real time (a write acknowledged before another is invoked gets the
 *   lower version) and their mzxids grow with them;
 * - nothing appears that was never invoked: every value read traces back to a CAS of that
 *   version that was invoked before the read completed and did not definitely fail — while a
 *   CAS whose outcome is unknown may or may not have taken effect;
 * - the final state (read from every server after the faults) agrees, holds every acknowledged
 *   write, and each version up to it has a writer;
 * - reads are sequentially consistent per session and fresh after sync (session-checker.ts).
 */
import { writerOf, type CasOperation, type History, type ReadOperation, type RegisterState } from './history.js';
import { checkSessions, checkSyncFreshness } from './session-checker.js';
import { buildVersionTable, casById, versionsWithMzxid, type VersionTable } from './version-table.js';
import type { Violation } from './violation.js';

export type { Violation, ViolationKind } from './violation.js';

export function checkRegisterHistory(history: History): Violation[] {
  const { table, violations } = buildVersionTable(history);
  const writers = casById(history);
  return [
    ...violations,
    ...checkAcknowledgedCas(history),
    ...checkProvenance(history, table, writers),
    ...checkMzxidOrder(table),
    ...checkRealTimeOrder(history, table),
    ...checkFinalState(history, table),
    ...checkSessions(history, table),
    ...checkSyncFreshness(history),
  ];
}

function acknowledgedCas(history: History): Array<CasOperation & { outcome: { type: 'ok'; version: number; mzxid: bigint } }> {
  return history.operations.filter((op): op is CasOperation & { outcome: { type: 'ok'; version: number; mzxid: bigint } } => op.kind === 'cas' && op.outcome.type === 'ok');
}

/** Each acknowledged CAS made exactly the next version, and no two made the same one. */
function checkAcknowledgedCas(history: History): Violation[] {
  const violations: Violation[] = [];
  const owner = new Map<string, number>();
  for (const op of acknowledgedCas(history)) {
    if (op.outcome.version !== op.expectedVersion + 1) {
      violations.push({ kind: 'cas-version', message: `CAS #${op.id} on ${op.register} v${op.expectedVersion} was acknowledged with v${op.outcome.version}`, operations: [op.id] });
    }
    const key = `${op.register}@${op.outcome.version}`;
    const previous = owner.get(key);
    if (previous === undefined) owner.set(key, op.id);
    else violations.push({ kind: 'duplicate-version', message: `CAS #${previous} and #${op.id} were both acknowledged with ${op.register} v${op.outcome.version}`, operations: [previous, op.id] });
  }
  return violations;
}

/** Every version seen traces back to a CAS of that version that could have applied, in time. */
function checkProvenance(history: History, table: VersionTable, writers: Map<number, CasOperation>): Violation[] {
  const violations: Violation[] = [];
  for (const [register, versions] of table) {
    const initialVersion = history.initial.get(register)?.version ?? 0;
    for (const facts of versions.values()) {
      if (facts.version === initialVersion) continue;
      const writer = writers.get(writerOf(facts.value) ?? -1);
      const fits = writer !== undefined && writer.register === register && writer.expectedVersion === facts.version - 1 && writer.value === facts.value;
      if (fits && writer.outcome.type !== 'failed') continue;
      const why = !fits ? 'no invoked CAS wrote that value at that version' : `its CAS #${writer.id} failed definitely (${writer.outcome.type === 'failed' ? writer.outcome.error : ''})`;
      violations.push({ kind: 'phantom-write', message: `${register} v${facts.version} = "${facts.value}" (reported by #${facts.reportedBy.join(', #')}): ${why}`, operations: facts.reportedBy });
    }
  }
  for (const op of history.operations) {
    if (op.kind !== 'read' || op.outcome.type !== 'ok') continue;
    const writer = writers.get(writerOf(op.outcome.value) ?? -1);
    if (writer !== undefined && op.completedAtMs < writer.invokedAtMs) {
      violations.push({ kind: 'read-before-write', message: `read #${op.id} completed at ${op.completedAtMs} ms with "${op.outcome.value}", written by #${writer.id} invoked only at ${writer.invokedAtMs} ms`, operations: [op.id, writer.id] });
    }
  }
  return violations;
}

/** Later versions of a register were written by later transactions. */
function checkMzxidOrder(table: VersionTable): Violation[] {
  const violations: Violation[] = [];
  for (const register of table.keys()) {
    const versions = versionsWithMzxid(table, register);
    for (let i = 1; i < versions.length; i += 1) {
      const [before, after] = [versions[i - 1]!, versions[i]!];
      if (after.mzxid > before.mzxid) continue;
      violations.push({ kind: 'mzxid-order', message: `${register} v${after.version} has mzxid 0x${after.mzxid.toString(16)}, not above v${before.version}'s 0x${before.mzxid.toString(16)}`, operations: [before.reportedBy[0]!, after.reportedBy[0]!] });
    }
  }
  return violations;
}

/**
 * Write A acknowledged before write B was invoked ⇒ version(A) < version(B). B may be an unknown
 * CAS whose value was read (its version is then known); A must be acknowledged, since an unknown
 * write may take effect after its client gave up on it.
 */
function checkRealTimeOrder(history: History, table: VersionTable): Violation[] {
  const violations: Violation[] = [];
  const versionOfWriter = new Map<number, number>();
  for (const versions of table.values()) for (const facts of versions.values()) if (writerOf(facts.value) !== undefined) versionOfWriter.set(writerOf(facts.value)!, facts.version);
  const acked = acknowledgedCas(history).sort((a, b) => a.completedAtMs - b.completedAtMs);
  const known = history.operations
    .filter((op): op is CasOperation => op.kind === 'cas' && op.outcome.type !== 'failed' && versionOfWriter.has(op.id))
    .sort((a, b) => a.invokedAtMs - b.invokedAtMs);
  const highest = new Map<string, CasOperation & { outcome: { type: 'ok'; version: number } }>();
  let next = 0;
  for (const write of known) {
    for (; next < acked.length && acked[next]!.completedAtMs < write.invokedAtMs; next += 1) {
      const candidate = acked[next]!;
      const current = highest.get(candidate.register);
      if (current === undefined || candidate.outcome.version > current.outcome.version) highest.set(candidate.register, candidate);
    }
    const before = highest.get(write.register);
    const version = versionOfWriter.get(write.id)!;
    if (before !== undefined && before.outcome.version >= version) {
      violations.push({
        kind: 'real-time-order',
        message: `CAS #${before.id} was acknowledged with ${write.register} v${before.outcome.version} at ${before.completedAtMs} ms, before CAS #${write.id} was invoked (${write.invokedAtMs} ms), which got v${version}`,
        operations: [before.id, write.id],
      });
    }
  }
  return violations;
}

type OkRead = ReadOperation & { outcome: { type: 'ok' } & RegisterState };

/** Final reads agree, keep every acknowledged write, and every version up to them has a writer. */
function checkFinalState(history: History, table: VersionTable): Violation[] {
  const violations: Violation[] = [];
  for (const [register, initial] of history.initial) {
    const finals = history.operations.filter((op): op is OkRead => op.kind === 'read' && op.final === true && op.register === register && op.outcome.type === 'ok');
    const first = finals[0];
    if (first === undefined) continue;
    const states = new Map(finals.map((op) => [`v${op.outcome.version} "${op.outcome.value}"`, op.id]));
    if (states.size > 1) violations.push({ kind: 'final-disagreement', message: `final reads of ${register} disagree: ${[...states].map(([state, id]) => `#${id} ${state}`).join(', ')}`, operations: [...states.values()] });
    const finalVersion = first.outcome.version;
    const cas = history.operations.filter((op): op is CasOperation => op.kind === 'cas' && op.register === register);
    for (const op of cas) {
      if (op.outcome.type === 'ok' && op.outcome.version > finalVersion) violations.push({ kind: 'lost-write', message: `CAS #${op.id} was acknowledged with ${register} v${op.outcome.version}, beyond the final v${finalVersion} (#${first.id})`, operations: [op.id, first.id] });
    }
    for (let version = initial.version + 1; version <= finalVersion; version += 1) {
      const possible = cas.some((op) => op.expectedVersion === version - 1 && op.outcome.type !== 'failed');
      if (!possible && table.get(register)?.get(version) === undefined) violations.push({ kind: 'chain-gap', message: `${register} reached v${finalVersion}, but no acknowledged or unknown CAS could have made v${version}`, operations: [first.id] });
    }
  }
  return violations;
}
