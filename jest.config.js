/**
 * Jest on ESM (see ../shared/STACK.md): ts-jest's ESM preset, `.js` stripped from relative
 * imports, and the `#domain` / `#notifications` subpath imports pointed at the sources.
 * Unit specs sit beside the rules they prove; e2e suites drive the built apps as child
 * processes against real Postgres, Redis and an SMTP catcher.
 */
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.test.json' }] },
  moduleNameMapper: {
    '^#domain$': '<rootDir>/libs/domain/src/index.ts',
    '^#domain/(.*)$': '<rootDir>/libs/domain/src/$1.ts',
    '^#notifications$': '<rootDir>/libs/notifications/src/index.ts',
    '^#notifications/(.*)$': '<rootDir>/libs/notifications/src/$1.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
};

export default {
  // A global setting (it is ignored inside a project): e2e hooks start real processes.
  // Two minutes: a suite's teardown waits for the apps to shut down, and the API may wait out
  // a kept-alive connection (65 s) before it exits.
  testTimeout: 120_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    { ...shared, displayName: 'resilience', testMatch: ['<rootDir>/test/resilience/**/*.resilience-spec.ts'] },
  ],
};
