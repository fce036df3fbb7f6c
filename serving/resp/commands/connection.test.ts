import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { RawClient, command, connectIoredis, startTestServer, type TestServer } from '../test-support.js';

describe('connection commands', () => {
  let server: TestServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startTestServer();
    redis = await connectIoredis(server.port);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  it('answers PING and ECHO', async () => {
    expect(await redis.ping()).toBe('PONG');
    expect(await redis.ping('hi')).toBe('hi');
    expect(await redis.echo('x y')).toBe('x y');
    await expect(redis.call('PING', 'a', 'b')).rejects.toThrow("ERR wrong number of arguments for 'ping' command");
  });

  it('has one database: SELECT 0 works, other indexes are out of range', async () => {
    expect(await redis.select(0)).toBe('OK');
    await expect(redis.call('SELECT', '1')).rejects.toThrow('ERR DB index is out of range');
    await expect(redis.call('SELECT', 'x')).rejects.toThrow('ERR value is not an integer or out of range');
  });

  it('names clients, ids them, and validates names like Redis', async () => {
    const client = await RawClient.connect(server.port);
    client.send(Buffer.concat([command('CLIENT', 'GETNAME'), command('CLIENT', 'SETNAME', 'worker-1'), command('CLIENT', 'GETNAME'), command('CLIENT', 'SETNAME', 'a b'), command('CLIENT', 'ID')]));
    const [noName, ok, name, refused, id] = (await client.replies(5)).map((reply) => reply.toString());
    expect([noName, ok, name, refused]).toEqual(['$-1\r\n', '+OK\r\n', '$8\r\nworker-1\r\n', '-ERR Client names cannot contain spaces, newlines or special characters.\r\n']);
    expect(id).toMatch(/^:\d+\r\n$/);
    client.send(command('CLIENT', 'LIST'));
    expect(await client.reply()).toMatch(/name=worker-1/);
    client.close();
  });

  it('accepts ioredis’s CLIENT SETINFO and refuses unknown subcommands with Redis’s text', async () => {
    expect(await redis.call('CLIENT', 'SETINFO', 'LIB-NAME', 'ioredis')).toBe('OK');
    await expect(redis.call('CLIENT', 'KILL', 'x')).rejects.toThrow("ERR unknown subcommand 'KILL'. Try CLIENT HELP.");
    await expect(redis.call('CLIENT')).rejects.toThrow("ERR wrong number of arguments for 'client' command");
    await expect(redis.call('CLIENT', 'SETNAME')).rejects.toThrow("ERR wrong number of arguments for 'client|setname' command");
  });

  it('switches to RESP3 with HELLO 3 and answers in it from then on', async () => {
    const client = await RawClient.connect(server.port);
    client.send(Buffer.concat([command('HELLO', '3', 'SETNAME', 'r3'), command('GET', 'nothing'), command('HELLO', '2'), command('GET', 'nothing')]));
    const [hello3, null3, hello2, null2] = (await client.replies(4)).map((reply) => reply.toString());
    expect(hello3).toMatch(/^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n\$7\r\nversion\r\n\$6\r\n7\.0\.15\r\n\$5\r\nproto\r\n:3\r\n\$2\r\nid\r\n:\d+\r\n\$4\r\nmode\r\n\$10\r\nstandalone\r\n\$4\r\nrole\r\n\$6\r\nmaster\r\n\$7\r\nmodules\r\n\*0\r\n$/);
    expect(null3).toBe('_\r\n');
    expect(hello2).toMatch(/^\*14\r\n/);
    expect(null2).toBe('$-1\r\n');
    client.close();
  });

  it('refuses unsupported HELLO versions and options like Redis', async () => {
    await expect(redis.call('HELLO', '4')).rejects.toThrow('NOPROTO unsupported protocol version');
    await expect(redis.call('HELLO', 'x')).rejects.toThrow('ERR Protocol version is not an integer or out of range');
    await expect(redis.call('HELLO', '2', 'AUTH', 'bob', 'secret')).rejects.toThrow('WRONGPASS invalid username-password pair or user is disabled.');
    await expect(redis.call('HELLO', '2', 'BOGUS')).rejects.toThrow("ERR Syntax error in HELLO option 'BOGUS'");
  });

  it('answers QUIT with OK after the replies before it, then closes, ignoring what follows', async () => {
    const client = await RawClient.connect(server.port);
    client.send(Buffer.concat([command('PING'), command('QUIT'), command('PING')]));
    expect(await client.untilClosed()).toBe('+PONG\r\n+OK\r\n');
  });
});
