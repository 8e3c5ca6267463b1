import {
  DrillRecord,
  DrillState,
  formatDuration,
} from '@backups-for-backstage/plugin-backups-common';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  XAxis,
  YAxis,
} from 'recharts';
import { utcTime } from '../../utils/time';
import { DRILL_STATE_LABELS } from '../DrillVerdictChip';

type Verdict = Exclude<DrillState, 'running'>;

/** One finished drill on the chart. */
interface RtoPoint {
  id: string;
  /** When the drill started, in ms since the epoch. */
  time: number;
  /** The RTO achieved, in minutes; 0 (on the axis) for a failed drill. */
  minutes: number;
  state: Verdict;
  /** What the point says on hover and to a screen reader. */
  text: string;
}

const SERIES: Array<{ state: Verdict; name: string }> = [
  { state: 'passed', name: DRILL_STATE_LABELS.passed },
  { state: 'missed-target', name: DRILL_STATE_LABELS['missed-target'] },
  { state: 'failed', name: 'Failed: no RTO, on the time axis' },
];

function colourOf(theme: Theme, state: Verdict): string {
  switch (state) {
    case 'passed':
      return theme.palette.success.main;
    case 'missed-target':
      return theme.palette.warning.main;
    default:
      return theme.palette.error.main;
  }
}

const useStyles = makeStyles(theme => ({
  figure: { margin: theme.spacing(0, 0, 2) },
}));

const toMinutes = (ms: number) => Math.round(ms / 6_000) / 10;

function pointOf(drill: DrillRecord & { state: Verdict }): RtoPoint {
  const { rtoMs } = drill.achieved;
  const when = utcTime(drill.requestedAt);
  return {
    id: drill.id,
    time: new Date(drill.requestedAt).getTime(),
    minutes: rtoMs === undefined ? 0 : toMinutes(rtoMs),
    state: drill.state,
    text:
      rtoMs === undefined
        ? `Drill ${drill.id}, ${when}: ${
            DRILL_STATE_LABELS[drill.state]
          }, no RTO`
        : `Drill ${drill.id}, ${when}: ${
            DRILL_STATE_LABELS[drill.state]
          }, restored in ${formatDuration(rtoMs)}`,
  };
}

/** The chart in one sentence, for screen readers. */
function describe(points: RtoPoint[], targetMs: number): string {
  const count = (state: Verdict) =>
    points.filter(point => point.state === state).length;
  const first = utcTime(new Date(points[0].time).toISOString());
  const last = utcTime(new Date(points[points.length - 1].time).toISOString());
  return `Achieved RTO of ${
    points.length
  } finished drill(s) from ${first} to ${last}, against the RTO target of ${formatDuration(
    targetMs,
  )}: ${count('passed')} passed, ${count(
    'missed-target',
  )} missed the target, ${count('failed')} failed without an RTO.`;
}

/** @public */
export interface DrillRtoChartProps {
  /** An entity's drills, in any order; running ones are left out. */
  drills: DrillRecord[];
}

/**
 * The RTO each finished drill achieved (start to verified, in minutes) over
 * time, against a horizontal line at the RTO target of the newest drill;
 * passed, missed-target and failed drills in their own colours, the failed
 * ones on the time axis (they have no RTO).
 *
 * @public
 */
export function DrillRtoChart(props: DrillRtoChartProps) {
  const theme = useTheme();
  const classes = useStyles();
  const finished = props.drills
    .filter((d): d is DrillRecord & { state: Verdict } => d.state !== 'running')
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  const points = finished.map(pointOf);
  const measured = finished.filter(d => d.achieved.rtoMs !== undefined);
  if (measured.length === 0) {
    return finished.length === 0 ? null : (
      <Typography variant="body2" className={classes.figure}>
        No drill has measured an RTO yet: the {finished.length} finished
        drill(s) failed before everything was restored and verified.
      </Typography>
    );
  }
  const targetMs = finished[finished.length - 1].targets.rtoMs;
  const description = describe(points, targetMs);
  return (
    <figure className={classes.figure}>
      <div role="img" aria-label={description}>
        <ResponsiveContainer width="100%" height={240}>
          <ScatterChart margin={{ top: 16, right: 24, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="time"
              name="Started"
              scale="time"
              domain={['dataMin', 'dataMax']}
              padding={{ left: 24, right: 24 }}
              tickFormatter={time =>
                new Date(time).toLocaleDateString('en-GB', {
                  timeZone: 'UTC',
                  day: 'numeric',
                  month: 'short',
                })
              }
            />
            <YAxis
              type="number"
              dataKey="minutes"
              name="RTO"
              unit=" min"
              allowDecimals={false}
            />
            <ReferenceLine
              y={toMinutes(targetMs)}
              ifOverflow="extendDomain"
              stroke={theme.palette.text.secondary}
              strokeDasharray="6 3"
              label={{
                value: `RTO target ${formatDuration(targetMs)}`,
                position: 'insideTopRight',
                fill: theme.palette.text.secondary,
              }}
            />
            {SERIES.filter(series =>
              points.some(point => point.state === series.state),
            ).map(series => (
              <Scatter
                key={series.state}
                name={series.name}
                data={points.filter(point => point.state === series.state)}
                fill={colourOf(theme, series.state)}
                isAnimationActive={false}
                shape={(shape: {
                  cx?: number;
                  cy?: number;
                  fill?: string;
                  payload?: RtoPoint;
                }) => (
                  <circle
                    cx={shape.cx}
                    cy={shape.cy}
                    r={5}
                    fill={shape.fill}
                    data-testid="drill-rto-point"
                    data-state={shape.payload?.state}
                  >
                    <title>{shape.payload?.text}</title>
                  </circle>
                )}
              />
            ))}
            <Legend />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <Typography component="figcaption" variant="caption">
        Achieved RTO (drill start to verified) of each finished drill, against
        the target of {formatDuration(targetMs)} (dashed). Failed drills
        measured no RTO: they sit on the time axis.
      </Typography>
    </figure>
  );
}
