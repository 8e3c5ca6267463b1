export * from './reconcile';
export * from './status';
