#!/usr/bin/env node
/**
 * The word-count topology as a process: reads lines from a log topic, writes per-word deltas
 * keyed by their source to another (see topology.ts and word-deltas.ts), and keeps the spout's
 * committed offsets in a file. It runs in a LocalCluster until SIGTERM or SIGINT, then stops
 * cleanly: the spout stops emitting, the trees in flight get `SHUTDOWN_WAIT_SECS` to finish, the
 * sink sends what it holds and the spout commits what is acked. Killed with SIGKILL it commits
 * nothing more; started again with the same offsets file it resumes from the last commit, so the
 * lines after it are processed again (their deltas are duplicates a reader drops by key).
 *
 *   node dist/examples/wordcount/run-topology.js --bootstrap 127.0.0.1:9092 --topic raven \
 *     --out-topic raven-word-deltas --offsets .barista/wordcount-offsets.json
 *
 * Prints "wordcount topology running" on stdout once every component is ready; logs go to stderr.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LocalCluster } from '../../core/topology/runtime/local-cluster.js';
import type { TopologyConfig } from '../../core/topology/api/config.js';
import { createLogger } from '../../core/telemetry/logger.js';
import { FileOffsetStore } from '../../spouts/offset-store.js';
import { buildWordCountTopology } from './topology.js';

export const TOPOLOGY_NAME = 'wordcount';
export const READY_LINE = 'wordcount topology running';
/** How long a stopping topology lets the trees in flight finish. */
export const SHUTDOWN_WAIT_SECS = 5;

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

export interface RunOptions {
  readonly bootstrap: { host: string; port: number };
  readonly topic: string;
  readonly outTopic: string;
  readonly offsetsPath: string;
  /** topology.max.spout.pending (default: no limit besides backpressure). */
  readonly maxSpoutPending?: number;
  readonly emitsPerCall?: number;
  readonly lingerMs?: number;
  readonly commitIntervalMs?: number;
  readonly logLevel: string;
}

function positiveInteger(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new UsageError(option, value, 'a positive integer');
  return parsed;
}

function required(option: string, value: string | undefined): string {
  if (value === undefined || value.length === 0) throw new UsageError(option, value, 'a value');
  return value;
}

export function parseRunOptions(argv: readonly string[]): RunOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      bootstrap: { type: 'string' },
      topic: { type: 'string' },
      'out-topic': { type: 'string' },
      offsets: { type: 'string' },
      'max-spout-pending': { type: 'string' },
      'emits-per-call': { type: 'string' },
      'linger-ms': { type: 'string' },
      'commit-interval-ms': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
    },
    strict: true,
  });
  const bootstrap = required('bootstrap', values.bootstrap);
  const match = /^(.+):(\d+)$/.exec(bootstrap);
  if (match === null) throw new UsageError('bootstrap', bootstrap, 'host:port');
  const optional = (key: keyof RunOptions, value: number | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    bootstrap: { host: match[1]!, port: Number(match[2]) },
    topic: required('topic', values.topic),
    outTopic: required('out-topic', values['out-topic']),
    offsetsPath: resolve(required('offsets', values.offsets)),
    ...optional('maxSpoutPending', positiveInteger('max-spout-pending', values['max-spout-pending'])),
    ...optional('emitsPerCall', positiveInteger('emits-per-call', values['emits-per-call'])),
    ...optional('lingerMs', positiveInteger('linger-ms', values['linger-ms'])),
    ...optional('commitIntervalMs', positiveInteger('commit-interval-ms', values['commit-interval-ms'])),
    logLevel: values['log-level'],
  };
}

function nextSignal(): Promise<NodeJS.Signals> {
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

/** Runs the topology until SIGTERM or SIGINT, then stops it cleanly. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const options = parseRunOptions(argv);
  const logger = createLogger({ name: TOPOLOGY_NAME, level: options.logLevel });
  const signal = nextSignal();
  const topology = buildWordCountTopology({
    bootstrap: options.bootstrap,
    topic: options.topic,
    offsetStore: new FileOffsetStore(options.offsetsPath),
    sink: { kind: 'log', brokers: [`${options.bootstrap.host}:${options.bootstrap.port}`], topic: options.outTopic, ...(options.lingerMs !== undefined ? { lingerMs: options.lingerMs } : {}) },
    ...(options.commitIntervalMs !== undefined ? { commitIntervalMs: options.commitIntervalMs } : {}),
    ...(options.emitsPerCall !== undefined ? { emitsPerCall: options.emitsPerCall } : {}),
  });
  const config: TopologyConfig = { 'topology.max.spout.pending': options.maxSpoutPending ?? null };
  const cluster = new LocalCluster({ logger });
  cluster.errors$.subscribe(({ error }) => logger.warn({ component: error.componentId, task: error.taskId, err: error }, 'user code error'));
  await cluster.submitTopology(TOPOLOGY_NAME, config, topology);
  logger.info({ topic: options.topic, outTopic: options.outTopic, offsets: options.offsetsPath }, 'topology running');
  process.stdout.write(`${READY_LINE}\n`);
  const received = await signal;
  logger.info({ signal: received }, 'stopping: finishing the trees in flight, committing offsets');
  await cluster.killTopology(TOPOLOGY_NAME, { waitSecs: SHUTDOWN_WAIT_SECS });
  await cluster.shutdown();
  logger.info('stopped');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`run-topology: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
