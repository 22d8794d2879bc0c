// The image test (npm run test:image, after scripts/test-image.sh built the image): containers
// against the real stack, in band.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'image',
  rootDir: __dirname,
  testTimeout: 300000,
  testMatch: ['**/image/*.spec.ts'],
};
