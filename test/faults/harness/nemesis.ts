/**
 * The nemesis: a seeded schedule of faults against a cluster of real processes, and the loop that
 * applies it. The schedule is a pure function of (seed, duration, node count, the kinds of fault
 * the scenario can inject), so `FAULT_SEED=<seed>` replays the same faults against the same nodes
 * in the same order; timing comes from real processes, so a replay is close, not identical.
 *
 * One fault at a time, each healed before the next one starts, with a quiet gap in between: the
 * suites check safety (no acknowledged write lost, histories linearizable), and a fault that is
 * never healed only tests availability. Every fault touches at most a minority of the nodes.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mulberry32 } from '../../../core/random/mulberry32.js';

/** Every kind of fault the nemesis plans; FAULT_KINDS= and the property tests take this list. */
export const FAULT_KINDS = ['kill', 'pause', 'partition', 'delay', 'torn-write', 'clock-skew'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultStep {
  /** Position in the schedule, from 1. */
  readonly index: number;
  readonly kind: FaultKind;
  /** Quiet time before the fault starts. */
  readonly gapMs: number;
  /** How long the fault lasts before it is healed (a kill: how long the node stays down). */
  readonly holdMs: number;
  /** The node(s) the fault hits: the killed, paused, torn or delayed node, or the isolated side of a partition. */
  readonly nodes: readonly number[];
  /** torn-write: bytes cut off the tail of the node's newest data file. */
  readonly tornBytes?: number;
  /** delay: latency added to every chunk into the node. */
  readonly delayMs?: number;
  /** clock-skew: how far the node's wall clock is set ahead (positive) or behind (negative). */
  readonly skewMs?: number;
}

export interface FaultPlanOptions {
  readonly seed: number;
  readonly durationMs: number;
  readonly nodeCount: number;
  /** The faults this scenario can inject. */
  readonly kinds: readonly FaultKind[];
}

/** Quiet time between two faults, so the cluster can settle and the workload make progress. */
export const FAULT_GAP_MS = { min: 500, max: 2_000 } as const;
/** How long each kind of fault lasts. Pauses reach past a 3 s coord session on purpose. */
export const FAULT_HOLD_MS: Readonly<Record<FaultKind, { min: number; max: number }>> = {
  kill: { min: 300, max: 2_500 },
  pause: { min: 300, max: 4_000 },
  partition: { min: 1_000, max: 5_000 },
  delay: { min: 1_000, max: 4_000 },
  'torn-write': { min: 300, max: 1_500 },
  'clock-skew': { min: 1_000, max: 5_000 },
};
/** A torn write tears the last record or two, never a whole file. */
export const TORN_BYTES = { min: 1, max: 64 } as const;
export const DELAY_MS = { min: 10, max: 250 } as const;
/**
 * How far a skewed clock is off, either way. The upper end passes the HLC's 10 s drift limit
 * (DEFAULT_HLC_MAX_DRIFT_MS) on purpose: a peer's timestamp beyond it is refused, and that path must
 * be exercised too. The lower end is far above loopback latency, so a skew is never lost in noise.
 */
export const CLOCK_SKEW_MS = { min: 1_000, max: 20_000 } as const;
/** No schedule is longer than this, whatever the duration (a bound on a runaway loop). */
export const MAX_FAULT_STEPS = 10_000;

export class FaultPlanError extends Error {
  readonly code = 'FAULT_PLAN_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'FaultPlanError';
  }
}

