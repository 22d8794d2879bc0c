// Stack and scenario tests: they drive the real local stack (infra/stack up) through public
// interfaces only. Run in band: they share one Kafka, one Flink and one PostgreSQL.
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'scenarios',
  rootDir: __dirname,
  testTimeout: 180000,
  // test/faults and test/secure have stacks of their own (run-faults.sh, run-secure.sh); test/deploy
  // is pure (scenarios:test) and its image test has a script of its own (npm run test:image).
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/faults/', '/secure/', '/deploy/'],
};
