import { DrillSummary } from '@backups-for-backstage/plugin-backups-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { againstTarget } from '../../utils/againstTarget';
import { relativeTime, utcTime } from '../../utils/time';
import { DrillVerdictChip } from '../DrillVerdictChip';

/** @public */
export interface LastDrillProps {
  /** The entity's newest finished drill; none yet when absent. */
  drill?: DrillSummary;
  now?: Date;
}

/**
 * An entity's newest finished drill in two lines: its verdict, when it
 * ended, the RTO it achieved against the target, and the step that failed.
 *
 * @public
 */
export function LastDrill(props: LastDrillProps) {
  const { drill } = props;
  if (!drill) {
    return <Typography variant="body2">No drill yet</Typography>;
  }
  const when = drill.finishedAt ?? drill.requestedAt;
  return (
    <Box>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <DrillVerdictChip state={drill.state} />
        <Typography variant="body2" component="span" title={utcTime(when)}>
          {relativeTime(when, props.now)}
        </Typography>
      </Box>
      <Typography variant="body2">
        RTO {againstTarget(drill.achievedRtoMs, drill.targetRtoMs)}
      </Typography>
      {drill.failedStep ? (
        <Typography variant="body2" color="error">
          Failed at: {drill.failedStepTitle ?? drill.failedStep}
        </Typography>
      ) : null}
    </Box>
  );
}
