/**
 * What a history says each version of each register was: the value and mzxid reported by every
 * acknowledged write and every successful read that saw it. A version is one state of a znode,
 * so every report of it must agree; disagreement means two writers got the same version, or two
 * replicas hold different histories.
 */
import type { CasOperation, History } from './history.js';
import type { Violation } from './violation.js';

export interface VersionFacts {
  version: number;
  value: string;
  /** Unknown only for the initial version when nobody read it. */
  mzxid: bigint | undefined;
  /** Operations that reported this version (the first one set value and mzxid). */
  reportedBy: number[];
}

/** The reporter id of a register's initial state (no operation reported it). */
const INITIAL = -1;

/** register → version → facts. */
export type VersionTable = Map<string, Map<number, VersionFacts>>;

/** Every CAS of the history by id, for tracing a value back to its writer. */
export function casById(history: History): Map<number, CasOperation> {
  const byId = new Map<number, CasOperation>();
  for (const op of history.operations) if (op.kind === 'cas') byId.set(op.id, op);
  return byId;
}

function report(table: VersionTable, violations: Violation[], register: string, facts: Omit<VersionFacts, 'reportedBy'>, byId: number): void {
  let versions = table.get(register);
  if (versions === undefined) table.set(register, (versions = new Map()));
  const known = versions.get(facts.version);
  if (known === undefined) {
    versions.set(facts.version, { ...facts, reportedBy: [byId] });
    return;
  }
  const sameValue = known.value === facts.value;
  const sameMzxid = known.mzxid === undefined || facts.mzxid === undefined || known.mzxid === facts.mzxid;
  if (sameValue && sameMzxid) {
    known.mzxid ??= facts.mzxid;
    known.reportedBy.push(byId);
    return;
  }
  violations.push({
    kind: 'version-conflict',
    message: `${register} v${facts.version} reported as "${known.value}" (mzxid ${known.mzxid}) by #${known.reportedBy[0]} and as "${facts.value}" (mzxid ${facts.mzxid}) by #${byId}`,
    operations: [known.reportedBy[0]!, byId].filter((id) => id !== INITIAL),
  });
}

/** Builds the table and reports versions described two different ways. */
export function buildVersionTable(history: History): { table: VersionTable; violations: Violation[] } {
  const table: VersionTable = new Map();
  const violations: Violation[] = [];
  for (const [register, initial] of history.initial) report(table, violations, register, { ...initial, mzxid: undefined }, INITIAL);
  for (const op of history.operations) {
    if (op.outcome.type !== 'ok') continue;
    if (op.kind === 'read') report(table, violations, op.register, op.outcome, op.id);
    if (op.kind === 'cas') report(table, violations, op.register, { version: op.outcome.version, value: op.value, mzxid: op.outcome.mzxid }, op.id);
  }
  return { table, violations };
}

/** The known versions of a register with an mzxid, in version order. */
export function versionsWithMzxid(table: VersionTable, register: string): Array<VersionFacts & { mzxid: bigint }> {
  return [...(table.get(register)?.values() ?? [])].filter((facts): facts is VersionFacts & { mzxid: bigint } => facts.mzxid !== undefined).sort((a, b) => a.version - b.version);
}
