export { DrillHistory } from './DrillHistory';
export type { DrillHistoryProps } from './DrillHistory';
export { useEntityDrills } from './useEntityDrills';
