// SWC transpiles TypeScript (type-checking is `npm run typecheck`). PGlite's CJS build still
// contains native dynamic import()s, which Jest's CJS sandbox rejects, so it is transformed too.
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testTimeout: 30000,
  // Jest's default on a 2-core machine is one worker; the suites wait on PostgreSQL, PGlite and
  // child processes much of the time, so two workers finish well sooner.
  maxWorkers: 2,
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': swc,
    '/node_modules/@electric-sql/pglite/.+\\.c?js$': swc,
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
};