/** The schedule for a run: steps whose gaps and holds add up to at most `durationMs`. */
export function planFaults(options: FaultPlanOptions): FaultStep[] {
  const { seed, durationMs, nodeCount, kinds } = options;
  if (kinds.length === 0) throw new FaultPlanError('planFaults needs at least one kind of fault');
  if (nodeCount < 3) throw new FaultPlanError(`planFaults needs at least 3 nodes so that a fault leaves a majority up, not ${nodeCount}`);
  const random = mulberry32(seed);
  const between = (range: { min: number; max: number }) => range.min + Math.floor(random() * (range.max - range.min + 1));
  const minorityMax = Math.floor((nodeCount - 1) / 2);
  const steps: FaultStep[] = [];
  let elapsedMs = 0;
  while (steps.length < MAX_FAULT_STEPS) {
    const kind = kinds[Math.floor(random() * kinds.length)]!;
    const gapMs = between(FAULT_GAP_MS);
    const holdMs = between(FAULT_HOLD_MS[kind]);
    if (elapsedMs + gapMs + holdMs > durationMs) break;
    elapsedMs += gapMs + holdMs;
    // A torn write is a crash: one node at a time. A partition isolates a minority.
    const victims = kind === 'partition' ? between({ min: 1, max: minorityMax }) : 1;
    const nodes = pick(random, nodeCount, victims);
    const extra = faultParameters(kind, random, between);
    steps.push({ index: steps.length + 1, kind, gapMs, holdMs, nodes, ...extra });
  }
  return steps;
}

/** What a kind of fault needs beyond its nodes and timing, drawn from the schedule's random stream. */
function faultParameters(kind: FaultKind, random: () => number, between: (range: { min: number; max: number }) => number): Pick<FaultStep, 'tornBytes' | 'delayMs' | 'skewMs'> {
  switch (kind) {
    case 'torn-write':
      return { tornBytes: between(TORN_BYTES) };
    case 'delay':
      return { delayMs: between(DELAY_MS) };
    case 'clock-skew':
      return { skewMs: (random() < 0.5 ? -1 : 1) * between(CLOCK_SKEW_MS) };
    default:
      return {};
  }
}

/** `count` distinct nodes out of `nodeCount`, ascending. */
function pick(random: () => number, nodeCount: number, count: number): number[] {
  const pool = Array.from({ length: nodeCount }, (_, node) => node);
  const chosen: number[] = [];
  for (let i = 0; i < count; i += 1) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return chosen.sort((a, b) => a - b);
}

/** What a scenario's cluster offers the nemesis. Only the kinds a scenario plans need to work. */
export interface FaultTarget {
  readonly nodeNames: readonly string[];
  kill(node: number): Promise<void>;
  restart(node: number): Promise<void>;
  /** SIGSTOP / SIGCONT: the process keeps its sockets but answers nothing. */
  pause(node: number): void;
  resume(node: number): void;
  /** Cuts every link between `side` and the other nodes. */
  partition(side: readonly number[]): void;
  heal(): void;
  delay(node: number, delayMs: number): void;
  undelay(node: number): void;
  /**
   * Sets the node's wall clock `offsetMs` off the real one (0 restores it), without a restart:
   * only scenarios that plan clock-skew offer it. Monotonic time (timers) is left alone.
   */
  skewClock?(node: number, offsetMs: number): Promise<void>;
  /** The directory and which files of it hold the node's durable data (torn-write). */
  dataFiles(node: number): { directory: string; pattern: RegExp };
  /** Waits (bounded) until the cluster is whole again after a fault; throws if it does not get there. */
  settle(): Promise<void>;
}

