// Option parsers shared by the commands: a bad value is a usage error (exit 2) naming the option.
import { InvalidArgumentError } from 'commander';

/** A spec version: a whole number of at least 1. */
export function parseVersion(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a spec version (1, 2, ...)');
  return Number(value);
}
