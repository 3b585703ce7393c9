import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { jssipTrims } from './build/jssip-trims/index.mjs';
import { chunkEntry, chunkInput, chunkTable, classicChunkLoads, sharedImports, transpileTs } from './build/lazy-chunks.mjs';
import { minifyCssTemplates, minifyHtmlTemplates } from './scripts/rollup-minify-css.mjs';
import { thirdPartyNotices } from './scripts/rollup-third-party-notices.mjs';

// Built files are production code: development-only guards (illegal state transitions throw) are off.
const production = replace({ preventAssignment: true, values: { __VOICE_WIDGET_DEV__: 'false', 'process.env.NODE_ENV': '"production"' } });

const browserTs = (extra = {}) => typescript({ tsconfig: './tsconfig.json', sourceMap: true, declaration: false, declarationMap: false, ...extra });

export default [
  // (a) npm build: ES modules with types; lit, @lit/context and jssip stay imports.
  {
    input: { index: 'src/index.ts', define: 'src/define.ts' },
    external: (id) => /^(lit|@lit\/context|jssip|tslib)(\/|$)/.test(id),
    output: { dir: 'dist', format: 'es', sourcemap: true, preserveModules: true, preserveModulesRoot: 'src' },
    // The maps carry the TypeScript itself (src/ is not shipped), so a user's devtools can show it.
    plugins: [production, browserTs({ declaration: true, declarationDir: 'dist', outDir: 'dist', inlineSources: true })],
  },
  // (b) script-tag build: everything bundled and minified; licence comments kept.
  {
    input: 'src/cdn.ts',
    output: { file: 'dist/voice-widget.min.js', format: 'iife', sourcemap: false },
    plugins: [
      production,
      // JsSIP's weight: smaller debug/events/sdp-transform, unused features and grammar rules left out (build/jssip-trims/README.md).
      jssipTrims(),
      // JsSIP uses the `events` package, not Node's module of that name.
      resolve({ browser: true, preferBuiltins: false, exportConditions: ['browser', 'production'] }),
      commonjs({ extensions: ['.js', '.cjs'] }),
      json({ preferConst: true, compact: true }),
      minifyCssTemplates(),
      browserTs({ outDir: 'dist' }),
      // Lit's html/svg templates lose their indentation, as the CSS above (terser leaves both alone: strings to it).
      minifyHtmlTemplates(),
      // Code a page may never use loads later, from beside this file (build/lazy-chunks.mjs).
      classicChunkLoads(),
      // Licence comments inside bundled files go: the notice at the top names each package, its licence and copyright.
      terser({ format: { comments: false }, ecma: 2021, module: false }),
      thirdPartyNotices(),
      // Dialog mode's popup page, shipped beside the bundle it loads.
      {
        name: 'popup-page',
        generateBundle() {
          this.emitFile({ type: 'asset', fileName: 'voice-widget-popup.html', source: readFileSync('src/dialog/popup.html', 'utf8') });
          // The loader snippet, for pages that load the bundle async and call VoiceWidget.create() before it arrives.
          this.emitFile({ type: 'asset', fileName: 'voice-widget-loader.js', source: readFileSync('src/embed/loader-snippet.js', 'utf8') });
          // A classic script with no exports; the global it sets up is typed with voice-widget.min.js.
          this.emitFile({
            type: 'asset',
            fileName: 'voice-widget-loader.d.ts',
            source: "// Classic script: defines window.VoiceWidget (typed by 'voice-widget/voice-widget.min.js') before the bundle loads.\nexport {};\n",
          });
        },
      },
    ],
  },
  // (b2) the script-tag build's lazy chunks: each its own classic script, dist/voice-widget-<name>.js.
  ...chunkTable().map((chunk) => ({
    input: chunkInput(chunk.name),
    output: { file: `dist/voice-widget-${chunk.name}.js`, format: 'iife', sourcemap: false },
    plugins: [
      chunkEntry(chunk),
      // Lit and the view base class come from the main file, not a copy.
      sharedImports(),
      production,
      minifyCssTemplates(),
      transpileTs(),
      minifyHtmlTemplates(),
      resolve({ browser: true, preferBuiltins: false, exportConditions: ['browser', 'production'] }),
      terser({ format: { comments: /@license|@preserve|^!/ }, ecma: 2021, module: false }),
    ],
  })),
  // (c) Node: token minting and the CLI; never part of the browser bundles.
  {
    input: { 'node/index': 'src/node/index.ts', 'node/cli': 'src/node/cli.ts' },
    // Node code keeps its dependencies (ws, jssip's parser) as imports.
    external: (id) => id.startsWith('node:') || builtinModules.includes(id) || /^[a-z@]/.test(id),
    output: { dir: 'dist', format: 'es', sourcemap: true, chunkFileNames: 'node/[name]-[hash].js' },
    plugins: [
      typescript({
        tsconfig: './tsconfig.node.json',
        declaration: true,
        declarationDir: 'dist',
        outDir: 'dist',
        rootDir: 'src',
        inlineSources: true,
      }),
    ],
  },
  // (d) The framework examples in demo/examples/ (React, Vue, the HubSpot bridge), bundled the way an
  // app's own build would: `import 'voice-widget'` is the npm build in dist/ from (a), built just before.
  {
    input: { react: 'demo/examples/react.js', vue: 'demo/examples/vue.js', hubspot: 'demo/examples/hubspot.js' },
    output: { dir: 'demo/examples/build', format: 'es', sourcemap: false, chunkFileNames: 'chunk-[name].js' },
    plugins: [
      {
        name: 'example-aliases',
        resolveId(id, importer) {
          if (id === 'voice-widget') return fileURLToPath(new URL('./dist/index.js', import.meta.url));
          // The Vue build with the template compiler: the examples' templates are strings, compiled in the page.
          if (id === 'vue') return this.resolve('vue/dist/vue.esm-bundler.js', importer, { skipSelf: true });
          return null;
        },
      },
      replace({
        preventAssignment: true,
        values: {
          'process.env.NODE_ENV': '"production"',
          __VUE_OPTIONS_API__: 'true',
          __VUE_PROD_DEVTOOLS__: 'false',
          __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
        },
      }),
      resolve({ browser: true, preferBuiltins: false, exportConditions: ['browser', 'production'] }),
      commonjs(),
      json({ preferConst: true, compact: true }), // JsSIP reads its version from its package.json
    ],
  },
];
