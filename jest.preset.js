// Shared Jest configuration: native ESM, TypeScript through SWC (legacy decorators
// with metadata, as NestJS needs), workspace aliases mapped to library sources.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

export function projectConfig(projectDir, overrides = {}) {
  return {
    displayName: projectDir,
    rootDir: join(root, projectDir),
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
    testMatch: ['<rootDir>/**/*.spec.ts'],
    moduleNameMapper: {
      '^@softphone/(.*)$': join(root, 'libs/$1/src/index.ts'),
      // package.json "imports": the infrastructure scripts, typed with JSDoc (checkJs).
      '^#infra/(.*)$': join(root, 'scripts/infra/$1.mjs'),
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          swcrc: false,
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
            target: 'es2022',
            keepClassNames: true,
          },
          module: { type: 'es6' },
        },
      ],
    },
    testTimeout: 60_000,
    ...overrides,
  };
}
