// HEALTHCHECK of the image: GET /health/ready of the service this container runs (entrypoint.js
// is PID 1's child, so the service name comes from the container's command line via /proc/1).
'use strict';
const { readFileSync } = require('node:fs');

const PORTS = {
  'spec-service': ['SPEC_SERVICE_PORT', 8080],
  reconciler: ['RECONCILER_PORT', 8090],
  scheduler: ['SCHEDULER_PORT', 8091],
  deployer: ['DEPLOYER_PORT', 8092],
};
const cmdline = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
const service = cmdline.find((arg) => arg in PORTS);
if (!service) process.exit(0); // migrate or the CLI: nothing to probe
const [portEnv, defaultPort] = PORTS[service];
const port = Number(process.env[portEnv] || defaultPort);
fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(4000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
