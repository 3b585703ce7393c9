import { expect } from '@open-wc/testing';
import { chooseHost } from '../../src/dialog/popup-hosts.js';
import { exactOrigin, isLoopbackHost, originAllowed, parseAllowList, parseOriginPattern } from '../../src/shared/origins.js';

const list = (value: string) => parseAllowList(value).patterns;

describe("origin allow-list (bridge-origins, the popup page's host list)", () => {
  it('parses exact origins and subdomain wildcards', () => {
    expect(parseOriginPattern('https://crm.example.com')).to.deep.equal({ scheme: 'https:', host: 'crm.example.com', port: '', subdomains: false });
    expect(parseOriginPattern('https://*.example.com')).to.deep.equal({ scheme: 'https:', host: 'example.com', port: '', subdomains: true });
    expect(parseOriginPattern('http://127.0.0.1:8080')).to.deep.equal({ scheme: 'http:', host: '127.0.0.1', port: '8080', subdomains: false });
    expect(parseOriginPattern('https://*.example.com:8443')?.port).to.equal('8443');
  });

  it('refuses entries that are not origins, and wildcards too wide', () => {
    for (const bad of [
      '*',
      'null',
      'https://*',
      'https://*.com',
      'https://*.*.example.com',
      'https://a.*.example.com',
      'https://*example.com',
      '*.example.com',
      'https://crm.example.com/',
      'https://crm.example.com/path',
      'https://user@crm.example.com',
      'https://CRM.example.com',
      'https://crm.example.com:443',
      'ftp://crm.example.com',
      'javascript:alert(1)',
      'https://*.127.0.0.1',
      'crm.example.com',
      // Plain http only on loopback: elsewhere anyone on the network could pose as the host.
      'http://crm.example.com',
      'http://*.example.com',
      'http://10.0.0.5:8080',
    ]) {
      expect(parseOriginPattern(bad), bad).to.equal(null);
    }
    expect(parseAllowList('https://a.example.com  bogus https://*.b.example.com')).to.deep.equal({
      patterns: [parseOriginPattern('https://a.example.com'), parseOriginPattern('https://*.b.example.com')],
      invalid: ['bogus'],
    });
    expect(parseAllowList(null)).to.deep.equal({ patterns: [], invalid: [] });
  });

  it('an exact entry allows that origin only', () => {
    const allow = list('https://crm.example.com');
    expect(originAllowed('https://crm.example.com', allow)).to.equal(true);
    for (const origin of [
      'http://crm.example.com', // another scheme
      'https://crm.example.com:8443', // another port
      'https://example.com',
      'https://a.crm.example.com',
      'https://crm.example.com.evil.com', // look-alikes
      'https://crm-example.com',
      'https://crmexample.com',
      'https://crm.example.co',
      'https://crm.example.com/', // not an origin as a browser writes it
      'https://CRM.example.com',
      'null',
      '',
    ]) {
      expect(originAllowed(origin, allow), origin).to.equal(false);
    }
  });

  it('a wildcard allows subdomains only, with the same scheme and port', () => {
    const allow = list('https://*.example.com');
    expect(originAllowed('https://crm.example.com', allow)).to.equal(true);
    expect(originAllowed('https://eu.crm.example.com', allow)).to.equal(true);
    for (const origin of [
      'https://example.com', // the bare domain
      'https://example.com.evil.com',
      'https://crm.example.com.evil.com',
      'https://evilexample.com',
      'https://crm.evilexample.com',
      'https://xexample.com',
      'http://crm.example.com', // wrong scheme
      'https://crm.example.com:8443', // wrong port
      'https://.example.com',
      'null',
    ]) {
      expect(originAllowed(origin, allow), origin).to.equal(false);
    }
    expect(originAllowed('http://a.app.localhost:8080', list('http://*.app.localhost:8080'))).to.equal(true);
    expect(originAllowed('http://a.app.localhost', list('http://*.app.localhost:8080'))).to.equal(false);
  });

  it('an empty list allows nothing; loopback ports must match', () => {
    expect(originAllowed('https://crm.example.com', [])).to.equal(false);
    const allow = list('http://127.0.0.1:8080 http://localhost:8080');
    expect(originAllowed('http://127.0.0.1:8080', allow)).to.equal(true);
    expect(originAllowed('http://127.0.0.1:8081', allow)).to.equal(false);
    expect(originAllowed('http://localhost', allow)).to.equal(false);
  });
});

describe('exact origins and loopback', () => {
  it('origins must be exact: scheme, host and port, nothing more', () => {
    expect(exactOrigin('https://app.example.com')).to.equal('https://app.example.com');
    expect(exactOrigin('http://127.0.0.1:8080')).to.equal('http://127.0.0.1:8080');
    for (const bad of [
      'https://app.example.com/',
      'https://app.example.com/path',
      'null',
      '*',
      'javascript:alert(1)',
      'https://user@app.example.com',
      '',
      null,
    ]) {
      expect(exactOrigin(bad as string), String(bad)).to.equal(null);
    }
  });

  it('loopback: localhost and its subdomains, 127.0.0.0/8, [::1]; nothing that only looks like it', () => {
    for (const host of ['localhost', 'crm.app.localhost', '127.0.0.1', '127.1.2.3', '[::1]']) expect(isLoopbackHost(host), host).to.equal(true);
    for (const host of ['localhost.example.com', 'evil-localhost', '128.0.0.1', '127.0.0.1.example.com', '10.0.0.1', '[::2]', '']) {
      expect(isLoopbackHost(host), host).to.equal(false);
    }
  });
});

describe("the popup page's choice of host", () => {
  const own = 'https://phone.example.com';

  it('without a list, its own origin only', () => {
    expect(chooseHost(own, null, own)).to.deep.equal({ kind: 'host', origin: own });
    expect(chooseHost('https://crm.example.com', null, own)).to.deep.equal({ kind: 'refused', origin: 'https://crm.example.com' });
    // A list with nothing usable in it is no list.
    expect(chooseHost('https://crm.example.com', '  bogus http://crm.example.com ', own).kind).to.equal('refused');
    expect(chooseHost(own, '', own).kind).to.equal('host');
  });

  it('with a list, the listed origins only (not even its own), with the matcher of bridge-origins', () => {
    const hosts = 'https://crm.example.com https://*.apps.example.com';
    expect(chooseHost('https://crm.example.com', hosts, own)).to.deep.equal({ kind: 'host', origin: 'https://crm.example.com' });
    expect(chooseHost('https://eu.apps.example.com', hosts, own)).to.deep.equal({ kind: 'host', origin: 'https://eu.apps.example.com' });
    for (const claimed of [
      own,
      'https://evil.example',
      'https://apps.example.com',
      'http://crm.example.com',
      'https://crm.example.com:8443',
      'https://crm.example.com.evil.example',
    ]) {
      expect(chooseHost(claimed, hosts, own), claimed).to.deep.equal({ kind: 'refused', origin: claimed });
    }
  });

  it('a claim that is not an origin is refused, never replaced by a listed one; no claim is no host', () => {
    for (const claimed of ['null', '*', 'https://crm.example.com/', 'https://crm.example.com/path', 'javascript:alert(1)']) {
      expect(chooseHost(claimed, 'https://crm.example.com', own).kind, claimed).to.equal('refused');
    }
    expect(chooseHost('x'.repeat(5000), null, own)).to.deep.equal({ kind: 'refused', origin: 'x'.repeat(200) });
    expect(chooseHost(null, 'https://crm.example.com', own)).to.deep.equal({ kind: 'none' });
    expect(chooseHost('', null, own)).to.deep.equal({ kind: 'none' });
  });
});
