// Injection token of the spec size limits (SpecLimits from @fjc/contracts, read from the environment).
export const SPEC_LIMITS = Symbol('SPEC_LIMITS');
