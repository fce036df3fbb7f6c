import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { describeWithTools, TOOLS } from '../../test/support/tools.js';
import { runTool, startTestServer, type TestServer } from './test-support.js';

describeWithTools([TOOLS.redisBenchmark], 'redis-benchmark against the RESP server', () => {
  let server: TestServer;
  const benchmark = (extra: string[]) => runTool('redis-benchmark', ['-h', '127.0.0.1', '-p', String(server.port), '-t', 'set,get', '-n', '20000', '-q', ...extra], undefined, 25_000);
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it.each([
    ['one request at a time per client', []],
    ['16-deep pipelines', ['-P', '16']],
  ])('completes SET and GET with %s, without errors', async (_name, extra) => {
    const run = await benchmark(extra);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/error|WARNING/i);
    const summary = run.stdout.split('\r').join('\n');
    expect(summary).toMatch(/SET: [\d.]+ requests per second/);
    expect(summary).toMatch(/GET: [\d.]+ requests per second/);
  }, 30_000);
});
