/** A token with the right shape; the browser never verifies signatures, so any MAC will do here. */
export function fakeToken(claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const body = {
    jti: 'test',
    sub: 'alice',
    sip_domain: 'voice.test',
    name: 'Alice',
    iat: now,
    exp: now + 3600,
    sip_auth_user: `${now + 3600}:alice`,
    sip_auth_password: 'x',
    ...claims,
  };
  // UTF-8 first: names may hold any character.
  const b64 = (o: unknown) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o))))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(body)}.c2ln`;
}

/** Collects events of the given types fired on a target. */
export function recordEvents(target: EventTarget, types: string[]): Array<{ type: string; detail: unknown }> {
  const log: Array<{ type: string; detail: unknown }> = [];
  for (const type of types) target.addEventListener(type, (e) => log.push({ type, detail: (e as CustomEvent).detail }));
  return log;
}
