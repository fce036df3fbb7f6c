/**
 * One connection's SASL conversation (Kafka's SaslServerAuthenticator, v1 flow):
 *   SaslHandshake(mechanism) → SaslAuthenticate(token)… → authenticated as a principal.
 * PLAIN takes one token ("authzid\0user\0password"); SCRAM two (client-first, client-final).
 *
 * As in Kafka, every failure answers with the protocol's error code and then the connection is
 * closed (`close: true`): an unsupported mechanism (UNSUPPORTED_SASL_MECHANISM, with the enabled
 * list so the client can report it), a request out of order (ILLEGAL_SASL_STATE), a malformed
 * token, unknown user, wrong password or replayed nonce (SASL_AUTHENTICATION_FAILED, with a
 * message that does not say which). Nothing a client sends here can throw out of the session.
 */
import { timingSafeEqual } from 'node:crypto';
import { ErrorCode, type SaslAuthenticateRequest, type SaslAuthenticateResponse, type SaslHandshakeRequest, type SaslHandshakeResponse } from '../protocol/index.js';
import type { UserCredentials } from './config.js';
import type { NonceGuard} from './scram.js';
import { parseClientFirst, ScramError, ScramServerExchange, type ScramMechanism } from './scram.js';

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];
/** The longest PLAIN token accepted (authzid, user and password of 255 bytes each, plus NULs). */
const MAX_PLAIN_TOKEN_BYTES = 1024;

type State =
  | { step: 'awaiting-handshake' }
  | { step: 'awaiting-token'; mechanism: SaslMechanism }
  | { step: 'awaiting-scram-final'; exchange: ScramServerExchange; username: string }
  | { step: 'authenticated'; principal: string }
  | { step: 'failed' };

export interface SaslOutcome<Response> {
  response: Response;
  /** Answer, then close the connection. */
  close: boolean;
}

class AuthenticationFailed extends Error {}

export class SaslSession {
  private state: State = { step: 'awaiting-handshake' };

  constructor(
    private readonly credentials: UserCredentials,
    private readonly nonces: NonceGuard,
  ) {}

  /** The authenticated user name, once authentication succeeded. */
  get principal(): string | undefined {
    return this.state.step === 'authenticated' ? this.state.principal : undefined;
  }

  handshake(request: SaslHandshakeRequest): SaslOutcome<SaslHandshakeResponse> {
    const mechanisms = [...SASL_MECHANISMS];
    if (this.state.step !== 'awaiting-handshake') return this.fail({ errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms });
    const mechanism = SASL_MECHANISMS.find((name) => name === request.mechanism);
    if (mechanism === undefined) return this.fail({ errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms });
    this.state = { step: 'awaiting-token', mechanism };
    return { response: { errorCode: ErrorCode.NONE, mechanisms }, close: false };
  }

  authenticate(request: SaslAuthenticateRequest): SaslOutcome<SaslAuthenticateResponse> {
    const answer = (authBytes: Buffer) => ({ response: { errorCode: ErrorCode.NONE, errorMessage: null, authBytes, sessionLifetimeMs: 0n }, close: false });
    const refuse = (errorCode: number, errorMessage: string) => this.fail({ errorCode, errorMessage, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n });
    const state = this.state;
    try {
      switch (state.step) {
        case 'awaiting-token':
          if (state.mechanism === 'PLAIN') {
            this.state = { step: 'authenticated', principal: this.checkPlain(request.authBytes) };
            return answer(Buffer.alloc(0));
          }
          return answer(Buffer.from(this.scramFirst(state.mechanism, request.authBytes), 'utf8'));
        case 'awaiting-scram-final': {
          const serverFinal = state.exchange.final(request.authBytes.toString('utf8'));
          this.state = { step: 'authenticated', principal: state.username };
          return answer(Buffer.from(serverFinal, 'utf8'));
        }
        default:
          return refuse(ErrorCode.ILLEGAL_SASL_STATE, `SaslAuthenticate is not valid in state ${state.step}`);
      }
    } catch (error) {
      if (error instanceof AuthenticationFailed || error instanceof ScramError) return refuse(ErrorCode.SASL_AUTHENTICATION_FAILED, 'Authentication failed: invalid credentials or malformed SASL message');
      throw error;
    }
  }

  private fail<Response>(response: Response): SaslOutcome<Response> {
    this.state = { step: 'failed' };
    return { response, close: true };
  }

  private checkPlain(token: Buffer): string {
    if (token.length > MAX_PLAIN_TOKEN_BYTES) throw new AuthenticationFailed();
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3) throw new AuthenticationFailed();
    const [authzid, username, password] = parts as [string, string, string];
    if (username === '' || (authzid !== '' && authzid !== username)) throw new AuthenticationFailed();
    const expected = this.credentials.plain.get(username);
    if (expected === undefined) throw new AuthenticationFailed();
    const given = Buffer.from(password, 'utf8');
    const wanted = Buffer.from(expected, 'utf8');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) throw new AuthenticationFailed();
    return username;
  }

  private scramFirst(mechanism: ScramMechanism, token: Buffer): string {
    const clientFirst = parseClientFirst(token.toString('utf8'));
    if (!this.nonces.claim(clientFirst.clientNonce)) throw new ScramError('client nonce seen before (replayed message)');
    const credential = this.credentials.scram.get(mechanism)?.get(clientFirst.username);
    if (credential === undefined) throw new AuthenticationFailed();
    const exchange = new ScramServerExchange(mechanism, credential);
    const serverFirst = exchange.first(clientFirst);
    this.state = { step: 'awaiting-scram-final', exchange, username: clientFirst.username };
    return serverFirst;
  }
}
