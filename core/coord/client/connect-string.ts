/** Parses "host:port,host:port[/chroot]" (ZooKeeper's connect string; chroot is not supported). */
export interface Endpoint {
  host: string;
  port: number;
}

export class ConnectStringError extends Error {
  readonly code = 'BAD_CONNECT_STRING';
  constructor(readonly connectString: string, detail: string) {
    super(`bad connect string "${connectString}": ${detail}; expected host:port[,host:port...]`);
    this.name = 'ConnectStringError';
  }
}

export function parseConnectString(connectString: string): Endpoint[] {
  if (connectString.includes('/')) throw new ConnectStringError(connectString, 'chroot suffixes are not supported');
  const endpoints = connectString.split(',').map((part) => {
    const trimmed = part.trim();
    const colon = trimmed.lastIndexOf(':');
    const host = colon < 0 ? trimmed : trimmed.slice(0, colon);
    const port = colon < 0 ? 2181 : Number(trimmed.slice(colon + 1));
    if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) throw new ConnectStringError(connectString, `"${trimmed}" is not host:port`);
    return { host, port };
  });
  if (endpoints.length === 0) throw new ConnectStringError(connectString, 'no servers');
  return endpoints;
}
