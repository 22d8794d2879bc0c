// Unit tests of the console's pure logic (diff, filters, roles, routes, timeline): no browser.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'console',
  rootDir: __dirname,
};
