export { RestoreHistory } from './RestoreHistory';
export type { RestoreHistoryProps } from './RestoreHistory';
export { useEntityRestores } from './useEntityRestores';
export { StepsProgress } from './StepsProgress';
