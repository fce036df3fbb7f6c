/** Runs the compiled `barista` command (built into dist/ by `npm test`'s pretest step). */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/cli/package-root.js';

/** The compiled CLI, found from the package root so that this works from sources and from dist/. */
export const BARISTA_BIN = join(packageRoot(), 'dist', 'core', 'cli', 'barista.js');

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function runBarista(args: string[], timeoutMs = 30_000): Promise<CommandResult> {
  if (!existsSync(BARISTA_BIN)) throw new Error(`${BARISTA_BIN} is missing: run "npm run build" (npm test does it first)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BARISTA_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
