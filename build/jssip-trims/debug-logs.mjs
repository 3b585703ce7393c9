// JsSIP's debug-level log calls (`logger.debug(…)`, 193 of them), left out of
// the script-tag build: their message strings are ~8 KB of the minified file.
// `warn` and `error` stay. Only a call that is a statement of its own, with
// arguments that cannot act (literals, names, property reads, string
// building, `toString()`, `JSON.stringify`, `Math.floor`), is removed, and it
// becomes an empty statement, so an unbraced `if (x) logger.debug(…);` keeps
// its shape.
import { parseAst } from 'rollup/parseAst';

const PURE = {
  Literal: () => true,
  Identifier: () => true,
  ThisExpression: () => true,
  TemplateLiteral: (n) => n.expressions.every(pure),
  MemberExpression: (n) => pure(n.object) && (!n.computed || pure(n.property)),
  BinaryExpression: (n) => pure(n.left) && pure(n.right),
  LogicalExpression: (n) => pure(n.left) && pure(n.right),
  ConditionalExpression: (n) => pure(n.test) && pure(n.consequent) && pure(n.alternate),
  UnaryExpression: (n) => n.operator !== 'delete' && pure(n.argument),
  ArrayExpression: (n) => n.elements.every((e) => e && pure(e)),
  ObjectExpression: (n) => n.properties.every((p) => p.type === 'Property' && !p.computed && pure(p.value)),
  // Calls that only read: `x.toString()`, `JSON.stringify(…)`, `Math.floor(…)`.
  CallExpression: (n) => n.arguments.every(pure) && PURE_CALLS.has(calleeName(n.callee)) && (n.callee.property?.name !== 'toString' || pure(n.callee.object)),
};
const PURE_CALLS = new Set(['toString', 'JSON.stringify', 'Math.floor']);
const calleeName = (c) =>
  c.type !== 'MemberExpression' || c.computed
    ? ''
    : c.property.name === 'toString'
      ? 'toString'
      : c.object.type === 'Identifier'
        ? `${c.object.name}.${c.property.name}`
        : '';
const pure = (n) => PURE[n.type]?.(n) ?? false;

const isDebugLog = (n) =>
  n.type === 'ExpressionStatement' &&
  n.expression.type === 'CallExpression' &&
  n.expression.callee.type === 'MemberExpression' &&
  !n.expression.callee.computed &&
  n.expression.callee.object.type === 'Identifier' &&
  n.expression.callee.object.name === 'logger' &&
  n.expression.callee.property.name === 'debug';

/** `code` without its removable `logger.debug(…)` statements; `removed` counts them, `kept` the ones with arguments that act. */
export function dropDebugLogs(code) {
  const cuts = [];
  let kept = 0;
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if (isDebugLog(node)) {
      if (node.expression.arguments.every(pure)) cuts.push([node.start, node.end]);
      else kept++;
      return;
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  visit(parseAst(code));
  let out = code;
  for (const [start, end] of cuts.reverse()) out = `${out.slice(0, start)};${out.slice(end)}`;
  return { code: out, removed: cuts.length, kept };
}
