// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const MOCK = 'packages/mock-server/src';

/**
 * A layer of the mock server that must not reach into another: the FHIR side only knows the
 * identity side through `access.ts` (the verifier interface), and the identity side never reads
 * the FHIR store.
 * @param {string} from
 * @param {string} forbidden
 * @returns {import('eslint').Linter.Config}
 */
function mockLayer(from, forbidden) {
  return {
    files: [`${MOCK}/${from}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [`**/${forbidden}/*`, `../${forbidden}/*`],
              message: `The mock's ${from}/ layer must not import ${forbidden}/ (see docs/architecture.md).`,
            },
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/dist-*/**',
      '**/.tsc/**',
      'docs/**',
      '**/coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        // Type-aware rules: every TypeScript file belongs to its package's test project (sources
        // and tests), root tooling to tsconfig.tools.json.
        project: ['packages/*/tsconfig.test.json', 'tsconfig.tools.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // A promise nobody awaits loses its rejection; in a service worker it also loses the work.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'no-console': 'off',
    },
  },
  {
    // Plain JavaScript outside the TypeScript projects (none today) is not type-checked.
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The auth core runs unchanged in a service worker and a web page: web-standard APIs only.
    files: ['packages/auth-core/src/**/*.ts'],
    ignores: ['packages/auth-core/src/**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The auth core must not import Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/extension/src/**/*.ts', 'packages/extension/test/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'webextension-polyfill',
              message:
                'Only src/browser.ts imports the polyfill; use its `extensionApi` (one place to fake in tests).',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        {
          name: 'chrome',
          message:
            'Use the `ExtensionApi` that src/browser.ts wraps (the polyfill), so Firefox and tests work too.',
        },
        {
          name: 'browser',
          message: 'Use the `ExtensionApi` that src/browser.ts wraps (the polyfill).',
        },
      ],
    },
  },
  {
    files: ['packages/extension/src/browser.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  mockLayer('fhir', 'oidc'),
  mockLayer('oidc', 'fhir'),
  mockLayer('data', 'oidc'),
  mockLayer('data', 'fhir'),
  prettier,
);
