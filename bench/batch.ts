/**
 * `npm run bench -- batch`: word count over a ≈100 MB corpus (the Debian copyright files of this
 * machine, concatenated until big enough) with the RDD engine on 2 executor threads, against — in
 * the same run — a plain single-threaded JS loop (read the file, split lines, same tokenizer, a
 * Map), and `tr | sort | uniq -c`.
 * Then the same job in a child process whose heap is capped at a tenth of the data size, which
 * must spill and still give the identical digest. Goal (issue 9): ≥ 1.6× the plain loop.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runJobModule } from '../batch/job/job-module.js';
import { tokenize } from '../core/text/tokenize.js';
import { countsDigest } from './jobs/counts-digest.js';
import type { WordCountSummary } from './jobs/word-count-job.js';
import { printComparisons } from './report.js';

const CORPUS_MB = Number(process.env.BENCH_BATCH_MB ?? 100);
/** Heap of the spill run: about the least that loads Node and the job's modules. */
const SPILL_HEAP_MB = 20;
const JOB = new URL('./jobs/word-count-job.js', import.meta.url).pathname;

function buildCorpus(path: string): number {
  const docs = readdirSync('/usr/share/doc').map((name) => join('/usr/share/doc', name, 'copyright'));
  const texts = docs.flatMap((file) => {
    try {
      return statSync(file).isFile() ? [readFileSync(file)] : [];
    } catch {
      return [];
    }
  });
  if (texts.length === 0) throw new Error('no /usr/share/doc/*/copyright files to build the corpus from');
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    while (written < CORPUS_MB * 1024 * 1024) for (const text of texts) written += writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return written;
}

function plainLoop(path: string): { summary: WordCountSummary; seconds: number } {
  const startMs = performance.now();
  const counts = new Map<string, number>();
  for (const line of readFileSync(path, 'utf8').split('\n')) for (const word of tokenize(line)) counts.set(word, (counts.get(word) ?? 0) + 1);
  let total = 0;
  let digest = 0;
  for (const [word, count] of counts) {
    total += count;
    digest = (digest + countsDigest(word, count)) % 2_147_483_647;
  }
  return { summary: { distinct: counts.size, total, digest }, seconds: (performance.now() - startMs) / 1000 };
}

function shellPipeline(path: string): number {
  const startMs = performance.now();
  execFileSync('bash', ['-c', `tr -cs '[:alnum:]' '\\n' < '${path}' | tr '[:upper:]' '[:lower:]' | sort | uniq -c > /dev/null`], { env: { ...process.env, LC_ALL: 'C' }, stdio: 'inherit' });
  return (performance.now() - startMs) / 1000;
}

async function engine(path: string, executors: 'local' | number): Promise<{ summary: WordCountSummary; seconds: number }> {
  const startMs = performance.now();
  const run = await runJobModule(JOB, { input: path, partitions: '8', reducers: '4' }, { executors });
  return { summary: run.result as WordCountSummary, seconds: (performance.now() - startMs) / 1000 };
}

function cappedHeapRun(path: string, heapMb: number): { summary: WordCountSummary | undefined; seconds: number; output: string } {
  const startMs = performance.now();
  const script = `import('${new URL('../batch/job/job-module.js', import.meta.url).href}').then(async (m) => { const run = await m.runJobModule('${JOB}', { input: '${path}', partitions: '16', reducers: '4' }, { executors: 'local', slots: 1, memoryLimitBytes: 2 * 1024 * 1024 }); process.stdout.write(JSON.stringify(run.result)); })`;
  const child = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, '--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const seconds = (performance.now() - startMs) / 1000;
  if (child.status !== 0) return { summary: undefined, seconds, output: `${child.stderr}`.slice(-2000) };
  return { summary: JSON.parse(child.stdout) as WordCountSummary, seconds, output: '' };
}

export async function run(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'barista-bench-batch-'));
  try {
    const corpus = join(directory, 'corpus.txt');
    const bytes = buildCorpus(corpus);
    const mb = bytes / 1024 / 1024;
    // The engine first: the loop leaves a 100 MB string and its line array for this heap to collect.
    const threads = await engine(corpus, 2);
    const loop = plainLoop(corpus);
    const shellSeconds = shellPipeline(corpus);
    const same = JSON.stringify(threads.summary) === JSON.stringify(loop.summary);
    printComparisons(`batch: word count over ${mb.toFixed(0)} MB (${loop.summary.total.toLocaleString('en-US')} words, ${loop.summary.distinct.toLocaleString('en-US')} distinct); results ${same ? 'identical' : 'DIFFERENT'}`, [
      { case: 'RDD engine, 2 executor threads', unit: 'MB/s', barista: mb / threads.seconds, baseline: mb / loop.seconds, baselineName: 'plain JS loop, 1 thread', goal: 1.6 },
      { case: 'RDD engine, 2 executor threads', unit: 'MB/s', barista: mb / threads.seconds, baseline: mb / shellSeconds, baselineName: 'tr | sort | uniq -c' },
    ]);
    // Node itself needs ~16 MB of heap to load the job's modules, so the spill run's data is made
    // at least ten times that: the corpus, concatenated until large enough.
    const spillCorpus = join(directory, 'spill-corpus.txt');
    let spillBytes = 0;
    while (spillBytes < SPILL_HEAP_MB * 10 * 1024 * 1024) {
      appendFileSync(spillCorpus, readFileSync(corpus));
      spillBytes += bytes;
    }
    const spillMb = spillBytes / 1024 / 1024;
    const capped = cappedHeapRun(spillCorpus, SPILL_HEAP_MB);
    const expected = spillBytes === bytes ? loop.summary : plainLoop(spillCorpus).summary;
    const identical = capped.summary !== undefined && JSON.stringify(capped.summary) === JSON.stringify(expected);
    console.log(`spill run: ${spillMb.toFixed(0)} MB with the heap capped at ${SPILL_HEAP_MB} MB (${(spillMb / SPILL_HEAP_MB).toFixed(1)}x smaller than the data): ${capped.summary === undefined ? `FAILED\n${capped.output}` : `${identical ? 'identical results to a plain count' : 'DIFFERENT results'} in ${capped.seconds.toFixed(1)} s`}`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
