/**
 * Bundles a topology module for `barista submit` with esbuild: the user's own files — TypeScript
 * included, its types stripped — go into one ES module; Barista's files and npm packages stay
 * imports (see ./module-source.ts for how the destination links them). Barista must stay out of the
 * bundle: a second copy of its classes would fail the runtime's instanceof checks, and every worker
 * would carry the framework in its upload.
 *
 * A file counts as Barista's when this installation has it compiled: a file under dist/, or one of
 * Barista's sources (submitting TypeScript from this repository) whose dist/ counterpart exists.
 * Both become `barista/dist/<path>.js`. Bare names (rxjs, kafkajs, barista/...) are resolved from
 * the package, as the destination will: one Barista's node_modules lacks fails here, not on a worker.
 */
import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { build, type Message, type Plugin, type PluginBuild } from 'esbuild';
import { packageRoot } from '../../cli/package-root.js';
import { InvalidTopologyModuleError } from '../distributed/errors.js';
import { BARISTA_DIST_SPECIFIER, EXTERNAL_IMPORT_PREFIX } from './module-source.js';

/** How many of esbuild's errors a failed bundle reports (the first ones; the rest are counted). */
export const MAX_REPORTED_BUNDLE_ERRORS = 10;

/** The Node version topology modules are compiled for (package.json engines). */
const BUNDLE_TARGET = 'node20';

export interface TopologyBundle {
  /** One ES module: the entry and the user's files it imports. */
  readonly code: Buffer;
  /** Absolute paths of the files inside the bundle. */
  readonly inputs: string[];
}

export class ModuleBundleError extends Error {
  readonly code = 'MODULE_BUNDLE';
  constructor(readonly modulePath: string, readonly errors: readonly string[]) {
    const shown = errors.slice(0, MAX_REPORTED_BUNDLE_ERRORS);
    const more = errors.length > shown.length ? `\n  … and ${errors.length - shown.length} more` : '';
    super(`cannot bundle topology module ${modulePath}:\n${shown.map((error) => `  ${error}`).join('\n')}${more}`);
    this.name = 'ModuleBundleError';
  }
}

function isInside(file: string, directory: string): boolean {
  const path = relative(directory, file);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path);
}

const COMPILED_EXTENSIONS: Readonly<Record<string, string>> = { '.ts': '.js', '.mts': '.mjs', '.js': '.js', '.mjs': '.mjs' };

/** `barista/dist/<path>` when the installation at `root` has `file` compiled; undefined for the user's own files. */
export function baristaSpecifierOf(file: string, root: string): string | undefined {
  const dist = join(root, 'dist');
  const toSpecifier = (compiled: string) => `${BARISTA_DIST_SPECIFIER}${relative(dist, compiled).split(sep).join('/')}`;
  if (isInside(file, dist)) return toSpecifier(file);
  if (!isInside(file, root) || isInside(file, join(root, 'node_modules'))) return undefined;
  const extension = Object.keys(COMPILED_EXTENSIONS).find((candidate) => file.endsWith(candidate) && !file.endsWith(`.d${candidate}`));
  if (extension === undefined) return undefined;
  const compiled = join(dist, relative(root, file)).slice(0, -extension.length) + COMPILED_EXTENSIONS[extension];
  return existsSync(compiled) ? toSpecifier(compiled) : undefined;
}

/** Marks the plugin's own calls to build.resolve, so it does not answer them again. */
const RESOLVING = Symbol('resolving');

function keepBaristaExternal(root: string): Plugin {
  return {
    name: 'barista-externals',
    setup(bundler: PluginBuild) {
      bundler.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === RESOLVING || args.path.startsWith('node:') || isBuiltin(args.path)) return undefined;
        const bare = !args.path.startsWith('.') && !isAbsolute(args.path);
        const resolved = await bundler.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: bare ? root : args.resolveDir, pluginData: RESOLVING });
        if (resolved.errors.length > 0) {
          if (!bare) return { errors: resolved.errors };
          return { errors: [{ text: `'${args.path}' is not installed with Barista (${root}): workers import npm packages from Barista's own node_modules, so install it there` }] };
        }
        if (resolved.external) return { path: resolved.path, external: true };
        const barista = baristaSpecifierOf(resolved.path, root);
        if (barista !== undefined) return { path: `${EXTERNAL_IMPORT_PREFIX}${barista}`, external: true };
        if (bare) return { path: `${EXTERNAL_IMPORT_PREFIX}${args.path}`, external: true };
        return { path: resolved.path };
      });
    },
  };
}

function formatMessage(message: Message): string {
  const location = message.location;
  return location === null ? message.text : `${location.file}:${location.line}:${location.column + 1}: ${message.text}`;
}

/** The bundle of the topology module at `entryFile`; throws ModuleBundleError with esbuild's errors (file:line:column). */
export async function bundleTopologyModule(entryFile: string): Promise<TopologyBundle> {
  const entry = resolve(entryFile);
  if (!existsSync(entry)) throw new InvalidTopologyModuleError(entry, 'does not exist');
  const workingDirectory = process.cwd();
  let result;
  try {
    result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: BUNDLE_TARGET,
      write: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: workingDirectory,
      plugins: [keepBaristaExternal(packageRoot())],
    });
  } catch (error) {
    const failure = error as { errors?: Message[] };
    if (failure.errors === undefined) throw error;
    throw new ModuleBundleError(entry, failure.errors.map(formatMessage));
  }
  const output = result.outputFiles[0];
  if (output === undefined) throw new ModuleBundleError(entry, ['esbuild produced no output']);
  return { code: Buffer.from(output.contents), inputs: Object.keys(result.metafile.inputs).map((input) => resolve(workingDirectory, input)) };
}
