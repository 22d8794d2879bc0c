// Entry point of the built CLI (bin/fjc.js loads it). Sets the exit code instead of calling
// process.exit, so everything written to stdout is flushed first.
import { EXIT } from './cli-io';
import { runCli } from './program';

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fjc: unexpected failure: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT.internal;
  },
);
