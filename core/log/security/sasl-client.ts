/**
 * The client side of SASL over SaslHandshake v1 + SaslAuthenticate v1, for this broker's own
 * connections to other brokers (replica fetchers authenticate as the inter-broker user).
 * `send` is the connection's typed request function, called before anything else is sent.
 */
import { ApiKey, ErrorCode, errorName, type ApiBodies } from '../protocol/index.js';
import type { InterBrokerCredential } from './config.js';
import { ScramClientExchange } from './scram.js';

type Send = <K extends typeof ApiKey.SaslHandshake | typeof ApiKey.SaslAuthenticate>(apiKey: K, apiVersion: number, body: ApiBodies[K]['request']) => Promise<ApiBodies[K]['response']>;

export class SaslClientError extends Error {
  constructor(readonly mechanism: string, readonly errorCode: number, detail: string | null) {
    super(`SASL ${mechanism} authentication failed: ${errorName(errorCode) ?? errorCode}${detail ? ` (${detail})` : ''}; check the inter-broker user's password`);
    this.name = 'SaslClientError';
  }
}

export async function authenticateAs(send: Send, credential: InterBrokerCredential): Promise<void> {
  const mechanism = credential.mechanism ?? 'PLAIN';
  const handshake = await send(ApiKey.SaslHandshake, 1, { mechanism });
  if (handshake.errorCode !== ErrorCode.NONE) throw new SaslClientError(mechanism, handshake.errorCode, `broker enables ${handshake.mechanisms.join(', ')}`);
  const token = async (authBytes: Buffer) => {
    const response = await send(ApiKey.SaslAuthenticate, 1, { authBytes });
    if (response.errorCode !== ErrorCode.NONE) throw new SaslClientError(mechanism, response.errorCode, response.errorMessage);
    return response.authBytes.toString('utf8');
  };
  if (mechanism === 'PLAIN') {
    await token(Buffer.from(`\u0000${credential.username}\u0000${credential.password}`, 'utf8'));
    return;
  }
  const exchange = new ScramClientExchange(mechanism, credential.username, credential.password);
  const serverFirst = await token(Buffer.from(exchange.first(), 'utf8'));
  exchange.verify(await token(Buffer.from(exchange.final(serverFirst), 'utf8')));
}
