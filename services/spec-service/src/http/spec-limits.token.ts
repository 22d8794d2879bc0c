// Injection token of the spec size limits (SpecLimits from @fjc/contracts, read from the environment).
export const SPEC_LIMITS = Symbol('SPEC_LIMITS');

/** Injection token of the operators' artifact policy (ArtifactPolicy from @fjc/contracts, FJC_ARTIFACT_POLICY_FILE). */
export const ARTIFACT_POLICY = Symbol('ARTIFACT_POLICY');
