// The fault suite: real outages of the stack's PostgreSQL, Kafka and Flink under a running FJC.
// Only through test/faults/run-faults.sh, which gives it a stack of its own.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'faults',
  rootDir: __dirname,
  testTimeout: 600000,
};
