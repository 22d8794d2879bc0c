// Use case: apply a spec (PUT /api/v1/jobs/{jobId}, or ApplySpec on fjc.spec.commands).
// Validates with the contracts first, so an invalid spec is refused with every error and
// nothing is appended; then that every {secretRef} lies in the spec's namespace (or a prefix the
// operators grant it), and the namespace's artifact policy (a spec cannot turn off or go without
// what its namespace requires, so the deployer never gets a spec it would refuse); then
// load-decide-append on the job's stream. A document that names a template is rendered first
// (JobSpecRenderer); the rendered spec is validated in full and the template use recorded with it.
import { Inject, Injectable } from '@nestjs/common';
import { artifactPolicyErrors, parseSpecDocument, secretScopeErrors, validateSpec, validateSpecDocument, type ArtifactPolicy, type SpecLimits, type SpecValidation, type SpecWarning, type TemplateUse } from '@fjc/contracts';
import { ARTIFACT_POLICY, SPEC_LIMITS } from '../../http/spec-limits.token';
import type { Queryable } from '@fjc/event-log';
import { SpecMetrics } from '../../observability/spec-metrics';
import type { CommandOutcome } from '../../spec-stream/run-spec-command';
import { SpecCommandRunner, type CommandContext } from '../../spec-stream/spec-command-runner';
import type { JobPlace } from '../../auth/job-access';
import type { CommandError } from '../../spec-stream/command-error';
import type { SpecStream } from '../../spec-stream/spec-stream';
import { JobSpecRenderer } from '../../template-stream/job-spec-renderer';
import { decideApplySpec, type ApplySpecCommand } from './decide-apply-spec';

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
    private readonly renderer: JobSpecRenderer,
  ) {}

  async execute(tx: Queryable, input: ApplySpecInput, context: CommandContext): Promise<ApplySpecResult> {
    const checked = await this.check(tx, input);
    if (!checked.ok) {
      this.runner.refused('apply', input.jobId, checked.errors, context);
      return { outcome: { kind: 'rejected', errors: checked.errors }, warnings: [] };
    }
    const { command, target } = checked;
    const outcome = await this.runner.run(tx, 'apply', input.jobId, (stream) => decideApplySpec(stream, command), context, target);
    if (outcome.kind !== 'rejected') {
      this.metrics.specApplied(context.source, outcome.kind === 'unchanged' ? 'unchanged' : outcome.created ? 'created' : 'updated');
    }
    return { outcome, warnings: command.warnings };
  }

  /** What apply would decide, appending nothing (the plan): refused exactly as apply refuses. */
  async preview(tx: Queryable, input: ApplySpecInput, context: CommandContext): Promise<ApplyPreview> {
    const checked = await this.check(tx, input);
    if (!checked.ok) return { ok: false, errors: checked.errors };
    const { command, target } = checked;
    const { stream, decision } = await this.runner.preview(tx, 'apply', input.jobId, (s) => decideApplySpec(s, command), context, target);
    if (decision.kind === 'rejected') return { ok: false, errors: decision.errors };
    return { ok: true, stream, command, version: decision.version, changed: decision.kind === 'append' };
  }

  /** The contracts' validation (of the rendered spec, for a template use), then secret scopes and the namespace's artifact policy. */
  private async check(tx: Queryable, input: ApplySpecInput): Promise<{ ok: true; command: ApplySpecCommand; target: JobPlace } | { ok: false; errors: CommandError[] }> {
    const validated = await this.validate(tx, input);
    if (!('validation' in validated)) return { ok: false, errors: validated.errors };
    const { validation, template } = validated;
    const errors = validation.ok
      ? [...secretScopeErrors(validation.spec, this.artifactPolicy), ...artifactPolicyErrors(validation.spec, this.artifactPolicy)]
      : validation.errors;
    if (!validation.ok || errors.length > 0) return { ok: false, errors };
    const command = { jobId: input.jobId, spec: validation.spec, warnings: validation.warnings, expectedVersion: input.expectedVersion, ...(template ? { template } : {}) };
    return { ok: true, command, target: { namespace: validation.spec.namespace, cluster: validation.spec.cluster } };
  }

  private async validate(tx: Queryable, input: ApplySpecInput): Promise<Validated> {
    // A document body is parsed as YAML, of which JSON is a subset, so either text works.
    let value: unknown;
    if (input.body.kind === 'document') {
      const parsed = parseSpecDocument(input.body.text, 'spec.yaml', this.limits);
      if (!parsed.ok) return { errors: parsed.errors };
      value = parsed.value;
    } else value = input.body.value;
    const rendered = await this.renderer.render(tx, value);
    if (rendered === null) {
      return { validation: input.body.kind === 'document' ? validateSpecDocument(input.body.text, 'spec.yaml', this.limits) : validateSpec(value, this.limits) };
    }
    if (!rendered.ok) return { errors: rendered.errors };
    return { validation: validateSpec(rendered.value, this.limits), template: rendered.use };
  }
}

type Validated = { readonly validation: SpecValidation; readonly template?: TemplateUse } | { readonly errors: CommandError[] };

export type ApplyPreview =
  | { readonly ok: true; readonly stream: SpecStream; readonly command: ApplySpecCommand; readonly version: number; readonly changed: boolean }
  | { readonly ok: false; readonly errors: readonly CommandError[] };
