import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import fc from 'fast-check';
import { FrameClient } from './frame-client.js';
import { FrameServer } from './frame-server.js';

describe('frame server under garbage', () => {
  let server: FrameServer;
  let port: number;
  beforeAll(async () => {
    server = new FrameServer((frame) => frame, { maxFrameBytes: 4_096, partialFrameTimeoutMs: 100, shutdownGraceMs: 100 });
    ({ port } = await server.listen());
  });
  afterAll(async () => server.close());

  it('stays up and keeps answering a well-behaved client while random bytes hit it', async () => {
    const client = new FrameClient({ port, requestTimeoutMs: 2_000 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 2_000 }), { minLength: 1, maxLength: 5 }), async (chunks) => {
        const socket = net.connect({ port, host: '127.0.0.1' });
        socket.on('error', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        for (const chunk of chunks) socket.write(chunk);
        const probe = Buffer.concat([Buffer.alloc(4), Buffer.from('alive?')]);
        const answer = await client.request(probe);
        socket.destroy();
        expect(answer.subarray(4).toString()).toBe('alive?');
      }),
      { numRuns: 200 },
    );
    await client.close();
    // Every garbage connection is gone: rejected, timed out or closed by its peer.
    for (let waited = 0; server.connectionCount > 0 && waited < 2_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(server.connectionCount).toBe(0);
  });
});
