// Every event type FJC writes: its current schemaVersion, its envelope schema, the topic it is
// published on, and the upcasters that lift older versions still in the log to the current
// one. Adding a field that readers need means: a new payload schema, current + 1, and an
// upcaster from the old version, so events written years ago stay readable.
import { z } from 'zod';
import type { TopicKey } from '../topics';
import {
  ActionFailedV1,
  ActionFailedV2,
  ActionRequestedV1,
  ActionStartedV1,
  ActionSucceededV1,
  upcastActionFailedV1,
} from './action-events';
import { PipelineAppliedV1, PipelineRunEndedV1, PipelineRunRetryRequestedV1, PipelineRunStartedV1, StageRunFailedV1, StageRunFinishedV1, StageRunRequestedV1, StageSkippedV1 } from '../pipeline/run-events';
import { eventSchema } from './envelope';
import { LifecycleChangedV1 } from './lifecycle-events';
import { JobExceptionObservedV1, JobObservedV1 } from './observation-events';
import { ScheduleTickV1 } from './schedule-events';
import { AttentionNeededV1, BatchRunExpiredV1, BatchRunRetriedV1, JobRedeployedV1, JobUnhealthyV1, RecoveryAppliedV1, RollbackCompletedV1, SlaMissedV1, TickSkippedV1, VersionAdoptedV1, RollbackStartedV1, SavepointRecordedV1, StabilityConfirmedV1, StabilityFailedV1 } from './stability-events';
import {
  JobDeleteRequestedV1,
  JobRecoveryRequestedV1,
  JobResumeRequestedV1,
  JobRolledBackV1,
  JobSuspendRequestedV1,
  SavepointRequestedV1,
  SpecUpdatedV1,
} from './spec-events';
import { TemplateVersionRecordedV1 } from './template-events';

export const SpecUpdatedEvent = eventSchema('SpecUpdated', 1, SpecUpdatedV1);
export const JobSuspendRequestedEvent = eventSchema('JobSuspendRequested', 1, JobSuspendRequestedV1);
export const JobResumeRequestedEvent = eventSchema('JobResumeRequested', 1, JobResumeRequestedV1);
export const JobRolledBackEvent = eventSchema('JobRolledBack', 1, JobRolledBackV1);
export const JobDeleteRequestedEvent = eventSchema('JobDeleteRequested', 1, JobDeleteRequestedV1);
export const SavepointRequestedEvent = eventSchema('SavepointRequested', 1, SavepointRequestedV1);
export const JobRecoveryRequestedEvent = eventSchema('JobRecoveryRequested', 1, JobRecoveryRequestedV1);
export const ScheduleTickEvent = eventSchema('ScheduleTick', 1, ScheduleTickV1);
export const ActionRequestedEvent = eventSchema('ActionRequested', 1, ActionRequestedV1);
export const ActionStartedEvent = eventSchema('ActionStarted', 1, ActionStartedV1);
export const ActionSucceededEvent = eventSchema('ActionSucceeded', 1, ActionSucceededV1);
export const ActionFailedEvent = eventSchema('ActionFailed', 2, ActionFailedV2);
export const JobObservedEvent = eventSchema('JobObserved', 1, JobObservedV1);
export const JobExceptionObservedEvent = eventSchema('JobExceptionObserved', 1, JobExceptionObservedV1);
export const LifecycleChangedEvent = eventSchema('LifecycleChanged', 1, LifecycleChangedV1);
export const StabilityConfirmedEvent = eventSchema('StabilityConfirmed', 1, StabilityConfirmedV1);
export const StabilityFailedEvent = eventSchema('StabilityFailed', 1, StabilityFailedV1);
export const RollbackStartedEvent = eventSchema('RollbackStarted', 1, RollbackStartedV1);
export const RollbackCompletedEvent = eventSchema('RollbackCompleted', 1, RollbackCompletedV1);
export const SavepointRecordedEvent = eventSchema('SavepointRecorded', 1, SavepointRecordedV1);
export const JobUnhealthyEvent = eventSchema('JobUnhealthy', 1, JobUnhealthyV1);
export const VersionAdoptedEvent = eventSchema('VersionAdopted', 1, VersionAdoptedV1);
export const TickSkippedEvent = eventSchema('TickSkipped', 1, TickSkippedV1);
export const SlaMissedEvent = eventSchema('SlaMissed', 1, SlaMissedV1);
export const AttentionNeededEvent = eventSchema('AttentionNeeded', 1, AttentionNeededV1);
export const RecoveryAppliedEvent = eventSchema('RecoveryApplied', 1, RecoveryAppliedV1);
export const JobRedeployedEvent = eventSchema('JobRedeployed', 1, JobRedeployedV1);
export const BatchRunExpiredEvent = eventSchema('BatchRunExpired', 1, BatchRunExpiredV1);
export const BatchRunRetriedEvent = eventSchema('BatchRunRetried', 1, BatchRunRetriedV1);
export const PipelineAppliedEvent = eventSchema('PipelineApplied', 1, PipelineAppliedV1);
export const PipelineRunStartedEvent = eventSchema('PipelineRunStarted', 1, PipelineRunStartedV1);
export const StageRunRequestedEvent = eventSchema('StageRunRequested', 1, StageRunRequestedV1);
export const StageRunFinishedEvent = eventSchema('StageRunFinished', 1, StageRunFinishedV1);
export const StageRunFailedEvent = eventSchema('StageRunFailed', 1, StageRunFailedV1);
export const StageSkippedEvent = eventSchema('StageSkipped', 1, StageSkippedV1);
export const PipelineRunEndedEvent = eventSchema('PipelineRunEnded', 1, PipelineRunEndedV1);
export const PipelineRunRetryRequestedEvent = eventSchema('PipelineRunRetryRequested', 1, PipelineRunRetryRequestedV1);
export const TemplateVersionRecordedEvent = eventSchema('TemplateVersionRecorded', 1, TemplateVersionRecordedV1);

