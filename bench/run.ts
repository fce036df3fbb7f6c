/** `npm run bench -- NAME [NAME…]`: runs the named benchmarks (all when none is named). */
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
for (const name of names) {
  const benchmark = await BENCHMARKS[name]!();
  await benchmark.run();
}
