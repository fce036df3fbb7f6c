/**
 * Whether a Docker engine answers, for the testcontainers suites: the one kind of suite allowed
 * to skip (CI machines have no engine and cannot install one). Asks the engine's /_ping with a
 * short timeout rather than trusting that a socket file exists.
 */
import { describe } from '@jest/globals';
import http from 'node:http';

const PING_TIMEOUT_MS = 1_500;

export interface DockerEngine {
  available: boolean;
  reason: string;
}

function target(): { socketPath: string } | { host: string; port: number } {
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost?.startsWith('tcp://')) {
    const url = new URL(dockerHost.replace('tcp://', 'http://'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  return { socketPath: dockerHost?.startsWith('unix://') ? dockerHost.slice('unix://'.length) : '/var/run/docker.sock' };
}

export async function dockerEngine(): Promise<DockerEngine> {
  const where = target();
  const label = 'socketPath' in where ? where.socketPath : `${where.host}:${where.port}`;
  return new Promise((resolve) => {
    const request = http.get({ ...where, path: '/_ping', timeout: PING_TIMEOUT_MS }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 ? { available: true, reason: `engine at ${label}` } : { available: false, reason: `engine at ${label} answered ${response.statusCode}` });
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => resolve({ available: false, reason: `no Docker engine reachable at ${label} (${error.message})` }));
  });
}

/** describe() where an engine answers; otherwise one skip line naming why. */
export function describeWithDocker(engine: DockerEngine, title: string, body: () => void): void {
  if (engine.available) {
    describe(title, body);
  } else {
    process.stderr.write(`skipping testcontainers suite "${title}": ${engine.reason}\n`);
    describe.skip(title, body);
  }
}
