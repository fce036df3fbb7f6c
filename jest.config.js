// Jest runs the TypeScript sources directly (transformed by SWC) as native ES modules.
// Cross-process suites start the compiled CLI from dist/, which `npm test` builds first.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 30_000,
  // In CI a leaked handle must not turn a green run into a time-out; locally, Jest reports it.
  forceExit: process.env.CI === 'true',
  // Two cores: more workers only add contention between socket-heavy suites.
  maxWorkers: 2,
};
