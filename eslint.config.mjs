// ESLint flat config: typescript-eslint with type information, Nx module boundaries, Prettier for layout.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TEST_FILES = [
  '**/*.spec.ts',
  '**/test/**/*.ts',
  'libs/testing/**/*.ts',
  'libs/service-testing/**/*.ts',
  'libs/browser-testing/**/*.ts',
  'tools/**/*.ts',
  'bench/**/*.ts',
];

/** Which kind of project may depend on which (apps never import apps; production code never imports test code). */
const depConstraints = (extraForTests) => [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util', ...extraForTests] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util', ...extraForTests] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util', ...extraForTests] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:test-util', onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util', 'type:test-util'] },
  { sourceTag: 'scope:tenant', onlyDependOnLibsWithTags: ['scope:tenant', 'scope:shared'] },
  { sourceTag: 'scope:agent', onlyDependOnLibsWithTags: ['scope:agent', 'scope:shared'] },
  { sourceTag: 'scope:call', onlyDependOnLibsWithTags: ['scope:call', 'scope:shared'] },
  { sourceTag: 'scope:quality', onlyDependOnLibsWithTags: ['scope:quality', 'scope:shared'] },
  { sourceTag: 'scope:edge', onlyDependOnLibsWithTags: ['scope:edge', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
];

const boundaries = (extraForTests) => [
  'error',
  { enforceBuildableLibDependency: false, allow: [], depConstraints: depConstraints(extraForTests) },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.nx/**', '.infra/**', 'coverage/**', '**/jest.config.js', 'jest.preset.js'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // TypeScript reports unused values; this core rule misreads values used only by decorators.
      'no-useless-assignment': 'off',
      // An async method may have nothing to await and still implement an async interface.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read untyped HTTP bodies and Kafka payloads on purpose; they may use test helpers.
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': boundaries(['type:test-util']),
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  {
    // A decider or policy is pure: it imports only contracts, the decider kit, errors and other pure files beside it.
    files: ['**/*.decider.ts', '**/*.policy.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@softphone/(?!(contracts|decider|errors)$)',
              message: 'A decider or policy imports only contracts, decider and errors.',
            },
            { regex: '^(node:|@nestjs/|typeorm|pg$|ioredis|kafkajs|nodemailer)', message: 'A decider or policy does no I/O.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  {
    // Code that runs in the browser: the pages the edge serves and the test harness's peer page.
    files: ['apps/*/public/**/*.js', 'libs/browser-testing/peer/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'module' },
  },
  prettier,
);
