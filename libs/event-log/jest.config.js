// Unit tests: pure and fast, no external systems.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'event-log',
  rootDir: __dirname,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.int\\.spec\\.ts$'],
};
