// Compliance: audit exports that prove their own completeness, and the operator's archive.
export * from './audit-file';
export * from './audit-export';
export * from './archive';
export * from './archived-events';
