/**
 * One worker slot's child process, as a supervisor runs it: started with an IPC channel, restarted
 * after an unexpected exit (with a doubling delay), reported after MAX_WORKER_START_FAILURES
 * failed starts in a row, stopped with SIGTERM (then SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { silentLogger, type Logger } from '../../telemetry/logger.js';
import { MAX_WORKER_RESTART_DELAY_MS, MAX_WORKER_START_FAILURES, WORKER_RESTART_DELAY_MS, WORKER_START_TIMEOUT_MS, WORKER_STOP_GRACE_MS } from './limits.js';
import type { DesiredWorker } from './worker-plan.js';

/** Last bytes of a worker's stderr kept for failure reports. */
const STDERR_TAIL_BYTES = 2_048;

export interface SupervisedWorkerHooks {
  /** The worker runs its tasks. */
  readonly onReady: (worker: SupervisedWorker, pid: number) => void;
  /** The worker process is gone (it will be restarted unless stopped). */
  readonly onExit: (worker: SupervisedWorker, code: number | null, signal: string | null) => void;
  /** It failed to start MAX_WORKER_START_FAILURES times in a row; `error` is its last stderr. */
  readonly onStartFailures: (worker: SupervisedWorker, error: string) => void;
}

export class SupervisedWorker {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  private failedStarts = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stderrTail = '';
  private active: boolean;
  /** Unexpected exits so far. */
  restarts = 0;

  constructor(
    readonly spec: DesiredWorker,
    private readonly command: { readonly execPath: string; readonly args: readonly string[] },
    private readonly hooks: SupervisedWorkerHooks,
    private readonly logger: Logger = silentLogger(),
  ) {
    this.active = spec.active;
  }

  get isActive(): boolean {
    return this.active;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const args = [...this.command.args, ...(this.active ? [] : ['--inactive'])];
    const child = spawn(this.command.execPath, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child = child;
    this.stderrTail = '';
    let ready = false;
    const startTimer = setTimeout(() => child.kill('SIGKILL'), WORKER_START_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL_BYTES);
    });
    child.on('message', (message: { ready?: unknown }) => {
      if (message.ready !== true) return;
      ready = true;
      clearTimeout(startTimer);
      this.failedStarts = 0;
      this.hooks.onReady(this, child.pid ?? -1);
    });
    child.on('error', (error) => this.logger.error({ err: error, worker: this.spec.key }, 'worker process error'));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        clearTimeout(startTimer);
        this.child = undefined;
        this.hooks.onExit(this, code, signal);
        if (!this.stopping) this.afterCrash(ready, code, signal);
        resolve();
      });
    });
  }

  setActive(active: boolean): void {
    this.active = active;
    if (this.child?.connected === true) this.child.send({ active });
  }

  /** SIGTERM, SIGKILL after the grace period; resolves once the process is gone. No restart follows. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child === undefined) return;
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), WORKER_STOP_GRACE_MS);
    await this.exited;
    clearTimeout(killTimer);
  }

  private afterCrash(wasReady: boolean, code: number | null, signal: string | null): void {
    this.restarts++;
    if (!wasReady) this.failedStarts++;
    if (this.failedStarts === MAX_WORKER_START_FAILURES) this.hooks.onStartFailures(this, this.stderrTail.trim() || `exited with ${code ?? signal}`);
    const delayMs = Math.min(MAX_WORKER_RESTART_DELAY_MS, WORKER_RESTART_DELAY_MS * 2 ** this.failedStarts);
    this.logger.warn({ worker: this.spec.key, code, signal, restartInMs: delayMs }, 'worker exited unexpectedly: restarting');
    this.restartTimer = setTimeout(() => {
      if (!this.stopping) this.start();
    }, delayMs);
  }
}
