/**
 * `npm run bench -- NAME [NAME…]`: runs the named benchmarks. With no name it runs all of them and
 * writes bench/REPORT.md (the machine, then every table) — a benchmark that fails is reported there
 * instead of stopping the others.
 */
import { cpus, totalmem, type as osType, release } from 'node:os';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printedTables, reportMarkdown } from './report.js';

const BENCHMARKS: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  net: () => import('./net.js'),
  coord: () => import('./coord.js'),
  log: () => import('./log.js'),
  serving: () => import('./serving.js'),
  topology: () => import('./topology.js'),
  batch: () => import('./batch.js'),
  cluster: () => import('./cluster.js'),
  groups: () => import('./groups.js'),
  lambda: () => import('./lambda.js'),
};

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : Object.keys(BENCHMARKS);
const unknown = names.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(64);
}
const failures: string[] = [];
for (const name of names) {
  try {
    const benchmark = await BENCHMARKS[name]!();
    await benchmark.run();
  } catch (error) {
    if (requested.length > 0) throw error;
    failures.push(`- \`${name}\` failed: ${(error as Error).message.split('\n')[0]}`);
    console.error(`benchmark ${name} failed`, error);
  }
}
if (requested.length === 0) {
  const cores = cpus();
  const machine = [
    `Machine: ${cores.length} × ${cores[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${osType()} ${release()}, Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    ...(failures.length > 0 ? ['', 'Failed:', ...failures] : []),
  ].join('\n');
  // Written next to the sources (bench/), not into dist/bench/.
  const path = fileURLToPath(new URL('../../bench/REPORT.md', import.meta.url));
  writeFileSync(path, reportMarkdown(machine, names, printedTables));
  console.log(`\nwrote ${path}`);
}
