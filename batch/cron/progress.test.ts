/**
 * Stage progress: bars drawn by cli-progress on a terminal; on anything else (CI) log lines — a
 * stage's start and end, and in between at most one line per interval.
 */
import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { PROGRESS_LOG_INTERVAL_MS } from './limits.js';
import { createProgressReporter } from './progress.js';

const stage = (done: number, total = 4) => ({ jobIndex: 0, stageId: 1, name: 'reduceByKey [3]', done, total });

function collectingLogger() {
  const lines: Array<{ msg: string; done: number }> = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunk.toString().trim().split('\n').forEach((line) => lines.push(JSON.parse(line) as { msg: string; done: number })));
  return { logger: pino({ level: 'info' }, sink), lines, sink };
}

describe('stage progress', () => {
  it('without a terminal logs a stage\'s start, its end, and progress at most once per interval', async () => {
    const { logger, lines } = collectingLogger();
    let nowMs = 0;
    const notTerminal = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const reporter = createProgressReporter({ logger, stream: notTerminal, nowMs: () => nowMs });
    reporter.onProgress(stage(0));
    reporter.onProgress(stage(1));
    nowMs = PROGRESS_LOG_INTERVAL_MS;
    reporter.onProgress(stage(2));
    reporter.onProgress(stage(3));
    reporter.onProgress(stage(4));
    reporter.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((line) => [line.msg, line.done])).toEqual([['stage started', 0], ['stage progress', 2], ['stage finished', 4]]);
  });

  it('on a terminal draws one bar per stage with tasks done and total', () => {
    const { logger, lines } = collectingLogger();
    let drawn = '';
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 100 }) as unknown as NodeJS.WriteStream;
    (terminal as unknown as PassThrough).on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    const reporter = createProgressReporter({ logger, stream: terminal });
    reporter.onProgress(stage(0, 2));
    reporter.onProgress({ ...stage(0, 3), stageId: 2, name: 'map [1]' });
    reporter.onProgress(stage(2, 2));
    reporter.finish();
    expect(drawn).toMatch(/stage reduceByKey \[3\] \|[^|]*\| 2\/2 tasks/);
    expect(drawn).toMatch(/stage map \[1\] \|[^|]*\| 0\/3 tasks/);
    expect(lines).toEqual([]);
  });
});
