import Typography from '@material-ui/core/Typography';
import {
  describeSchedule,
  Retention,
} from '@backups-for-backstage/plugin-backups-common';

/** How each layer is named in the UI. */
export { LAYER_TITLES } from '@backups-for-backstage/plugin-backups-common';

/**
 * A cron schedule in words, followed by the cron expression as written.
 */
export function ScheduleText(props: { cron: string }) {
  const { cron } = props;
  return (
    <Typography variant="body2" component="span">
      {describeSchedule(cron)} <code>{cron}</code>
    </Typography>
  );
}

/** How many restore points a layer keeps, in words. */
export function describeRetention(retention: Retention, what: string): string {
  if (retention.type === 'count') {
    return `the newest ${retention.count} ${what}`;
  }
  return `${what} younger than ${retention.maxAge.text}`;
}
