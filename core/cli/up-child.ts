/**
 * One service process of `barista up`: `barista <args>` with its stdout and stderr in its log
 * file, in a process group of its own (a Ctrl-C in the terminal reaches `barista up` alone, which
 * then stops the services in order), and with an IPC channel it watches (--exit-with-parent), so
 * it stops by itself if `barista up` is killed with -9.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlannedService } from './up-plan.js';

/** This very CLI, run by the same node binary: children are the same build as their launcher. */
const BARISTA_SCRIPT = fileURLToPath(new URL('./barista.js', import.meta.url));
/** Lines of a log shown when its service fails to start. */
export const LOG_TAIL_LINES = 20;
const LOG_TAIL_BYTES = 16 * 1024;

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class ServiceProcess {
  private readonly child: ChildProcess;
  private exitValue: ChildExit | undefined;
  readonly exited: Promise<ChildExit>;

  private constructor(
    readonly service: PlannedService,
    child: ChildProcess,
  ) {
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitValue = { code, signal };
        resolve(this.exitValue);
      });
    });
  }

  static start(service: PlannedService): ServiceProcess {
    mkdirSync(dirname(service.logFile), { recursive: true });
    // Truncated per run, so the tail shown after a failed start is this run's.
    const log = openSync(service.logFile, 'w');
    try {
      const child = spawn(process.execPath, [BARISTA_SCRIPT, ...service.args], { stdio: ['ignore', log, log, 'ipc'], detached: true });
      return new ServiceProcess(service, child);
    } finally {
      closeSync(log);
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exitValue === undefined;
  }

  get exit(): ChildExit | undefined {
    return this.exitValue;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM (the service's orderly shutdown), SIGKILL if it is still there after graceMs. */
  async stop(graceMs: number): Promise<ChildExit> {
    if (!this.running) return this.exitValue!;
    this.child.kill('SIGTERM');
    const killTimer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(killTimer);
    return exit;
  }

  logTail(lines = LOG_TAIL_LINES): string {
    try {
      const text = readFileSync(this.service.logFile, 'utf8').slice(-LOG_TAIL_BYTES);
      return text.trimEnd().split('\n').slice(-lines).join('\n');
    } catch (error) {
      return `(cannot read ${this.service.logFile}: ${(error as Error).message})`;
    }
  }
}

export function describeExit(exit: ChildExit): string {
  return exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}
