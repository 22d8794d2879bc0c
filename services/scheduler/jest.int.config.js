// Integration tests: the built scheduler as real processes against the local stack (PostgreSQL, Kafka).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'scheduler:int',
  rootDir: __dirname,
  testMatch: ['**/*.int.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 120000,
};
