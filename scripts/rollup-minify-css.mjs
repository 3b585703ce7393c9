// Rollup plugin: minifies the CSS inside Lit's css`…` templates (comments,
// whitespace), which terser leaves alone because to it they are strings.
// Interpolations (${…}) are kept as they are.
import MagicString from 'magic-string';

/** Minifies one template's text (between the backticks). */
export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

export function minifyCssTemplates({ include = /\/src\/element\/.+\.ts$/ } = {}) {
  return {
    name: 'minify-css-templates',
    transform(code, id) {
      // TypeScript's output writes the tag as "css `…`".
      if (!include.test(id) || !/\bcss ?`/.test(code)) return null;
      const out = code.replace(/\bcss ?`([^`]*)`/g, (_, body) => `css\`${minifyCss(body)}\``);
      return { code: out, map: null };
    },
  };
}

/**
 * A Lit html`…`/svg`…` template's static text with each run of whitespace that
 * holds a line break (the source's indentation) made one space: rendered the
 * same wherever white-space collapses (all our templates; none sits in a `pre`),
 * and attribute lists read the same.
 */
export const minifyHtml = (text) => text.replace(/\s*\n\s*/g, ' ');

/**
 * Rollup plugin: minifies Lit's html and svg templates in our modules (after
 * TypeScript), found by parsing, not by a pattern: the tag is an identifier
 * named html or svg (what our code imports from Lit). Only the templates'
 * static parts change; ${…} expressions and every other string stay as they are.
 */
export function minifyHtmlTemplates({ include = /[\\/]src[\\/].+\.ts$/ } = {}) {
  return {
    name: 'minify-html-templates',
    transform(code, id) {
      if (!include.test(id) || !/\b(html|svg) ?`/.test(code)) return null;
      const out = new MagicString(code);
      const walk = (node) => {
        if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && /^(html|svg)$/.test(node.tag.name))
          for (const q of node.quasi.quasis) {
            const raw = code.slice(q.start, q.end);
            const min = minifyHtml(raw);
            if (min !== raw) out.overwrite(q.start, q.end, min);
          }
        for (const value of Object.values(node))
          for (const child of Array.isArray(value) ? value : [value]) if (child && typeof child.type === 'string') walk(child);
      };
      walk(this.parse(code));
      if (!out.hasChanged()) return null;
      return { code: out.toString(), map: out.generateMap({ hires: true }) };
    },
  };
}
