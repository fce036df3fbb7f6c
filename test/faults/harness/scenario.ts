/**
 * What every fault scenario returns, and the pieces they share: signals for pausing a process,
 * the seed a run uses, and a bounded wait for a cluster to come back whole.
 */
import { readFile } from 'node:fs/promises';
import type { ManagedProcess } from '../../support/processes.js';
import { FAULT_KINDS, type FaultKind } from './nemesis.js';

export interface ScenarioResult {
  readonly scenario: string;
  readonly seed: number;
  /** Acknowledged operations (or records) the checker held to the scenario's guarantees. */
  readonly operationsChecked: number;
  readonly faultsInjected: number;
  /** Empty when every guarantee held. */
  readonly violations: readonly string[];
  /** The faults as applied, one line each (with the seed), for a report. */
  readonly faultLog: readonly string[];
  /** The history around the violations, when there are any. */
  readonly excerpt?: string;
}

export type Scenario = (seed: number, durationMs: number, log?: (line: string) => void) => Promise<ScenarioResult>;

/** `FAULT_SEED` when set (to replay a failing run), otherwise a fresh one. */
export function faultSeed(fallback?: number): number {
  const fromEnvironment = process.env.FAULT_SEED;
  if (fromEnvironment !== undefined && fromEnvironment !== '') return Number(fromEnvironment);
  return fallback ?? Math.floor(Math.random() * 2 ** 31);
}


/**
 * `FAULT_KINDS` (comma-separated) when set, to replay or probe with other faults than a scenario's
 * defaults — including ones it leaves out on purpose; otherwise the defaults.
 */
export function faultKinds(defaults: readonly FaultKind[]): readonly FaultKind[] {
  const fromEnvironment = process.env.FAULT_KINDS;
  if (fromEnvironment === undefined || fromEnvironment === '') return defaults;
  const kinds = fromEnvironment.split(',').map((kind) => kind.trim());
  const unknown = kinds.filter((kind) => !FAULT_KINDS.includes(kind as FaultKind));
  if (unknown.length > 0) throw new RangeError(`FAULT_KINDS has ${unknown.join(', ')}; the kinds are ${FAULT_KINDS.join(', ')}`);
  return kinds as FaultKind[];
}

/** SIGSTOP: the process keeps its sockets and its coord session, and answers nothing. */
export function pauseProcess(process_: ManagedProcess | undefined): void {
  if (process_?.running) process.kill(process_.pid, 'SIGSTOP');
}

export function resumeProcess(process_: ManagedProcess | undefined): void {
  if (process_?.running) process.kill(process_.pid, 'SIGCONT');
}

/** The value of `--flag` on a running process's command line (Linux /proc). */
export async function commandLineFlag(process_: ManagedProcess, flag: string): Promise<string> {
  const argv = (await readFile(`/proc/${process_.pid}/cmdline`, 'utf8')).split('\0');
  const value = argv[argv.indexOf(flag) + 1];
  if (!argv.includes(flag) || value === undefined) throw new Error(`${process_.name} (pid ${process_.pid}) was not started with ${flag}`);
  return value;
}

export class ClusterDidNotSettleError extends Error {
  readonly code = 'CLUSTER_DID_NOT_SETTLE';
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`the cluster was not whole again ${timeoutMs} ms after a fault healed: ${what}`);
    this.name = 'ClusterDidNotSettleError';
  }
}

/** Polls `whole` until it holds; throws ClusterDidNotSettleError naming what is still missing. */
export async function settleWithin(timeoutMs: number, whole: () => Promise<string | undefined>): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const missing = await whole().catch((error: unknown) => String(error));
    if (missing === undefined) return;
    if (performance.now() > deadline) throw new ClusterDidNotSettleError(missing, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
