import { ComplianceState } from '@backups-for-backstage/plugin-backups-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles, Theme } from '@material-ui/core/styles';

/** A state in words, for people. */
export const COMPLIANCE_LABELS: Record<ComplianceState, string> = {
  protected: 'Protected',
  'at-risk': 'At risk',
  unprotected: 'Unprotected',
  failing: 'Failing',
  'not-opted-in': 'Not opted in',
  invalid: 'Invalid annotations',
};

function colourOf(theme: Theme, state: ComplianceState): string {
  switch (state) {
    case 'protected':
      return theme.palette.success.main;
    case 'at-risk':
      return theme.palette.warning.main;
    case 'failing':
    case 'invalid':
      return theme.palette.error.main;
    case 'unprotected':
      return theme.palette.error.dark;
    default:
      return theme.palette.grey[600];
  }
}

const useStyles = makeStyles<Theme, { state: ComplianceState }>(theme => ({
  chip: ({ state }) => ({
    backgroundColor: colourOf(theme, state),
    color: theme.palette.getContrastText(colourOf(theme, state)),
    fontWeight: theme.typography.fontWeightBold as number,
  }),
}));

/** @public */
export interface ComplianceChipProps {
  state: ComplianceState;
  size?: 'small' | 'medium';
}

/**
 * A compliance state, coloured: green protected, amber at risk, red failing
 * or unprotected.
 *
 * @public
 */
export function ComplianceChip(props: ComplianceChipProps) {
  const classes = useStyles({ state: props.state });
  return (
    <Chip
      className={classes.chip}
      size={props.size ?? 'small'}
      label={COMPLIANCE_LABELS[props.state]}
      data-state={props.state}
    />
  );
}
