// The secured-transport suite: only through test/secure/run-secure.sh, which gives it a stack
// whose Kafka takes SASL_SSL only, whose Flink REST takes mutual TLS only and whose PostgreSQL takes TLS only.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'secure',
  rootDir: __dirname,
  testTimeout: 300000,
};
