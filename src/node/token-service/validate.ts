/**
 * Request-body validation. Everything is checked before anything is minted
 * or written, so a rejected request changes nothing.
 */
import { CALLER_ID, DISPLAY_NAME, DOMAIN_NAME, MAX_TTL, MIN_TTL, SIP_USER } from '../../shared/token-claims.js';
import { ApiError } from './http-io.js';

/** Largest payload, serialized as compact JSON (as the store keeps it), in bytes. */
export const MAX_PAYLOAD_BYTES = 8 * 1024;
/** Deepest nesting of objects and arrays in a payload (`{}` is 1, `{"a":[1]}` is 2). */
export const MAX_PAYLOAD_DEPTH = 8;
/** Most entries in caller_ids or allowed_domains. */
const MAX_LIST = 50;
const DEFAULT_TTL = 3600;

export interface CreateRequest {
  sip_user: string;
  name: string;
  ttl: number;
  payload: unknown;
  caller_ids: string[];
  allowed_domains: string[];
}

const CREATE_FIELDS = ['sip_user', 'name', 'ttl', 'payload', 'caller_ids', 'allowed_domains'];

/** Checks a create request with the rules mintToken applies, first, so the client gets a 400 naming the field. */
export function parseCreate(body: unknown): CreateRequest {
  const fields = requireObject(body, CREATE_FIELDS);
  if (fields.sip_user === undefined) throw missing('sip_user');
  if (typeof fields.sip_user !== 'string' || !SIP_USER.test(fields.sip_user)) {
    throw invalid('sip_user must be 1 to 64 characters of letters, digits and . _ ~ + -');
  }
  let name = fields.sip_user;
  if (fields.name !== undefined) {
    if (typeof fields.name !== 'string' || !DISPLAY_NAME.test(fields.name)) {
      throw invalid('name must be 1 to 128 characters, without control characters');
    }
    name = fields.name;
  }
  let ttl = DEFAULT_TTL;
  if (fields.ttl !== undefined) {
    if (typeof fields.ttl !== 'number' || !Number.isInteger(fields.ttl) || fields.ttl < MIN_TTL || fields.ttl > MAX_TTL) {
      throw invalid(`ttl must be a whole number of seconds from ${MIN_TTL} to ${MAX_TTL}`);
    }
    ttl = fields.ttl;
  }
  const caller_ids = stringList(fields.caller_ids, 'caller_ids', (id) => CALLER_ID.test(id) || SIP_USER.test(id), 'a phone number or SIP user');
  const allowed_domains = stringList(
    fields.allowed_domains,
    'allowed_domains',
    (d) => DOMAIN_NAME.test(d.toLowerCase()),
    'a host name such as app.example.com (no scheme, port, path or wildcard)',
  ).map((d) => d.toLowerCase());
  const payload = 'payload' in fields ? checkPayload(fields.payload) : {};
  return { sip_user: fields.sip_user, name, ttl, payload, caller_ids, allowed_domains };
}

/** PUT body: exactly `{ payload }`. */
export function parsePayloadUpdate(body: unknown): { payload: unknown } {
  const fields = requireObject(body, ['payload']);
  if (!('payload' in fields)) throw missing('payload');
  return { payload: checkPayload(fields.payload) };
}

function requireObject(body: unknown, allowed: string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid-body', 'request body must be a JSON object');
  }
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      'unknown-field',
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; allowed: ${allowed.join(', ')}`,
    );
  }
  return body as Record<string, unknown>;
}

function checkPayload(payload: unknown): unknown {
  // Depth first: it stops at the limit, before anything walks the whole value.
  if (deeperThan(payload, MAX_PAYLOAD_DEPTH)) {
    throw new ApiError(400, 'too-deep', `payload nests objects and arrays deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  }
  if (Buffer.byteLength(JSON.stringify(payload)) > MAX_PAYLOAD_BYTES) {
    throw new ApiError(413, 'too-large', `payload is larger than ${MAX_PAYLOAD_BYTES} bytes as JSON`);
  }
  return payload;
}

function deeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  return Object.values(value).some((child) => deeperThan(child, levels - 1));
}

function stringList(value: unknown, field: string, ok: (s: string) => boolean, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_LIST) throw invalid(`${field} must be an array of at most ${MAX_LIST} strings`);
  for (const item of value) {
    if (typeof item !== 'string' || !ok(item)) throw invalid(`${field}: ${JSON.stringify(item)} is not ${what}`);
  }
  return value as string[];
}

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid-field', message);
}

function missing(field: string): ApiError {
  return new ApiError(400, 'missing-field', `${field} is required`);
}
