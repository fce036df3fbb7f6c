/**
 * The vocabulary of a recorded history of register operations against a ZooKeeper-protocol
 * service: one record per operation with its invocation and completion times (performance.now(),
 * one clock for every client of the test process), what it asked for and what came back.
 *
 * A register is a znode whose data is `<count>:<writer op id>` and whose Stat.version counts its
 * writes. Tagging each written value with the id of the operation that wrote it makes every value
 * unique, so a checker can tell which invocation produced a version it reads — and catch a value
 * that nobody ever invoked.
 */

/** How an operation ended. `unknown` (CONNECTIONLOSS and kin): it may or may not have taken effect. */
export type Outcome<Ok> = ({ type: 'ok' } & Ok) | { type: 'failed'; error: string } | { type: 'unknown'; error: string };

/** What a successful read or write of a register reports about it. */
export interface RegisterState {
  version: number;
  value: string;
  /** The zxid of the write that produced this version (Stat.mzxid). */
  mzxid: bigint;
}

interface OperationBase {
  /** Unique within the history; written into the values a CAS writes. */
  id: number;
  /** The logical client (one loop of the workload). */
  client: string;
  /** The ZooKeeper session the operation ran in: per-session guarantees hold within one. */
  session: string;
  invokedAtMs: number;
  /** When the client saw the answer (or the error); an unknown write may take effect even later. */
  completedAtMs: number;
}

export interface ReadOperation extends OperationBase {
  kind: 'read';
  register: string;
  /** Id of the acknowledged sync this session ran just before the read. */
  afterSync?: number;
  /** A read after the workload and the faults stopped, used to check the final state. */
  final?: boolean;
  outcome: Outcome<RegisterState>;
}

export interface CasOperation extends OperationBase {
  kind: 'cas';
  register: string;
  /** setData(register, value, expectedVersion): applies only if the version is still this one. */
  expectedVersion: number;
  value: string;
  outcome: Outcome<{ version: number; mzxid: bigint }>;
}

export interface SyncOperation extends OperationBase {
  kind: 'sync';
  outcome: Outcome<object>;
}

export type Operation = ReadOperation | CasOperation | SyncOperation;

export interface History {
  /** Each register's state before the workload (created before the first operation was invoked). */
  initial: ReadonlyMap<string, { version: number; value: string }>;
  operations: readonly Operation[];
}

/** The value a CAS writes: the next count, tagged with the operation that writes it. */
export function registerValue(count: number, writerId: number): string {
  return `${count}:${writerId}`;
}

/** The id of the operation that wrote a value, or undefined for an initial or malformed value. */
export function writerOf(value: string): number | undefined {
  const match = /^\d+:(\d+)$/.exec(value);
  return match ? Number(match[1]) : undefined;
}

/** The count part of a register value (NaN when malformed). */
export function countOf(value: string): number {
  return Number(value.split(':')[0]);
}

function describeOutcome(op: Operation): string {
  if (op.outcome.type !== 'ok') return `${op.outcome.type} (${op.outcome.error})`;
  if (op.kind === 'sync') return 'ok';
  const { version, mzxid } = op.kind === 'read' ? op.outcome : (op.outcome as { version: number; mzxid: bigint });
  const value = op.kind === 'read' && op.outcome.type === 'ok' ? ` "${op.outcome.value}"` : '';
  return `ok v${version}${value} mzxid 0x${mzxid.toString(16)}`;
}

/** One line per operation, for violation reports. */
export function describeOperation(op: Operation): string {
  const times = `${op.invokedAtMs.toFixed(1)}..${op.completedAtMs.toFixed(1)} ms`;
  const who = `#${op.id} ${op.client}/${op.session}`;
  const result = describeOutcome(op);
  if (op.kind === 'sync') return `${who} sync → ${result} [${times}]`;
  if (op.kind === 'read') return `${who} ${op.final ? 'final ' : ''}read ${op.register}${op.afterSync === undefined ? '' : ` after sync #${op.afterSync}`} → ${result} [${times}]`;
  return `${who} cas ${op.register} v${op.expectedVersion} := "${op.value}" → ${result} [${times}]`;
}
