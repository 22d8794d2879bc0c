#!/usr/bin/env node
// Launcher of the fjc command (`npx fjc ...`): runs the built CLI, and builds it once first
// (with Nx, which also builds the libraries it uses) when the build output is missing.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const project = path.resolve(__dirname, '..');
const workspace = path.resolve(project, '..', '..');
const entry = path.join(project, 'dist', 'main.js');
const needed = [entry, path.join(workspace, 'libs', 'contracts', 'dist', 'index.js')];

if (!needed.every((file) => fs.existsSync(file))) {
  process.stderr.write('fjc: no build found, building it once with `npx nx run cli:build`\n');
  const nx = require.resolve('nx/bin/nx.js', { paths: [workspace] });
  const build = spawnSync(process.execPath, [nx, 'run', 'cli:build', '--outputStyle=static'], {
    cwd: workspace,
    env: { ...process.env, NX_DAEMON: 'false' },
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}fjc: the build failed (output above)\n`);
    process.exit(1);
  }
}
require(entry);
