/**
 * Entry point of a worker process: `node worker-main.js --module <topology module .js>
 * --worker <id> --assignment <assignment.json> [--name <topology>] [--arg key=value]...`.
 * Prints "worker <id> ready" once its tasks run; on SIGTERM/SIGINT it stops them (waiting briefly
 * for pending trees) and exits 0. Supervisors start these (and restart them when they die).
 */
import { readFileSync } from 'node:fs';
import { createLogger } from '../../telemetry/logger.js';
import type { Assignment } from './assignment.js';
import { loadTopologyModule } from './topology-module.js';
import { Worker } from './worker.js';

const STOP_WAIT_MS = 2_000;

function parseArguments(argv: readonly string[]): { module: string; worker: string; assignment: string; name: string; args: Record<string, string> } {
  const values = new Map<string, string>();
  const args: Record<string, string> = {};
  for (let index = 0; index < argv.length; index += 2) {
    const flag = argv[index];
    const value = argv[index + 1];
    if (flag === undefined || value === undefined || !flag.startsWith('--')) throw new Error(`usage: worker-main --module M --worker ID --assignment FILE [--name N] [--arg k=v]...; bad argument ${String(flag)}`);
    if (flag === '--arg') {
      const [key, ...rest] = value.split('=');
      args[key ?? ''] = rest.join('=');
    } else values.set(flag.slice(2), value);
  }
  const need = (name: string): string => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`worker-main: --${name} is required`);
    return value;
  };
  return { module: need('module'), worker: need('worker'), assignment: need('assignment'), name: values.get('name') ?? 'topology', args };
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const logger = createLogger({ name: `worker-${options.worker}`, level: process.env.BARISTA_LOG_LEVEL ?? 'warn' });
  const assignment = JSON.parse(readFileSync(options.assignment, 'utf8')) as Assignment;
  const built = await loadTopologyModule(options.module, options.args);
  const worker = await Worker.start({ topologyName: options.name, workerId: options.worker, topology: built.topology, config: built.config ?? {}, assignment, logger });
  worker.running.errors$.subscribe((error) => logger.warn({ err: error }, error.message));
  process.stdout.write(`worker ${options.worker} ready\n`);
  const stop = (): void => {
    // Operators (and the cluster benchmark) read the figures of this worker's tasks from its last line.
    process.stdout.write(`stats ${JSON.stringify(worker.running.statsSnapshot())}\n`);
    void worker.stop(STOP_WAIT_MS).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`barista worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
