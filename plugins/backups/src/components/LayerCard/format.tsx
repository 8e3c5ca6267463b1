import Typography from '@material-ui/core/Typography';
import {
  BackupLayer,
  describeSchedule,
  Retention,
} from '@backups-for-backstage/plugin-backups-common';

/** How each layer is named in the UI. */
export const LAYER_TITLES: Record<BackupLayer, string> = {
  velero: 'Velero backups',
  database: 'Database dumps',
  'volume-snapshot': 'Volume snapshots',
};

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
