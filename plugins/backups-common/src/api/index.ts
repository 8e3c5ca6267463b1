export * from './reconcile';
export * from './status';
export * from './restores';
export * from './drills';
