import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { packageRoot } from '../../cli/package-root.js';
import { InvalidTopologyModuleError } from '../distributed/errors.js';
import { baristaSpecifierOf, bundleTopologyModule, ModuleBundleError } from './module-bundle.js';
import { USER_PROJECT_FILES, userProjectCounts, writeUserProject } from './test-topologies/user-project.js';

const root = packageRoot();
const distUrl = pathToFileURL(join(root, 'dist')).href;
const TOTAL_SENTENCES = 200;

/** Links and loads the bundle as nimbus and workers do (from a directory outside the package), runs it on a LocalCluster until the sink saw every word, prints the sink's lines. */
const RUNNER = `
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { until } from '${pathToFileURL(join(root, 'dist/test/support/until.js')).href}';
const { materializeModule } = await import('${distUrl}/core/topology/cluster/module-source.js');
const { loadTopologyModule } = await import('${distUrl}/core/topology/distributed/topology-module.js');
const { LocalCluster } = await import('${distUrl}/core/topology/runtime/local-cluster.js');
const [bundleFile, modulesDirectory, out, total, words] = process.argv.slice(1);
const built = await loadTopologyModule(materializeModule(modulesDirectory, readFileSync(bundleFile)), { out, total });
const cluster = new LocalCluster();
await cluster.submitTopology('bundled', built.config ?? {}, built.topology);
const sinkFiles = () => readdirSync(dirname(out)).filter((name) => name.startsWith(basename(out) + '-') && name.endsWith('.tsv'));
const lines = () => sinkFiles().map((name) => readFileSync(join(dirname(out), name), 'utf8')).join('');
await until('the sink to see every word', () => lines().split('\\n').filter(Boolean).length === Number(words), 30_000);
await cluster.shutdown();
process.stdout.write(lines());
`;

let directory: string;
let entry: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'barista-user-module-'));
  entry = writeUserProject(directory);
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('bundling a topology module', () => {
  it("puts the user's own files in the bundle and keeps Barista and npm packages as imports", async () => {
    const bundle = await bundleTopologyModule(entry);
    const code = bundle.code.toString('utf8');
    expect(code).toContain('barista brews without a build step');
    expect(code).toContain('var FileSink = class extends BaseRichBolt');
    expect(code).toContain('function countLine');
    for (const external of ['barista/dist/core/topology/api/index.js', 'barista/dist/core/topology/builder/topology-builder.js', 'barista/dist/spouts/index.js', 'barista/dist/bolts/split-sentence-bolt.js', 'barista/dist/bolts/word-count-bolt.js', 'rxjs']) {
      expect(code).toContain(`"barista-external:${external}"`);
    }
    expect(code).not.toContain('class TopologyBuilder');
    expect(code).not.toContain('OutputFieldsDeclarer');
    expect(bundle.inputs.sort()).toEqual(USER_PROJECT_FILES.map((name) => join(directory, name)));
  });

  it('yields a module that runs from a directory outside the package with exact counts', async () => {
    const bundle = await bundleTopologyModule(entry);
    const bundleFile = join(directory, 'bundle.mjs');
    writeFileSync(bundleFile, bundle.code);
    const modules = join(directory, 'modules');
    mkdirSync(modules, { recursive: true });
    const expected = userProjectCounts(TOTAL_SENTENCES);
    const words = [...expected.values()].reduce((sum, count) => sum + count, 0);
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', RUNNER, bundleFile, modules, join(directory, 'counts'), String(TOTAL_SENTENCES), String(words)], { timeout: 60_000 });
    const highest = new Map<string, number>();
    for (const line of stdout.split('\n').filter(Boolean)) {
      const [word, count] = line.split('\t');
      highest.set(word!, Math.max(highest.get(word!) ?? 0, Number(count)));
    }
    expect(highest).toEqual(expected);
  }, 90_000);

  it("names Barista's files by their compiled path and leaves the user's own alone", () => {
    expect(baristaSpecifierOf(join(root, 'dist/core/text/tokenize.js'), root)).toBe('barista/dist/core/text/tokenize.js');
    expect(baristaSpecifierOf(join(root, 'core/text/tokenize.ts'), root)).toBe('barista/dist/core/text/tokenize.js');
    expect(baristaSpecifierOf(join(root, 'core/text/never-compiled.ts'), root)).toBeUndefined();
    expect(baristaSpecifierOf(join(root, 'node_modules/rxjs/dist/esm5/index.js'), root)).toBeUndefined();
    expect(baristaSpecifierOf(join(directory, 'sentences.ts'), root)).toBeUndefined();
  });

  it("fails with esbuild's file:line message on a syntax error", async () => {
    const broken = join(directory, 'broken.ts');
    writeFileSync(broken, "import { sentenceAt } from './sentences.js';\nexport default function build() {\n  return { topology: sentenceAt(0) ;\n}\n");
    const failure = await bundleTopologyModule(broken).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ModuleBundleError);
    expect((failure as Error).message).toMatch(/broken\.ts:3:\d+: Expected "}" but found ";"/);
  });

  it('refuses an npm package Barista does not have, and a missing file', async () => {
    const needsPackage = join(directory, 'needs-package.ts');
    writeFileSync(needsPackage, "import leftPad from 'left-pad-not-installed';\nexport default () => leftPad;\n");
    await expect(bundleTopologyModule(needsPackage)).rejects.toThrow(/'left-pad-not-installed' is not installed with Barista/);
    await expect(bundleTopologyModule(join(directory, 'missing.ts'))).rejects.toBeInstanceOf(InvalidTopologyModuleError);
  });
});
