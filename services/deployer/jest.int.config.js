// Integration tests: the built deployer as a real process against the local stack (PostgreSQL, Kafka, Flink).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'deployer:int',
  rootDir: __dirname,
  testMatch: ['**/*.int.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 120000,
};
