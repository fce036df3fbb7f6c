/**
 * What the word-count example's processes (run-topology.ts, lambda-speed.ts) share: their flags'
 * usage errors, and the life of a topology in a LocalCluster from submission until SIGTERM or
 * SIGINT, then a clean stop — the trees in flight get SHUTDOWN_WAIT_SECS to finish and the spout
 * commits what is acked. Killed with SIGKILL such a process commits nothing more.
 */
import { pathToFileURL } from 'node:url';
import type { TopologyConfig } from '../../core/topology/api/config.js';
import type { TopologyDefinition } from '../../core/topology/builder/topology-definition.js';
import { LocalCluster } from '../../core/topology/runtime/local-cluster.js';
import type { Logger } from '../../core/telemetry/logger.js';

/** How long a stopping topology lets the trees in flight finish. */
export const SHUTDOWN_WAIT_SECS = 5;
const MAX_PORT = 65_535;

export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`--${option} is ${JSON.stringify(value)}; expected ${expected}`);
    this.name = 'UsageError';
  }
}

export function requiredOption(option: string, value: string | undefined): string {
  if (value === undefined || value.length === 0) throw new UsageError(option, value, 'a value');
  return value;
}

/** A required `host:port` flag. */
export function endpointOption(option: string, value: string | undefined): { host: string; port: number } {
  const match = /^(.+):(\d+)$/.exec(requiredOption(option, value));
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > MAX_PORT) throw new UsageError(option, value, 'host:port');
  return { host: match[1]!, port };
}

export function positiveIntegerOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new UsageError(option, value, 'a positive integer');
  return parsed;
}

/** The next SIGTERM or SIGINT; ask for it before starting anything, so that none is missed. */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolveSignal(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

export interface TopologyRun {
  readonly name: string;
  readonly config: TopologyConfig;
  readonly topology: TopologyDefinition;
  readonly logger: Logger;
  /** Printed on stdout once the topology runs (tests wait for it), and logged with `details`. */
  readonly readyLine: string;
  readonly details: Record<string, unknown>;
  /** From nextStopSignal(), taken before the process started its work. */
  readonly stop: Promise<NodeJS.Signals>;
}

/** Runs the topology in a LocalCluster until `stop` resolves, then stops it cleanly. */
export async function runTopologyUntilStopped(run: TopologyRun): Promise<void> {
  const { logger } = run;
  const cluster = new LocalCluster({ logger });
  cluster.errors$.subscribe(({ error }) => logger.warn({ component: error.componentId, task: error.taskId, err: error }, 'user code error'));
  await cluster.submitTopology(run.name, run.config, run.topology);
  logger.info(run.details, run.readyLine);
  process.stdout.write(`${run.readyLine}\n`);
  const received = await run.stop;
  logger.info({ signal: received }, 'stopping: finishing the trees in flight, committing offsets');
  await cluster.killTopology(run.name, { waitSecs: SHUTDOWN_WAIT_SECS });
  await cluster.shutdown();
}

/** Runs `main` when `moduleUrl` is the script node was started with: exit 0, or 1 with the error on stderr. */
export function runIfMain(moduleUrl: string, programName: string, main: () => Promise<void>): void {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${programName}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
