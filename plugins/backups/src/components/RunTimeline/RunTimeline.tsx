import {
  LayerRun,
  RunOutcome,
} from '@backups-for-backstage/plugin-backups-common';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';

const DAY_MS = 24 * 3600 * 1000;
const WIDTH = 700;
const HEIGHT = 28;

const useStyles = makeStyles(theme => ({
  strip: {
    display: 'block',
    width: '100%',
    height: HEIGHT,
    backgroundColor: theme.palette.background.default,
    borderRadius: 2,
  },
  legend: { color: theme.palette.text.secondary },
}));

function colourOf(theme: Theme, outcome: RunOutcome): string {
  switch (outcome) {
    case 'good':
      return theme.palette.success.main;
    case 'empty':
      return theme.palette.warning.main;
    case 'failed':
      return theme.palette.error.main;
    default:
      return theme.palette.info.main;
  }
}

/** @public */
export interface RunTimelineProps {
  runs: LayerRun[];
  /** The RPO target: the window before now a good copy must fall in, shaded. */
  rpoMs?: number;
  now?: Date;
  /** How many days back (default 7). */
  days?: number;
}

/**
 * One layer's runs of the last days as marks on a strip (good, empty,
 * failed, running), with the RPO window shaded, so that a gap is seen before
 * it is read.
 *
 * @public
 */
export function RunTimeline(props: RunTimelineProps) {
  const classes = useStyles();
  const theme = useTheme();
  const now = props.now ?? new Date();
  const span = (props.days ?? 7) * DAY_MS;
  const start = now.getTime() - span;
  const x = (time: number) => ((time - start) / span) * WIDTH;
  const runs = props.runs.filter(run => new Date(run.time).getTime() >= start);
  const counts = runs.reduce<Record<RunOutcome, number>>(
    (all, run) => ({ ...all, [run.outcome]: all[run.outcome] + 1 }),
    { good: 0, empty: 0, failed: 0, running: 0 },
  );
  const summary = `Last ${props.days ?? 7} days: ${counts.good} good, ${
    counts.empty
  } empty, ${counts.failed} failed${
    counts.running ? `, ${counts.running} running` : ''
  } runs`;
  return (
    <div>
      <svg
        className={classes.strip}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={summary}
      >
        {props.rpoMs ? (
          <rect
            data-testid="rpo-window"
            x={Math.max(0, x(now.getTime() - props.rpoMs))}
            y={0}
            width={WIDTH - Math.max(0, x(now.getTime() - props.rpoMs))}
            height={HEIGHT}
            fill={theme.palette.success.light}
            opacity={0.25}
          />
        ) : null}
        {Array.from({ length: (props.days ?? 7) - 1 }, (_, day) => (
          <line
            key={`day-${day}`}
            x1={((day + 1) * WIDTH) / (props.days ?? 7)}
            x2={((day + 1) * WIDTH) / (props.days ?? 7)}
            y1={0}
            y2={HEIGHT}
            stroke={theme.palette.divider}
          />
        ))}
        {runs.map((run, index) => (
          <rect
            key={`${run.time}-${index}`}
            data-outcome={run.outcome}
            x={x(new Date(run.time).getTime()) - 1}
            y={run.outcome === 'good' ? 6 : 2}
            width={2}
            height={run.outcome === 'good' ? HEIGHT - 12 : HEIGHT - 4}
            fill={colourOf(theme, run.outcome)}
          />
        ))}
      </svg>
      <Typography variant="caption" className={classes.legend}>
        {summary}
        {props.rpoMs ? '; shaded: the RPO window' : ''}
      </Typography>
    </div>
  );
}
