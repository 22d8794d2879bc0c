// The deployment files' tests (deploy/): pure, no stack; run by `npm test` (scenarios:test).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'deploy',
  rootDir: __dirname,
  testTimeout: 60000,
  testPathIgnorePatterns: ['/node_modules/', '/image/'],
};
