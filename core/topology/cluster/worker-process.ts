/**
 * Entry point of a worker process: `--module M --worker ID --assignment FILE [--name N]
 * [--inactive] [--arg k=v]...`; prints "worker <id> ready" once its tasks run; on SIGTERM/SIGINT
 * prints "stats <json>" (its tasks' figures) and stops them. Started by a supervisor, it also
 * speaks over the IPC channel the supervisor opens: `{ ready: true }` once the tasks run, `{ active: boolean }` from the
 * supervisor to pause or resume the spouts (`--inactive` starts paused), and a stop when the
 * channel closes — a supervisor killed with -9 takes its workers with it, so no orphan keeps
 * running an assignment nimbus has already moved elsewhere.
 */
import { readFileSync } from 'node:fs';
import { createLogger } from '../../telemetry/logger.js';
import type { Assignment } from '../distributed/assignment.js';
import { loadTopologyModule } from '../distributed/topology-module.js';
import { Worker } from '../distributed/worker.js';
import { InvalidClusterOptionError } from './errors.js';
import { WORKER_STOP_WAIT_MS } from './limits.js';

interface WorkerArguments {
  module: string;
  worker: string;
  assignment: string;
  name: string;
  inactive: boolean;
  args: Record<string, string>;
}

function parseArguments(argv: readonly string[]): WorkerArguments {
  const values = new Map<string, string>();
  const args: Record<string, string> = {};
  let inactive = false;
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] ?? '';
    if (flag === '--inactive') {
      inactive = true;
      continue;
    }
    const value = argv[++index];
    if (!flag.startsWith('--') || value === undefined) throw new InvalidClusterOptionError(flag, 'usage: worker-process --module M --worker ID --assignment FILE [--name N] [--inactive] [--arg k=v]...');
    if (flag === '--arg') {
      const equals = value.indexOf('=');
      args[value.slice(0, equals)] = value.slice(equals + 1);
    } else values.set(flag.slice(2), value);
  }
  const need = (name: string): string => {
    const value = values.get(name);
    if (value === undefined) throw new InvalidClusterOptionError(`--${name}`, 'is required');
    return value;
  };
  return { module: need('module'), worker: need('worker'), assignment: need('assignment'), name: values.get('name') ?? 'topology', inactive, args };
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const logger = createLogger({ name: `worker-${options.worker}`, level: process.env.BARISTA_LOG_LEVEL ?? 'warn' });
  const assignment = JSON.parse(readFileSync(options.assignment, 'utf8')) as Assignment;
  const built = await loadTopologyModule(options.module, options.args);
  const worker = await Worker.start({ topologyName: options.name, workerId: options.worker, topology: built.topology, config: built.config ?? {}, assignment, logger });
  if (options.inactive) worker.running.setActive(false);
  worker.running.errors$.subscribe((error) => logger.warn({ err: error }, error.message));
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`stats ${JSON.stringify(worker.running.statsSnapshot())}\n`);
    void worker.stop(WORKER_STOP_WAIT_MS).then(() => process.exit(0));
  };
  process.on('message', (message: { active?: unknown }) => {
    if (typeof message.active === 'boolean') worker.running.setActive(message.active);
  });
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`worker ${options.worker} ready\n`);
  process.send?.({ ready: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`barista worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