export interface FaultRecord {
  readonly step: FaultStep;
  /** Since the nemesis started. */
  readonly startedAtMs: number;
  readonly description: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface NemesisOutcome {
  readonly records: readonly FaultRecord[];
  /** Why the nemesis stopped early: a fault could not be applied or healed, or the cluster did not settle. */
  readonly failure?: string;
}

/** One line per applied fault, with the seed that replays it. */
export function faultLine(seed: number, record: FaultRecord): string {
  return `[seed ${seed} +${(record.startedAtMs / 1000).toFixed(1)} s] fault #${record.step.index}: ${record.description}`;
}

/**
 * Applies the plan until it ends or `durationMs` has passed (real restarts take longer than
 * planned), healing each fault and letting the cluster settle before the next. A fault that cannot
 * be applied or healed ends the run with a failure rather than an exception, so the records so
 * far still reach the report.
 */
export async function runNemesis(plan: readonly FaultStep[], target: FaultTarget, options: { seed: number; durationMs: number; log: (line: string) => void }): Promise<NemesisOutcome> {
  const startedAt = performance.now();
  const records: FaultRecord[] = [];
  for (const step of plan) {
    await sleep(step.gapMs);
    const startedAtMs = performance.now() - startedAt;
    if (startedAtMs + step.holdMs > options.durationMs) break;
    try {
      const description = await applyFault(step, target);
      records.push({ step, startedAtMs, description });
      options.log(faultLine(options.seed, records.at(-1)!));
      await target.settle();
    } catch (error) {
      const failure = `fault #${step.index} (${step.kind} of ${step.nodes.map((node) => target.nodeNames[node]).join(', ')}): ${error instanceof Error ? error.message : String(error)}`;
      options.log(`[seed ${options.seed}] ${failure}`);
      return { records, failure };
    }
  }
  return { records };
}

async function applyFault(step: FaultStep, target: FaultTarget): Promise<string> {
  const names = step.nodes.map((node) => target.nodeNames[node] ?? `node ${node}`).join(', ');
  const node = step.nodes[0]!;
  switch (step.kind) {
    case 'kill':
      await target.kill(node);
      await sleep(step.holdMs);
      await target.restart(node);
      return `kill -9 ${names}, restarted after ${step.holdMs} ms down`;
    case 'pause':
      target.pause(node);
      await sleep(step.holdMs).finally(() => target.resume(node));
      return `SIGSTOP ${names}, SIGCONT after ${step.holdMs} ms`;
    case 'partition':
      target.partition(step.nodes);
      await sleep(step.holdMs).finally(() => target.heal());
      return `partition [${names}] from the rest, healed after ${step.holdMs} ms`;
    case 'delay':
      target.delay(node, step.delayMs ?? 0);
      await sleep(step.holdMs).finally(() => target.undelay(node));
      return `delay ${step.delayMs} ms into ${names} for ${step.holdMs} ms`;
    case 'clock-skew': {
      const skewClock = target.skewClock?.bind(target);
      if (skewClock === undefined) throw new FaultPlanError('this scenario cannot skew clocks; leave clock-skew out of its kinds');
      const skewMs = step.skewMs ?? 0;
      await skewClock(node, skewMs);
      await sleep(step.holdMs).finally(() => skewClock(node, 0));
      return `clock of ${names} ${skewMs >= 0 ? '+' : ''}${skewMs} ms for ${step.holdMs} ms, then restored`;
    }
    case 'torn-write': {
      await target.kill(node);
      const torn = await tearNewestFile(target.dataFiles(node), step.tornBytes ?? 0);
      await sleep(step.holdMs);
      await target.restart(node);
      return `kill -9 ${names}, ${torn}, restarted after ${step.holdMs} ms down`;
    }
  }
}

/**
 * A torn write: cuts `bytes` off the tail of the most recently modified non-empty file matching
 * `pattern` below `directory` (never more than the file holds). Says what it did.
 */
export async function tearNewestFile(files: { directory: string; pattern: RegExp }, bytes: number): Promise<string> {
  let newest: { path: string; size: number; modifiedMs: number } | undefined;
  for (const entry of await readdir(files.directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !files.pattern.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const { size, mtimeMs } = await stat(path);
    if (size > 0 && (newest === undefined || mtimeMs > newest.modifiedMs)) newest = { path, size, modifiedMs: mtimeMs };
  }
  // Files written back to back share a modification time: within the newest file's directory, the
  // one a crash can tear is the last of the sequence (data files are numbered, zero-padded). When
  // that one is still empty there is nothing a crash could tear: older files were synced on roll.
  if (newest !== undefined) {
    const directory = dirname(newest.path);
    const last = (await readdir(directory)).filter((name) => files.pattern.test(name)).sort().at(-1)!;
    const { size, mtimeMs } = await stat(join(directory, last));
    if (size === 0) return `nothing to tear: the newest file, ${join(directory, last)}, is empty`;
    newest = { path: join(directory, last), size, modifiedMs: mtimeMs };
  }
  if (newest === undefined) return `no data file matching ${files.pattern} to tear in ${files.directory}`;
  const cut = Math.min(bytes, newest.size);
  const handle = await open(newest.path, 'r+');
  try {
    await handle.truncate(newest.size - cut);
  } finally {
    await handle.close();
  }
  return `tore ${cut} bytes off ${newest.path} (${newest.size} → ${newest.size - cut})`;
}
