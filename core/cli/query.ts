/**
 * `barista query <view> [key]`: asks a serving node for a view's merged answer (VIEW.GET: the
 * batch value ⊕ the realtime deltas after its cut-offs) and prints it with the log offsets it
 * reflects; without a key, the view's top keys (VIEW.TOP).
 */
import { Redis } from 'ioredis';

export interface QueryCommandOptions {
  host: string;
  port: number;
  top: number;
}

type Flat = (string | number | null | Flat)[];

function pairs(flat: Flat): string {
  const parts: string[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) parts.push(`${String(flat[i])}@${String(flat[i + 1])}`);
  return parts.join(' ') || '-';
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.map(show).join(' ');
  return value === null ? '(none)' : String(value);
}

export async function runQuery(view: string, key: string | undefined, options: QueryCommandOptions): Promise<void> {
  const redis = new Redis({ host: options.host, port: options.port, maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    if (key === undefined) {
      const flat = (await redis.call('VIEW.TOP', view, String(options.top))) as Flat;
      for (let i = 0; i + 1 < flat.length; i += 2) process.stdout.write(`${String(flat[i + 1]).padStart(8)} ${String(flat[i])}\n`);
      return;
    }
    const [value, version, reflected, cutOffs, settled] = (await redis.call('VIEW.GET', view, key)) as [unknown, number | null, Flat, Flat, Flat | undefined];
    process.stdout.write(`${view}[${key}] = ${show(value)}\n`);
    process.stdout.write(`  batch version ${version ?? '(none)'}, cut-offs ${pairs(cutOffs)}; reflects offsets ${pairs(reflected)}\n`);
    // Settled below reflected: a replay of a lost in-flight delta may still land (docs/lambda.md).
    if (settled !== undefined && pairs(settled) !== pairs(reflected)) process.stdout.write(`  gap-free through ${pairs(settled)} (in-flight replays may still land above)\n`);
  } finally {
    redis.disconnect();
  }
}
