// Messages for zod's built-in issues, written for the person who wrote the spec. Passed to
// safeParse as the per-parse error map; messages set on a field's schema take precedence.
import type { z } from 'zod';
import { describeExpected, describeValue } from './describe-value';
import { didYouMean } from './suggestions';

export function fieldIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${describeExpected(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const choice = allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`;
      const hint =
        typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.filter((v): v is string => typeof v === 'string')) : '';
      return `must be ${choice}, got ${describeValue(issue.input)}${hint}`;
    }
    case 'too_small':
      return `${lowerBound(issue.origin, Number(issue.minimum), issue.inclusive !== false)}${gotNumber(issue.origin, issue.input)}`;
    case 'too_big':
      return `${upperBound(issue.origin, Number(issue.maximum), issue.inclusive !== false)}${gotNumber(issue.origin, issue.input)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      return `has the wrong format (${issue.format}), got ${describeValue(issue.input)}`;
    case 'invalid_union':
      return `does not have any allowed form, got ${describeValue(issue.input)}`;
    case 'invalid_key':
      return `has an invalid name ${describeValue(issue.input)}`;
    case 'unrecognized_keys':
      return `has unknown fields ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    default:
      return undefined;
  }
}

function lowerBound(origin: string, min: number, inclusive: boolean): string {
  if (origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters long`;
  if (origin === 'array') return `must have at least ${min} ${min === 1 ? 'item' : 'items'}`;
  return inclusive ? `must be at least ${min}` : `must be greater than ${min}`;
}

function upperBound(origin: string, max: number, inclusive: boolean): string {
  if (origin === 'string') return `must be at most ${max} characters long`;
  if (origin === 'array') return `must have at most ${max} items`;
  return inclusive ? `must be at most ${max}` : `must be less than ${max}`;
}

function gotNumber(origin: string, input: unknown): string {
  return origin === 'number' || origin === 'int' ? `, got ${describeValue(input)}` : '';
}
