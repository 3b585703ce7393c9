// Rollup plugin: minifies the CSS inside Lit's css`…` templates (comments,
// whitespace), which terser leaves alone because to it they are strings.
// Interpolations (${…}) are kept as they are.

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
