// JsSIP's table of SIP reason phrases (C.REASON_PHRASE, 72 codes), cut to the
// status codes that JsSIP's own source or our browser code write as a number:
// a reply JsSIP builds for any other code gets an empty reason phrase (JsSIP
// writes `reason || C.REASON_PHRASE[code] || ''`; an empty phrase is valid SIP).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

/** Every three-digit number from 100 to 699 in JsSIP's lib (but its constants and grammar) and in our browser code. */
export function statusCodesInSource() {
  const files = [
    ...walk(path.join(ROOT, 'node_modules/jssip/lib')).filter((f) => f.endsWith('.js') && !/[\\/](Constants|Grammar)\.js$/.test(f)),
    ...walk(path.join(ROOT, 'src')).filter((f) => f.endsWith('.ts') && !f.includes(`${path.sep}node${path.sep}`)),
  ];
  const codes = new Set();
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/\b([1-6]\d\d)\b/g)) codes.add(m[1]);
  return codes;
}

/** lib/Constants.js with REASON_PHRASE cut to `keep`; throws if the table is not where it was. */
export function trimReasonPhrases(code, keep) {
  const table = /REASON_PHRASE: \{([^}]*)\}/.exec(code);
  if (!table || !/\b200: 'OK'/.test(table[1]))
    throw new Error("build/jssip-trims: JsSIP's Constants.js changed (REASON_PHRASE); review build/jssip-trims/README.md");
  const kept = [...table[1].matchAll(/(\d{3}): ('(?:[^'\\]|\\.)*')/g)].filter((m) => keep.has(m[1])).map((m) => `${m[1]}: ${m[2]}`);
  return code.replace(table[0], `REASON_PHRASE: {\n        ${kept.join(',\n        ')}\n    }`);
}
