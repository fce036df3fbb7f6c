/**
 * How a topology module travels from `barista submit` to nimbus and supervisors. The submitter
 * bundles it (./module-bundle.ts): the user's own files go into the bundle; Barista's files and npm
 * packages stay imports, written `barista-external:<specifier>`, because every process must share
 * this installation's single copy of them (the runtime's instanceof checks need one class each).
 *
 * Nimbus and supervisors write the uploaded bundle into their data directory, which may be
 * anywhere, so they link it first: each `barista-external:` specifier becomes the file URL this
 * installation resolves it to (`barista/dist/…` under its dist/, npm names as a file inside the
 * package would resolve them, from its node_modules). What every machine needs is therefore
 * the same Barista version, not the same paths.
 *
 * Modules are written as `<sha256 of the upload>.mjs`: a name per content, so Node's import cache
 * never serves an older module under the same name, and `.mjs` makes them ES modules wherever they sit.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../cli/package-root.js';
import { MODULE_CHUNK_BYTES } from './limits.js';

/** Marks an import the bundle left to the destination's installation. */
export const EXTERNAL_IMPORT_PREFIX = 'barista-external:';

/** Where Barista's compiled files live in the installation, as bundles name them. */
export const BARISTA_DIST_SPECIFIER = 'barista/dist/';

const EXTERNAL_IMPORT = /(["'])barista-external:([^"'\\\n]+)\1/g;

/**
 * The file URL this installation gives an import the bundle kept external. One it cannot resolve
 * (another Barista version) is left where Node will report it when the module is loaded — nimbus
 * rejects the submission, a worker fails to start — rather than thrown here, where it would stop a
 * supervisor from starting the workers of every other topology too.
 */
export function resolveExternalImport(specifier: string): string {
  if (specifier.startsWith(BARISTA_DIST_SPECIFIER)) return pathToFileURL(join(packageRoot(), 'dist', specifier.slice(BARISTA_DIST_SPECIFIER.length))).href;
  try {
    // Resolved from this file, which sits inside the package: npm names from its node_modules, with Node's 'import' conditions.
    return import.meta.resolve(specifier);
  } catch {
    return specifier;
  }
}

/** The bundle with every `barista-external:` import made a file URL of this installation. */
export function linkExternalImports(code: string): string {
  return code.replace(EXTERNAL_IMPORT, (_match, quote: string, specifier: string) => `${quote}${resolveExternalImport(specifier)}${quote}`);
}

export function sha256Of(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function chunksOf(content: Buffer, chunkBytes = MODULE_CHUNK_BYTES): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < content.length; offset += chunkBytes) chunks.push(content.subarray(offset, offset + chunkBytes));
  return chunks.length === 0 ? [Buffer.alloc(0)] : chunks;
}

/** Links the uploaded module and writes it as `<directory>/<sha256>.mjs` (once; atomically); returns its path. */
export function materializeModule(directory: string, content: Buffer): string {
  const path = join(directory, `${sha256Of(content)}.mjs`);
  if (existsSync(path)) return path;
  const linked = linkExternalImports(content.toString('utf8'));
  mkdirSync(directory, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, linked);
  renameSync(temporary, path);
  return path;
}
