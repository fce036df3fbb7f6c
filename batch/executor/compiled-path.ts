/**
 * Executor threads run compiled JavaScript. When this code itself runs from TypeScript sources
 * (the test runner transpiles on the fly), module paths are mapped to their compiled twins under
 * dist/ (`npm run build` writes them), so the same job module works in both.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the folder above batch/ (or above dist/ when running compiled). */
function repositoryRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url)); // …/batch/executor or …/dist/batch/executor
  const root = join(here, '..', '..');
  return root.endsWith(`${'/'}dist`) || root.endsWith('\\dist') ? dirname(root) : root;
}

/** `path` if it is JavaScript, else the compiled .js under dist/ for a .ts source of this repository. */
export function compiledModulePath(path: string): string {
  if (!path.endsWith('.ts')) return path;
  const root = repositoryRoot();
  const relativePath = relative(root, path);
  if (relativePath.startsWith('..')) return path; // outside the repository: leave it to the loader
  return join(root, 'dist', relativePath.replace(/\.ts$/, '.js'));
}

/** The compiled executor thread entry point. */
export function workerEntryPath(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = join(dirname(here), 'executor-thread.js');
  return here.endsWith('.js') && existsSync(sibling) ? sibling : compiledModulePath(join(dirname(here), 'executor-thread.ts'));
}
