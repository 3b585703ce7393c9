// custom-elements.json for IDEs, Storybook and linters: generated from the
// element's JSDoc by `npm run build` into dist/, and shipped in the package.
const SOURCE = /^\/?src\/(.+)\.[jt]s$/;

/** The `define('tag', Class)` calls of src/define.ts: the analyzer sees only literal `customElements.define`. */
const definitions = [];

export default {
  // The public element and the entry points; the internal sub-elements (vw-dialpad, vw-call-timer) are not API.
  globs: ['src/index.ts', 'src/define.ts', 'src/element/voice-widget.ts'],
  outdir: 'dist',
  litelement: true,
  // package.json names the manifest itself; the analyzer would rewrite the file.
  packagejson: false,
  plugins: [
    {
      name: 'voice-widget:definitions',
      analyzePhase({ ts, node, moduleDoc }) {
        if (!moduleDoc.path.endsWith('src/define.ts') || !ts.isCallExpression(node)) return;
        const [tag, ctor] = node.arguments;
        if (ts.isIdentifier(node.expression) && node.expression.text === 'define' && tag && ts.isStringLiteral(tag) && ctor && ts.isIdentifier(ctor)) {
          definitions.push({ tag: tag.text, className: ctor.text });
        }
      },
      packageLinkPhase({ customElementsManifest }) {
        const modules = customElementsManifest.modules;
        const defineModule = modules.find((m) => m.path.endsWith('src/define.ts'));
        defineModule.exports = definitions.flatMap(({ tag, className }) => {
          const home = modules.find((m) => m.declarations?.some((d) => d.name === className && d.tagName === tag));
          return home ? [{ kind: 'custom-element-definition', name: tag, declaration: { name: className, module: home.path } }] : [];
        });
      },
    },
    {
      // The manifest describes what users import: dist/*.js, not the TypeScript, which is not shipped.
      name: 'voice-widget:dist-paths',
      packageLinkPhase({ customElementsManifest }) {
        const walk = (node) => {
          if (Array.isArray(node)) return node.forEach(walk);
          if (!node || typeof node !== 'object') return;
          for (const [key, value] of Object.entries(node)) {
            if ((key === 'path' || key === 'module') && typeof value === 'string') node[key] = value.replace(SOURCE, 'dist/$1.js');
            else walk(value);
          }
        };
        walk(customElementsManifest);
      },
    },
  ],
};
