// `fjc schema`: prints the JSON Schema of the job spec (the same text as
// libs/contracts/schema/job-spec.schema.json), for editors and upstream producers.
import { jobSpecJsonSchemaText } from '@fjc/contracts';
import type { Command } from 'commander';
import { EXIT, type CliIo, type ExitCode } from '../cli-io';

export function registerSchema(program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program
    .command('schema')
    .description('print the JSON Schema of the job spec')
    .action(() => {
      io.out(jobSpecJsonSchemaText());
      finish(EXIT.ok);
    });
}
