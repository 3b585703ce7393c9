// JsSIP's weight, trimmed at build time for the script-tag build (not a fork:
// node_modules/jssip is read as published; see README.md beside this file for
// why each trim is safe, and test/node/jssip-trims.test.js for the guards).
import { fileURLToPath } from 'node:url';
import { dropDebugLogs } from './debug-logs.mjs';
import { statusCodesInSource, trimReasonPhrases } from './reason-phrases.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/** Packages JsSIP requires, replaced by smaller ones beside this file. */
export const REPLACED_PACKAGES = { debug: here('debug.cjs'), events: here('events.cjs'), 'sdp-transform': here('sdp-transform.cjs') };

/** JsSIP modules left out (required by lib/UA.js only), replaced by unused-features.cjs. */
export const STUBBED_MODULES = ['./Message', './Subscriber', './Notifier'];

/**
 * The grammar rules JsSIP's own source parses: `Grammar.parse(x, 'Rule')` and the
 * headers it reads through SIPMessage.parseHeader (header name → rule name). Every
 * other entry of the grammar's start-rule table is cut, and the rules only it
 * reached go with it.
 */
export const KEPT_GRAMMAR_RULES = [
  // Grammar.parse(x, '…') in lib/
  'Name_Addr_Header',
  'host',
  'absoluteURI',
  'quoted_string',
  'SIP_URI',
  'uuid',
  'Event',
  'Request_Response',
  'Record_Route',
  'Contact',
  'Status_Line',
  // parseHeader('…') / s('…') in lib/ (Parser.js, Dialog.js, RequestSender.js, Subscriber.js, SIPMessage.js, sanityCheck.js)
  'Via',
  'From',
  'To',
  'Call_ID',
  'Content_Length',
  'Content_Type',
  'CSeq',
  'Max_Forwards',
  'WWW_Authenticate',
  'Proxy_Authenticate',
  'Session_Expires',
  'Refer_To',
  'Replaces',
  'Subscription_State',
];

const isJssip = (id) => /[\\/]node_modules[\\/]jssip[\\/]lib[\\/]/.test(id ?? '');

/**
 * lib/Grammar.js without its failure bookkeeping (JsSIP builds each syntax error's
 * message and then discards it: parse returns -1) and with the start-rule table
 * cut to KEPT_GRAMMAR_RULES. Throws if the source no longer has the expected shape.
 */
export function trimGrammar(code) {
  const fail = (what) => {
    throw new Error(`build/jssip-trims: JsSIP's Grammar.js changed (${what}); review build/jssip-trims/README.md`);
  };
  const checks = (code.match(/if \(reportFailures === 0\) \{/g) ?? []).length;
  let out = code.replace(/if \(reportFailures === 0\) \{\s*matchFailed\("(?:[^"\\]|\\.)*"\);\s*\}/g, '');
  if (checks === 0 || /reportFailures === 0/.test(out)) fail('failure reports');
  const errorPath = /if \(result === null \|\| pos !== input\.length\) \{[\s\S]*?return -1;\s*\}/;
  if (!errorPath.test(out)) fail('error path');
  out = out.replace(errorPath, 'if (result === null || pos !== input.length) {\n                return -1;\n            }');
  const syntaxError = /result\.SyntaxError = function[\s\S]*?result\.SyntaxError\.prototype = Error\.prototype;/;
  if (!syntaxError.test(out)) fail('SyntaxError');
  out = out.replace(syntaxError, '');
  const table = /var parseFunctions = \{([^}]*)\};/;
  const m = table.exec(out);
  if (!m) fail('start-rule table');
  const entries = new Map([...m[1].matchAll(/"(\w+)": (parse_\w+)/g)].map((e) => [e[1], e[2]]));
  const missing = KEPT_GRAMMAR_RULES.filter((r) => !entries.has(r));
  if (missing.length) fail(`no rule ${missing.join(', ')}`);
  const kept = KEPT_GRAMMAR_RULES.map((r) => `"${r}": ${entries.get(r)}`).join(',\n                ');
  return out.replace(table, `var parseFunctions = {\n                ${kept}\n            };`);
}

/** The rollup plugin: resolve replacements for JsSIP's imports, transform its grammar, drop its debug-level logs. */
export function jssipTrims() {
  const statusCodes = statusCodesInSource();
  return {
    name: 'jssip-trims',
    resolveId(source, importer) {
      if (!isJssip(importer)) return null;
      if (Object.hasOwn(REPLACED_PACKAGES, source)) return REPLACED_PACKAGES[source];
      if (/[\\/]lib[\\/]UA\.js$/.test(importer) && STUBBED_MODULES.includes(source)) return here('unused-features.cjs');
      return null;
    },
    transform(code, id) {
      if (!isJssip(id)) return null;
      let trimmed = /[\\/]lib[\\/]Grammar\.js$/.test(id) ? trimGrammar(code) : code;
      if (/[\\/]lib[\\/]Constants\.js$/.test(id)) trimmed = trimReasonPhrases(trimmed, statusCodes);
      return { code: trimmed.includes('logger.debug') ? dropDebugLogs(trimmed).code : trimmed, map: null };
    },
  };
}
