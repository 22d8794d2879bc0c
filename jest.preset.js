// Shared jest preset: SWC transform (keeps decorator metadata for Nest), workspace libs
// resolved to their sources so tests never need a prior build.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
    // ESM-only dependencies (commander 15, jose 6; json-schema-ref-parser under the OpenAPI
    // validator of a test), turned into CommonJS for jest's module system; at run time Node
    // 22.12+ loads them with require() as they are.
    '^.+/node_modules/(commander|jose|@apidevtools/json-schema-ref-parser)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!commander/|jose/|@apidevtools/json-schema-ref-parser/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@fjc/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
