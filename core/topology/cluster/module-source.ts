/**
 * How a topology module travels from `barista submit` to nimbus and supervisors without a bundler:
 * the submitter rewrites the module's relative imports ('./x.js', '../y.js') into absolute file
 * URLs, so the uploaded source runs from any directory — provided every machine has the imported
 * files at the same absolute path (one machine, or identical installs). A bundle (esbuild) would
 * lift that limit; bare imports ('rxjs') resolve from the directory the module is written to, so
 * nimbus and supervisors write modules under a directory of this package.
 *
 * Modules are written as `<sha256>.mjs`: a name per content, so Node's import cache never serves
 * an older module under the same name, and `.mjs` makes them ES modules wherever they sit.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MODULE_CHUNK_BYTES } from './limits.js';

const RELATIVE_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"\n]+)\2/g;

/** The source with every relative import specifier made an absolute file URL (resolved from `moduleFile`). */
export function rewriteRelativeImports(source: string, moduleFile: string): string {
  const directory = dirname(resolve(moduleFile));
  return source.replace(RELATIVE_IMPORT, (_match, keyword: string, quote: string, specifier: string) => `${keyword}${quote}${pathToFileURL(resolve(directory, specifier)).href}${quote}`);
}

export function sha256Of(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function chunksOf(content: Buffer, chunkBytes = MODULE_CHUNK_BYTES): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < content.length; offset += chunkBytes) chunks.push(content.subarray(offset, offset + chunkBytes));
  return chunks.length === 0 ? [Buffer.alloc(0)] : chunks;
}

/** Writes the module as `<directory>/<sha256>.mjs` (once; atomically) and returns its path. */
export function materializeModule(directory: string, content: Buffer): string {
  const path = join(directory, `${sha256Of(content)}.mjs`);
  if (existsSync(path)) return path;
  mkdirSync(directory, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
  return path;
}
