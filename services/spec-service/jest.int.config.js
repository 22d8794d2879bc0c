// Integration tests: the built service as a process against the real PostgreSQL and Kafka.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'spec-service:int',
  rootDir: __dirname,
  testMatch: ['**/*.int.spec.ts'],
  testTimeout: 180000,
};