/** Any FJC event at its current schemaVersion. */
export const FjcEventSchema = z.discriminatedUnion('type', [
  SpecUpdatedEvent,
  JobSuspendRequestedEvent,
  JobResumeRequestedEvent,
  JobRolledBackEvent,
  JobDeleteRequestedEvent,
  SavepointRequestedEvent,
  JobRecoveryRequestedEvent,
  ScheduleTickEvent,
  ActionRequestedEvent,
  ActionStartedEvent,
  ActionSucceededEvent,
  ActionFailedEvent,
  JobObservedEvent,
  JobExceptionObservedEvent,
  LifecycleChangedEvent,
  StabilityConfirmedEvent,
  StabilityFailedEvent,
  RollbackStartedEvent,
  RollbackCompletedEvent,
  SavepointRecordedEvent,
  JobUnhealthyEvent,
  VersionAdoptedEvent,
  TickSkippedEvent,
  SlaMissedEvent,
  AttentionNeededEvent,
  RecoveryAppliedEvent,
  JobRedeployedEvent,
  BatchRunExpiredEvent,
  BatchRunRetriedEvent,
  PipelineAppliedEvent,
  PipelineRunStartedEvent,
  StageRunRequestedEvent,
  StageRunFinishedEvent,
  StageRunFailedEvent,
  StageSkippedEvent,
  PipelineRunEndedEvent,
  PipelineRunRetryRequestedEvent,
  TemplateVersionRecordedEvent,
]);
export type FjcEvent = z.infer<typeof FjcEventSchema>;
export type FjcEventType = FjcEvent['type'];
export type EventOf<T extends FjcEventType> = Extract<FjcEvent, { type: T }>;
export type PayloadOf<T extends FjcEventType> = EventOf<T>['payload'];

export type UpcastResult = { readonly ok: true; readonly payload: unknown } | { readonly ok: false; readonly message: string };

/** Lifts a payload of version `from` to version `from + 1`, checking it first. */
export interface UpcastStep {
  readonly from: number;
  readonly upcast: (payload: unknown) => UpcastResult;
}

