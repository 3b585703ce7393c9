import { expect } from '@open-wc/testing';
import { normalizeDialString } from '../../src/core/dial-string.js';

describe('normalizeDialString', () => {
  const accepted: Array<[string, string]> = [
    ['+1 (555) 010-9999', '+15550109999'],
    ['555.010.9999', '5550109999'],
    ['*72#', '*72#'],
    ['  bob ', 'bob'],
    ['alice.smith_2~x+y-z', 'alice.smith_2~x+y-z'],
    ['sip:bob@voice.test', 'bob'],
    ['SIP:bob@VOICE.test', 'bob'],
    ['a'.repeat(64), 'a'.repeat(64)],
  ];
  for (const [input, out] of accepted) {
    it(`accepts ${JSON.stringify(input)}`, () => expect(normalizeDialString(input, 'voice.test')).to.equal(out));
  }
  const refused: unknown[] = [
    '',
    '   ',
    '+',
    '()-',
    'sip:bob@elsewhere.test',
    'sip:bob@voice.test;transport=tcp',
    'sip:@voice.test',
    'bob smith',
    'a'.repeat(65),
    '<script>',
    'bob@voice.test',
    'tel:+1555',
    '12\n34',
    null,
    42,
  ];
  for (const input of refused) {
    it(`refuses ${JSON.stringify(input)}`, () => expect(normalizeDialString(input, 'voice.test')).to.equal(null));
  }
});
