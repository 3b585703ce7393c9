// ESLint flat config. Formatting is Prettier's job; these rules look for bugs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import litA11y from 'eslint-plugin-lit-a11y';
import globals from 'globals';

// Files that run in Node; everything else under src/, demo/ and test pages runs in a browser.
const nodeFiles = [
  'src/node/**',
  'scripts/**',
  'build/**/*.mjs',
  'bin/**',
  'test/**/*.js',
  'demo/start.js',
  'demo/host-backend.js',
  '*.config.{js,mjs}',
  'rollup.config.mjs',
];
// Scripts that test/e2e and the bench load into Chromium pages.
const browserTestPages = ['test/e2e/pages/**', 'test/bench/pages/**'];

export default tseslint.config(
  // Generated or not ours (the same folders as .gitignore, which Prettier reads itself).
  { ignores: ['dist/', 'node_modules/', '.tmp/', '.voice-widget/', 'screenshots/', 'demo/examples/build/', 'test/e2e/pages/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // The sanitizers (display names, token claims, baresip's ANSI output) match control characters on purpose.
      'no-control-regex': 'off',
      // `const { token: _omit, ...rest } = x` is how a field is dropped from a copy; `_name` marks a parameter kept as a label.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
      // Empty interfaces are public extension points (`ReadyDetail`) or carry merged members (`HTMLElementEventMap`).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'always' }],
      // `VoiceWidgetHandle`'s class and interface merge on purpose: the element's methods are copied onto its prototype.
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'test/unit/**/*.ts'],
    ignores: ['src/node/**'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts', 'test/unit/**/*.ts'],
    ignores: ['src/node/**'],
    ...wc.configs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/node/**'],
    plugins: { 'lit-a11y': litA11y },
    rules: litA11y.configs.recommended.rules,
  },
  {
    // build/jssip-trims: CommonJS replacements bundled for the browser in place of JsSIP's dependencies.
    files: ['build/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.browser, ...globals.commonjs } },
  },
  {
    files: nodeFiles,
    ignores: browserTestPages,
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['test/unit/**/*.ts'],
    languageOptions: { globals: { ...globals.mocha } },
    // Chai's property assertions (`expect(x).to.exist`) are expressions.
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    // One order of members in every class: fields (static first), the constructor, static methods (factories such as
    // `parse`, `start`), accessors, methods.
    files: ['**/*.{ts,js,mjs}'],
    rules: {
      '@typescript-eslint/member-ordering': [
        'error',
        {
          default: ['signature', 'call-signature', 'static-field', 'field', 'static-initialization', 'constructor', 'static-method', ['get', 'set'], 'method'],
        },
      ],
    },
  },
  {
    // The CDN bundle's script tag on the same page defines the global.
    files: ['demo/examples/imperative.js'],
    languageOptions: { globals: { VoiceWidget: 'readonly' } },
  },
);
