import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordClient } from '../../coord/client/coord-client.js';
import { BARISTA_BIN, runBarista } from '../../../test/support/barista.js';
import { startCoordEnsemble, type CoordEnsemble } from '../../../test/support/coord.js';
import { freePort } from '../../../test/support/ports.js';
import { startProcess, type ManagedProcess } from '../../../test/support/processes.js';
import { until } from '../../../test/support/until.js';
import { runningWorkerIds, topologyNames } from './cluster-store.js';
import { userProjectCounts, writeUserProject } from './test-topologies/user-project.js';

const TOTAL_SENTENCES = 900;

let ensemble: CoordEnsemble;
let client: CoordClient;
let directory: string;
let project: string;
const services: ManagedProcess[] = [];

async function startService(name: string, args: string[]): Promise<void> {
  const started = await startProcess({ name, command: process.execPath, args: [BARISTA_BIN, '--log-level', 'warn', ...args], ready: () => Promise.resolve(true) });
  services.push(started);
  await until(`${name} ready`, () => started.output().includes(' ready'), 20_000);
}

/** The highest count the sinks wrote for each word ("word<TAB>count" lines in `<prefix>-<task>.tsv`). */
function highestCounts(prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of readdirSync(directory).filter((name) => name.startsWith(`${prefix}-`) && name.endsWith('.tsv'))) {
    for (const line of readFileSync(join(directory, file), 'utf8').split('\n').filter(Boolean)) {
      const [word, count] = line.split('\t');
      counts.set(word!, Math.max(counts.get(word!) ?? 0, Number(count)));
    }
  }
  return counts;
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'barista-submit-ts-'));
  project = mkdtempSync(join(tmpdir(), 'barista-user-project-'));
  ensemble = await startCoordEnsemble({ servers: 1, tickTimeMs: 1_000 });
  client = await CoordClient.connect(ensemble.connectString);
  await startService('nimbus', ['nimbus', '--coord', ensemble.connectString, '--data-dir', join(directory, 'nimbus')]);
  const ports = [await freePort(), await freePort()];
  await startService('s1', ['supervisor', '--coord', ensemble.connectString, '--id', 's1', '--slot-ports', ports.join(','), '--data-dir', join(directory, 's1')]);
}, 60_000);

afterAll(async () => {
  await client?.close();
  for (const service of services) await service.stop();
  await ensemble?.stop();
  rmSync(directory, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
}, 60_000);

describe('barista submit of a TypeScript module from outside the package', () => {
  it('bundles it, and two workers count exactly what it emits', async () => {
    const entry = writeUserProject(project);
    const out = join(directory, 'typescript');
    const submitted = await runBarista(['submit', entry, '--coord', ensemble.connectString, '--name', 'typescript', '--workers', '2', '--arg', `total=${TOTAL_SENTENCES}`, '--arg', `out=${out}`]);
    expect(submitted.stderr).toBe('');
    expect(submitted.stdout).toMatch('topology typescript submitted: active, 2 workers');
    await until('2 workers running', async () => (await runningWorkerIds(client, 'typescript')).length === 2, 20_000);
    const expected = userProjectCounts(TOTAL_SENTENCES);
    await until('exact counts of every word', () => [...expected].every(([word, count]) => highestCounts('typescript').get(word) === count), 30_000);
    expect(highestCounts('typescript')).toEqual(expected);
    expect((await runBarista(['kill', 'typescript', '--coord', ensemble.connectString])).stdout).toMatch('topology typescript killed');
  }, 90_000);

  it("refuses a module with a syntax error with esbuild's file:line message, before uploading anything", async () => {
    const broken = join(project, 'broken.ts');
    writeFileSync(broken, "import { sentenceAt } from './sentences.js';\n\nexport default function build() {\n  return { topology: sentenceAt(0) ;\n}\n");
    const rejected = await runBarista(['submit', broken, '--coord', ensemble.connectString, '--name', 'broken', '--workers', '1']);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/^barista: cannot bundle topology module .*broken\.ts:\n {2}.*broken\.ts:4:\d+: Expected "}" but found ";"/);
    expect(await topologyNames(client)).not.toContain('broken');
    // Bundling comes before connecting: with no coord at all the error is still the module's.
    const offline = await runBarista(['submit', broken, '--coord', `127.0.0.1:${await freePort()}`, '--name', 'broken', '--workers', '1']);
    expect(offline.stderr).toMatch(/broken\.ts:4:\d+: Expected "}"/);
  }, 60_000);
});
