// The image's entry point: runs one FJC program in this process (so tini's SIGTERM reaches the
// service itself). First argument: a service name, `migrate` (the migration step, `fjc db
// migrate`, for a Kubernetes Job) or `fjc` (the CLI with the remaining arguments).
'use strict';
const { join } = require('node:path');

const SERVICES = ['spec-service', 'reconciler', 'scheduler', 'deployer'];
const [what = 'spec-service', ...rest] = process.argv.slice(2);

if (SERVICES.includes(what)) {
  process.env.FJC_SERVICE = what;
  process.argv = [process.argv[0], join(__dirname, '../../services', what, 'dist/main.js'), ...rest];
  require(process.argv[1]);
} else if (what === 'migrate' || what === 'fjc') {
  const args = what === 'migrate' ? ['db', 'migrate', ...rest] : rest;
  process.argv = [process.argv[0], join(__dirname, '../../tools/cli/dist/main.js'), ...args];
  require(process.argv[1]);
} else {
  process.stderr.write(JSON.stringify({ level: 'fatal', code: 'FJC_IMAGE_COMMAND', msg: `unknown command "${what}"; one of ${[...SERVICES, 'migrate', 'fjc'].join(', ')}` }) + '\n');
  process.exitCode = 2;
}
