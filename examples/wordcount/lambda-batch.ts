/**
 * The word-count Lambda view's batch layer (view.ts) as a job module: one `recompute` — a recount
 * of the topic up to bucket-aligned cut-offs, loaded as the view's next version in a `barista
 * serve` node over RESP and made live by one compare-and-set of the view's pointer. A run that
 * dies before that compare-and-set leaves only keys of an unpublished version, which no query
 * reads; the next run loads the same version number again and publishes it.
 *
 *   npm run build
 *   barista batch dist/examples/wordcount/lambda-batch.js --now --arg bootstrap=127.0.0.1:9092 \
 *     --arg serving=127.0.0.1:6380 --arg topic=raven --arg view=words
 *
 * Run it with the default local executors: `recompute` talks to the serving node between actions,
 * which executor threads rebuilding the lineage would repeat.
 */
import type { BatchContext } from '../../batch/context/batch-context.js';
import type { JobArguments } from '../../batch/job/job-module.js';
import { RespKeyspace } from '../../serving/client/index.js';
import type { CutOffs } from '../../serving/views/log-position.js';
import { WordCountArgumentError } from './batch.js';
import { wordCountView } from './view.js';

export interface LambdaBatchResult {
  readonly view: string;
  /** The version this run published. */
  readonly version: number;
  readonly previousVersion: number | null;
  /** Partition name → last offset the version covers. */
  readonly cutOffs: CutOffs;
}

function endpoint(args: JobArguments, name: string): { host: string; port: number } {
  const value = args[name];
  const match = /^(.+):(\d+)$/.exec(value ?? '');
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65_535) throw new WordCountArgumentError(name, value, 'host:port');
  return { host: match[1]!, port };
}

export default async function lambdaBatch(sc: BatchContext, args: JobArguments): Promise<LambdaBatchResult> {
  const bootstrap = endpoint(args, 'bootstrap');
  const serving = endpoint(args, 'serving');
  const view = wordCountView(args.view ?? 'words', args.topic ?? 'raven');
  const keyspace = await RespKeyspace.connect(serving);
  try {
    const run = await view.recompute({ keyspace, bootstrap, context: sc });
    return { view: view.name, version: run.version, previousVersion: run.previousVersion ?? null, cutOffs: run.cutOffs };
  } finally {
    await keyspace.close();
  }
}
