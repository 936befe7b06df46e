/** Jest runs TypeScript through swc (fast, no type check); `npm test` runs `tsc` first for types. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  testTimeout: 30000,
  // the SDK logs every operation; VERBOSE=1 shows them
  silent: !process.env.VERBOSE,
}