export function upcastStep<S extends z.ZodType>(from: number, schema: S, up: (payload: z.output<S>) => unknown): UpcastStep {
  return {
    from,
    upcast: (payload) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return { ok: false, message: `not a valid version ${from} payload: ${z.prettifyError(parsed.error)}` };
      return { ok: true, payload: up(parsed.data) };
    },
  };
}

export interface EventDefinition {
  readonly currentVersion: number;
  /** null: the event stays in the log (read back by its writer only, never published). */
  readonly topic: TopicKey | null;
  /** Older versions still readable, one step each: from 1 to 2, from 2 to 3, ... */
  readonly upcasters: readonly UpcastStep[];
}

export const EVENT_CATALOG: { readonly [T in FjcEventType]: EventDefinition } = {
  SpecUpdated: { currentVersion: 1, topic: 'specEvents', upcasters: [] },
  JobSuspendRequested: { currentVersion: 1, topic: 'specEvents', upcasters: [] },
  JobResumeRequested: { currentVersion: 1, topic: 'specEvents', upcasters: [] },
  JobRolledBack: { currentVersion: 1, topic: 'specEvents', upcasters: [] },
  JobDeleteRequested: { currentVersion: 1, topic: 'specEvents', upcasters: [] },
  SavepointRequested: { currentVersion: 1, topic: 'specEvents', upcasters: [] },
  JobRecoveryRequested: { currentVersion: 1, topic: 'specEvents', upcasters: [] },
  ScheduleTick: { currentVersion: 1, topic: 'scheduleTicks', upcasters: [] },
  ActionRequested: { currentVersion: 1, topic: 'deployActions', upcasters: [] },
  ActionStarted: { currentVersion: 1, topic: 'deployResults', upcasters: [] },
  ActionSucceeded: { currentVersion: 1, topic: 'deployResults', upcasters: [] },
  ActionFailed: { currentVersion: 2, topic: 'deployResults', upcasters: [upcastStep(1, ActionFailedV1, upcastActionFailedV1)] },
  JobObserved: { currentVersion: 1, topic: 'jobObservations', upcasters: [] },
  JobExceptionObserved: { currentVersion: 1, topic: 'jobObservations', upcasters: [] },
  LifecycleChanged: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  StabilityConfirmed: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  StabilityFailed: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  RollbackStarted: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  RollbackCompleted: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  SavepointRecorded: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  JobUnhealthy: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  VersionAdopted: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  TickSkipped: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  SlaMissed: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  AttentionNeeded: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  RecoveryApplied: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  JobRedeployed: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  BatchRunExpired: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  BatchRunRetried: { currentVersion: 1, topic: 'jobLifecycle', upcasters: [] },
  PipelineApplied: { currentVersion: 1, topic: 'pipelineEvents', upcasters: [] },
  PipelineRunStarted: { currentVersion: 1, topic: 'pipelineEvents', upcasters: [] },
  StageRunRequested: { currentVersion: 1, topic: 'pipelineEvents', upcasters: [] },
  StageRunFinished: { currentVersion: 1, topic: 'pipelineEvents', upcasters: [] },
  StageRunFailed: { currentVersion: 1, topic: 'pipelineEvents', upcasters: [] },
  StageSkipped: { currentVersion: 1, topic: 'pipelineEvents', upcasters: [] },
  PipelineRunEnded: { currentVersion: 1, topic: 'pipelineEvents', upcasters: [] },
  PipelineRunRetryRequested: { currentVersion: 1, topic: 'pipelineEvents', upcasters: [] },
  TemplateVersionRecorded: { currentVersion: 1, topic: null, upcasters: [] },
};

export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as FjcEventType[];

export function isEventType(type: string): type is FjcEventType {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOG, type);
}

/** The envelope schema of an event type at its current version. */
export function currentEventSchema(type: FjcEventType): z.ZodType {
  const option = FjcEventSchema.options.find((o) => o.shape.type.value === type);
  if (option === undefined) throw new Error(`event type ${type} is in EVENT_CATALOG but not in FjcEventSchema`);
  return option;
}
