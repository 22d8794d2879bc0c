// Integration tests: against the real local stack (PostgreSQL, Kafka, Flink).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'service-runtime:int',
  rootDir: __dirname,
  testMatch: ['**/*.int.spec.ts'],
  testTimeout: 120000,
};
