// Option parsers shared by the commands: a bad value is a usage error (exit 2) naming the option.
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '@fjc/contracts';

/** A spec version: a whole number of at least 1. */
export function parseVersion(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a spec version (1, 2, ...)');
  return Number(value);
}

/** A duration as specs write them (30s, 10m, 1h), in milliseconds; more than zero. */
export function parseDurationOption(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('must be a duration such as 30s, 10m or 1h');
  return ms;
}
