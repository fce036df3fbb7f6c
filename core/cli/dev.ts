/**
 * `barista dev`: the whole Lambda stack embedded in one process. Until the log, topology, batch
 * and serving layers land, it runs what exists: the reference word count over The Raven, printed
 * as the top words — the same answer the full pipeline will have to give.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from '../telemetry/logger.js';
import { tokenize } from '../text/tokenize.js';

export interface DevOptions {
  input: string;
  top: number;
}

export async function runDev(options: DevOptions, logger: Logger): Promise<Array<[string, number]>> {
  logger.warn('the embedded log, topology, batch and serving layers are not built yet: counting words directly');
  const text = await readFile(options.input, 'utf8');
  const counts = new Map<string, number>();
  for (const word of tokenize(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, options.top);
  logger.info({ input: options.input, distinctWords: counts.size }, 'word count done');
  return top;
}
