import { describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerEngine } from './docker.js';

async function withDockerHost<T>(value: string, body: () => Promise<T>): Promise<T> {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = value;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
}

describe('docker engine probe', () => {
  it('reports an engine that answers /_ping as available', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-engine-'));
    const socketPath = join(dir, 'docker.sock');
    const engine = http.createServer((request, response) => response.writeHead(request.url === '/_ping' ? 200 : 404).end('OK'));
    await new Promise<void>((resolve) => engine.listen(socketPath, resolve));
    try {
      expect(await withDockerHost(`unix://${socketPath}`, dockerEngine)).toMatchObject({ available: true });
    } finally {
      await new Promise((resolve) => engine.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing engine as unavailable, with the reason', async () => {
    const result = await withDockerHost('unix:///nonexistent/docker.sock', dockerEngine);
    expect(result.available).toBe(false);
    expect(result.reason).toMatch(/no Docker engine reachable at \/nonexistent\/docker.sock/);
  });
});
