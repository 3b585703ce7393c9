/**
 * The /v1/tokens routes: matching, auth and rate limiting, the handlers, and
 * the one log line per request.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { decodeToken, mintToken } from '../token.js';
import type { ApiKeys } from './auth.js';
import { ApiError, readJson, requireJson, sendError, sendJson } from './http-io.js';
import { addressKey, type RateLimiter } from './rate-limit.js';
import type { RecordStore } from './record-store.js';
import type { StoredToken, TokenRecord } from './store.js';
import { TokenStoreFullError } from './store-limits.js';
import { parseCreate, parsePayloadUpdate } from './validate.js';
import { TOKEN_ID } from '../../shared/token-claims.js';

export interface ApiContext {
  store: RecordStore;
  keys: ApiKeys;
  limiter: RateLimiter;
  secret: string;
  domain: string;
  now: () => number;
  log?: (line: string) => void;
  closed(): boolean;
  /** Tells revocation listeners; called after the revocation is on disk. */
  revoked(jti: string): void;
}

const PREFIX = '/v1/tokens';

type Route = { kind: 'collection' } | { kind: 'item'; id: string } | { kind: 'unknown' };

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Which of our routes a request URL names; null when it is not under /v1/tokens. */
export function matchRoute(url: string | undefined): Route | null {
  // Split by hand: new URL() would read "//x/..." as a host name.
  const path = (url ?? '').split(/[?#]/, 1)[0];
  if (path === PREFIX || path === `${PREFIX}/`) return { kind: 'collection' };
  if (!path.startsWith(`${PREFIX}/`)) return null;
  const rest = path.slice(PREFIX.length + 1).replace(/\/$/, '');
  return TOKEN_ID.test(rest) ? { kind: 'item', id: rest } : { kind: 'unknown' };
}

export async function handleRequest(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const route = matchRoute(req.url);
  if (route === null) return false;
  const started = performance.now();
  let answer: Answer | ApiError;
  try {
    answer = await respond(ctx, req, route);
  } catch (e) {
    if (e instanceof ApiError) {
      answer = e;
    } else if (e instanceof TokenStoreFullError) {
      answer = new ApiError(507, 'store-full', e.message);
    } else if (ctx.closed()) {
      answer = new ApiError(503, 'unavailable', 'the token service is shut down');
    } else {
      // Details go to the operator, not to the client.
      process.emitWarning(`token service: ${(e as Error)?.message ?? String(e)}`, 'TokenServiceWarning');
      answer = new ApiError(500, 'internal', 'internal error; nothing was changed');
    }
  }
  if (!res.headersSent && !res.destroyed) {
    if (answer instanceof ApiError) sendError(req, res, answer);
    else sendJson(res, answer.status, answer.body, answer.headers);
  }
  if (ctx.log) {
    const ms = Math.round(performance.now() - started);
    try {
      ctx.log(`${req.method} ${await logPath(ctx, route)} ${answer.status} ${ms}ms`);
    } catch {
      // a failing logger must not break the API
    }
  }
  return true;
}

async function respond(ctx: ApiContext, req: IncomingMessage, route: Route): Promise<Answer> {
  if (ctx.closed()) throw new ApiError(503, 'unavailable', 'the token service is shut down');

  // Requests with a valid key share that key's bucket; all others share their
  // address's, so guessing keys is throttled as well.
  const key = ctx.keys.match(req.headers.authorization);
  const wait = ctx.limiter.take(key >= 0 ? `key:${key}` : addressKey(req.socket.remoteAddress));
  if (wait > 0) throw new ApiError(429, 'rate-limited', `too many requests; retry in ${wait} s`, { 'Retry-After': String(wait) });

  // A CORS preflight: this API is for backends, and answering it would invite pages to call it.
  if (req.method === 'OPTIONS') throw methodNotAllowed(route);

  if (key < 0) {
    throw new ApiError(401, 'unauthorized', 'send a valid API key as Authorization: Bearer <key>', { 'WWW-Authenticate': 'Bearer' });
  }

  if (route.kind === 'unknown') throw notFound('no such route');
  if (route.kind === 'collection') {
    if (req.method === 'GET') return { status: 200, body: (await ctx.store.list()).map(publicRecord) };
    if (req.method === 'POST') return create(ctx, req);
    throw methodNotAllowed(route);
  }
  if (req.method === 'GET') return get(ctx, route.id);
  if (req.method === 'PUT') return replacePayload(ctx, req, route.id);
  if (req.method === 'DELETE') return revoke(ctx, route.id);
  throw methodNotAllowed(route);
}

async function create(ctx: ApiContext, req: IncomingMessage): Promise<Answer> {
  requireJson(req);
  const input = parseCreate(await readJson(req));
  const uuid = randomUUID();
  let token: string;
  try {
    token = mintToken({
      secret: ctx.secret,
      user: input.sip_user,
      domain: ctx.domain,
      name: input.name,
      ttl: input.ttl,
      callerIds: input.caller_ids,
      allowedDomains: input.allowed_domains,
      jti: uuid,
      now: ctx.now,
    });
  } catch (e) {
    if (e instanceof TypeError) throw new ApiError(400, 'invalid-field', e.message);
    throw e;
  }
  // Record times come from the token itself so they match its iat/exp exactly.
  const claims = decodeToken(token);
  const record: StoredToken = {
    uuid,
    token_sha256: createHash('sha256').update(token).digest('hex'),
    sip_user: input.sip_user,
    name: input.name,
    ttl: input.ttl,
    payload: input.payload,
    caller_ids: input.caller_ids,
    allowed_domains: input.allowed_domains,
    created_at: isoSeconds(claims.iat),
    expires_at: isoSeconds(claims.exp),
  };
  // Stored before it is handed out: a token the API returned is always one it can list and revoke.
  await ctx.store.create(record);
  return { status: 201, body: { token, ...publicRecord(record) }, headers: { Location: `${PREFIX}/${uuid}` } };
}

async function get(ctx: ApiContext, id: string): Promise<Answer> {
  const record = await ctx.store.active(id);
  if (!record) throw notFound(`no active token ${id}`);
  return { status: 200, body: publicRecord(record) };
}

async function replacePayload(ctx: ApiContext, req: IncomingMessage, id: string): Promise<Answer> {
  requireJson(req);
  const { payload } = parsePayloadUpdate(await readJson(req));
  const updated = await ctx.store.setPayload(id, payload);
  if (!updated) throw notFound(`no active token ${id}`);
  return { status: 200, body: publicRecord(updated) };
}

async function revoke(ctx: ApiContext, id: string): Promise<Answer> {
  // Never refused for the store's size (see TokenStore.revoke).
  if (!(await ctx.store.revoke(id))) throw notFound(`no active token ${id}`);
  ctx.revoked(id);
  return { status: 200, body: { success: true } };
}

export function publicRecord(r: StoredToken): TokenRecord {
  return {
    uuid: r.uuid,
    sip_user: r.sip_user,
    name: r.name,
    ttl: r.ttl,
    payload: r.payload,
    caller_ids: r.caller_ids,
    allowed_domains: r.allowed_domains,
    created_at: r.created_at,
    expires_at: r.expires_at,
  };
}

function notFound(message: string): ApiError {
  return new ApiError(404, 'not-found', message);
}

function methodNotAllowed(route: Route): ApiError {
  const allow = route.kind === 'collection' ? 'GET, POST' : route.kind === 'item' ? 'GET, PUT, DELETE' : '';
  return new ApiError(405, 'method-not-allowed', allow ? `use ${allow}` : 'no such route', allow ? { Allow: allow } : {});
}

// Only ids of stored records are logged as they are; anything else in the
// path could be a pasted token or key.
async function logPath(ctx: ApiContext, route: Route): Promise<string> {
  if (route.kind === 'collection') return PREFIX;
  if (route.kind === 'item' && (await Promise.resolve(ctx.store.get(route.id)).catch(() => undefined))) return `${PREFIX}/${route.id}`;
  return `${PREFIX}/{unknown}`;
}

function isoSeconds(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}
