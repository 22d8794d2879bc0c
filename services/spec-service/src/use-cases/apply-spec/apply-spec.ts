// Use case: apply a spec (PUT /api/v1/jobs/{jobId}, or ApplySpec on fjc.spec.commands).
// Validates with the contracts first, so an invalid spec is refused with every error and
// nothing is appended; then that every {secretRef} lies in the spec's namespace (or a prefix the
// operators grant it), and the namespace's artifact policy (a spec cannot turn off or go without
// what its namespace requires, so the deployer never gets a spec it would refuse); then
// load-decide-append on the job's stream.
import { Inject, Injectable } from '@nestjs/common';
import { artifactPolicyErrors, secretScopeErrors, validateSpec, validateSpecDocument, type ArtifactPolicy, type SpecLimits, type SpecWarning } from '@fjc/contracts';
import { ARTIFACT_POLICY, SPEC_LIMITS } from '../../http/spec-limits.token';
import type { Queryable } from '@fjc/event-log';
import { SpecMetrics } from '../../observability/spec-metrics';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';
import { SpecCommandRunner, type CommandContext } from '../../spec-stream/spec-command-runner';
import { decideApplySpec } from './decide-apply-spec';

export interface ApplySpecInput {
  readonly jobId: string;
  /** A YAML (or JSON) document as text, or a value already parsed from JSON. */
  readonly body: { readonly kind: 'document'; readonly text: string } | { readonly kind: 'value'; readonly value: unknown };
  readonly expectedVersion?: number;
}

export interface ApplySpecResult {
  readonly outcome: CommandOutcome;
  readonly warnings: readonly SpecWarning[];
}

@Injectable()
export class ApplySpec {
  constructor(
    private readonly runner: SpecCommandRunner,
    private readonly metrics: SpecMetrics,
    @Inject(SPEC_LIMITS) private readonly limits: SpecLimits,
    @Inject(ARTIFACT_POLICY) private readonly artifactPolicy: ArtifactPolicy,
  ) {}

  async execute(tx: Queryable, input: ApplySpecInput, context: CommandContext): Promise<ApplySpecResult> {
    // A document body is parsed as YAML, of which JSON is a subset, so either text works.
    const validation = input.body.kind === 'document' ? validateSpecDocument(input.body.text, 'spec.yaml', this.limits) : validateSpec(input.body.value, this.limits);
    const errors = validation.ok
      ? [...secretScopeErrors(validation.spec, this.artifactPolicy), ...artifactPolicyErrors(validation.spec, this.artifactPolicy)]
      : validation.errors;
    if (!validation.ok || errors.length > 0) {
      this.runner.refused('apply', input.jobId, errors, context);
      return { outcome: { kind: 'rejected', errors }, warnings: [] };
    }
    const command = { jobId: input.jobId, spec: validation.spec, warnings: validation.warnings, expectedVersion: input.expectedVersion };
    const target = { namespace: validation.spec.namespace, cluster: validation.spec.cluster };
    const outcome = await this.runner.run(tx, 'apply', input.jobId, (stream) => decideApplySpec(stream, command), context, target);
    if (outcome.kind !== 'rejected') {
      this.metrics.specApplied(context.source, outcome.kind === 'unchanged' ? 'unchanged' : outcome.created ? 'created' : 'updated');
    }
    return { outcome, warnings: validation.warnings };
  }
}
