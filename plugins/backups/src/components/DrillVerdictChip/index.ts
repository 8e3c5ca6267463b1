export { DrillVerdictChip, DRILL_STATE_LABELS } from './DrillVerdictChip';
export type { DrillVerdictChipProps } from './DrillVerdictChip';
