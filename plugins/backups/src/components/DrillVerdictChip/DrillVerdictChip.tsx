import { DrillState } from '@backups-for-backstage/plugin-backups-common';
import Chip from '@material-ui/core/Chip';

/** A drill's state in words, for people. */
export const DRILL_STATE_LABELS: Record<DrillState, string> = {
  running: 'Running',
  passed: 'Passed',
  failed: 'Failed',
  'missed-target': 'Missed target',
};

/** @public */
export interface DrillVerdictChipProps {
  state: DrillState;
}

/**
 * A drill's verdict (or that it runs): primary when it passed, secondary
 * otherwise, outlined while it runs.
 *
 * @public
 */
export function DrillVerdictChip(props: DrillVerdictChipProps) {
  return (
    <Chip
      size="small"
      label={DRILL_STATE_LABELS[props.state]}
      color={props.state === 'passed' ? 'primary' : 'secondary'}
      variant={props.state === 'running' ? 'outlined' : 'default'}
      data-state={props.state}
    />
  );
}
