/**
 * Real external processes for tests (redis-server, ZooKeeper, Barista services): started on a
 * loopback port, awaited until ready, and always cleaned up — by the test, or failing that when
 * the test process exits, so no server outlives its suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Keep the last part of a process's output for error messages. */
const OUTPUT_TAIL_BYTES = 8 * 1024;

export interface StartOptions {
  command: string;
  args?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Resolves when the process is ready to serve; polled until readyTimeoutMs. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /** Shown in errors. */
  name?: string;
}

export class ManagedProcess {
  private outputTail = '';
  private exited: Promise<number | null>;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    live.add(child);
    const capture = (chunk: Buffer) => {
      this.outputTail = (this.outputTail + chunk.toString()).slice(-OUTPUT_TAIL_BYTES);
    };
    child.stdout?.on('data', capture);
    child.stderr?.on('data', capture);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        live.delete(child);
        resolve(code);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.outputTail;
  }

  /** SIGTERM, then SIGKILL if it has not exited after graceMs. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** The crash the fault suites simulate: no chance to flush or say goodbye. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  waitForExit(): Promise<number | null> {
    return this.exited;
  }
}

export async function startProcess(options: StartOptions): Promise<ManagedProcess> {
  const name = options.name ?? options.command;
  const child = spawn(options.command, options.args ?? [], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const managed = new ManagedProcess(name, child);
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    const failure = await Promise.race([spawnError, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 0))]);
    if (failure) throw new Error(`could not start ${name}: ${failure.message}`);
    if (!managed.running) throw new Error(`${name} exited during start-up; its output:\n${managed.output()}`);
    if (await options.ready().catch(() => false)) return managed;
    if (Date.now() > deadline) {
      await managed.kill9();
      throw new Error(`${name} was not ready after ${options.readyTimeoutMs ?? 30_000} ms; its output:\n${managed.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs an inline ES module script (`node --input-type=module -e script ...args`) and kills it with
 * SIGKILL after `killAfterMs`; resolves with the complete lines it printed — what it acknowledged
 * before the crash (a torn last line is dropped). Rejects if the script exits on its own first.
 */
export function runScriptUntilKilled(script: string, args: readonly string[], killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`child exited on its own: ${errors}`));
      resolve(output.split('\n').slice(0, -1));
    });
  });
}
