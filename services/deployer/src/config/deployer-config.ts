// The deployer's own settings, read once from the environment at start. Bad values stop the
// process at boot with a message naming the variable, rather than misbehaving later.
import type { ArtifactPolicy } from '@fjc/contracts';
import { clustersFromEnv, type ClusterConnections } from '@fjc/flink-client';
import { artifactPolicyFromEnv } from '@fjc/service-runtime';
import { artifactRootsFromEnv } from './artifact-roots';

export const DEPLOYER_CONFIG = Symbol('DEPLOYER_CONFIG');

export interface DeployerConfig {
  /** The Flink clusters by name (FJC_CLUSTERS_FILE, FJC_CLUSTERS or FLINK_REST_URL; see cluster-settings). */
  readonly clusters: ClusterConnections;
  /** Local jars must really (after symlinks) lie under one of these; relative artifact paths resolve under the first. None: local jars are refused. */
  readonly artifactRoots: readonly string[];
  /** Largest jar read or downloaded. */
  readonly artifactMaxBytes: number;
  /** Whole time one https:// download may take. */
  readonly artifactDownloadTimeoutMs: number;
  /** What each namespace requires of a jar, and the trusted signing keys (FJC_ARTIFACT_POLICY_FILE). */
  readonly artifactPolicy: ArtifactPolicy;
  /** Hosts https:// artifacts may come from. */
  readonly artifactAllowedHosts: readonly string[];
  /** How long a savepoint may take before the action fails with FJC_ACTION_TIMEOUT. */
  readonly savepointTimeoutMs: number;
  /** How long a stopped or cancelled job may take to reach a terminal state. */
  readonly jobTerminalTimeoutMs: number;
  /** How often Flink is polled while waiting for a savepoint or a job state. */
  readonly waitPollMs: number;
  /** How often every tracked Flink job is observed. */
  readonly observeIntervalMs: number;
  /** How often the action queue is looked at for work. */
  readonly actionPollMs: number;
  /** Actions of different jobs carried out at once by this instance. */
  readonly actionConcurrency: number;
  /** Tries of one Flink call while Flink is unreachable, before the action fails as retryable. */
  readonly flinkCallAttempts: number;
  /** The first pause between tries; each next one about doubles (with jitter) up to flinkRetryMaxDelayMs. */
  readonly flinkRetryDelayMs: number;
  readonly flinkRetryMaxDelayMs: number;
  /** Calls in a row that find a cluster unreachable before its circuit breaker opens. */
  readonly flinkBreakerThreshold: number;
  /** How long an open breaker lets no call through before one trial call. */
  readonly flinkBreakerHalfOpenMs: number;
  /** Times an action may be interrupted by an error nobody classified before it fails with FJC_ACTION_UNCLASSIFIED. */
  readonly actionMaxInterruptions: number;
  /** HTTP timeout of one Flink call. */
  readonly flinkTimeoutMs: number;
}

export function deployerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DeployerConfig {
  return {
    clusters: clustersFromEnv(env),
    artifactRoots: artifactRootsFromEnv(env),
    artifactMaxBytes: positiveInt(env, 'FJC_ARTIFACT_MAX_BYTES', 256 * 1024 * 1024),
    artifactDownloadTimeoutMs: positiveInt(env, 'FJC_ARTIFACT_DOWNLOAD_TIMEOUT_MS', 300_000),
    artifactPolicy: artifactPolicyFromEnv(env),
    artifactAllowedHosts: (env.FJC_ARTIFACT_ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean),
    savepointTimeoutMs: positiveInt(env, 'FJC_SAVEPOINT_TIMEOUT_MS', 300_000),
    jobTerminalTimeoutMs: positiveInt(env, 'FJC_JOB_TERMINAL_TIMEOUT_MS', 120_000),
    waitPollMs: positiveInt(env, 'FJC_FLINK_WAIT_POLL_MS', 500),
    observeIntervalMs: positiveInt(env, 'FJC_OBSERVE_INTERVAL_MS', 2_000),
    actionPollMs: positiveInt(env, 'FJC_ACTION_POLL_MS', 250),
    actionConcurrency: positiveInt(env, 'FJC_ACTION_CONCURRENCY', 4),
    flinkCallAttempts: positiveInt(env, 'FJC_FLINK_CALL_ATTEMPTS', 4),
    flinkRetryDelayMs: positiveInt(env, 'FJC_FLINK_RETRY_DELAY_MS', 500),
    flinkRetryMaxDelayMs: positiveInt(env, 'FJC_FLINK_RETRY_MAX_DELAY_MS', 5_000),
    flinkBreakerThreshold: positiveInt(env, 'FJC_FLINK_BREAKER_THRESHOLD', 5),
    flinkBreakerHalfOpenMs: positiveInt(env, 'FJC_FLINK_BREAKER_HALF_OPEN_MS', 10_000),
    actionMaxInterruptions: positiveInt(env, 'FJC_ACTION_MAX_INTERRUPTIONS', 5),
    flinkTimeoutMs: positiveInt(env, 'FJC_FLINK_TIMEOUT_MS', 30_000),
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}
