import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { DrillIntent } from '@backups-for-backstage/plugin-backups-common';
import { ScheduleText } from '../LayerCard';

/** @public */
export interface DrillCardProps {
  drill: DrillIntent;
}

/**
 * How an entity's disaster-recovery drills are set up: when they run and the
 * query that must succeed after a restore.
 *
 * @public
 */
export function DrillCard(props: DrillCardProps) {
  const { drill } = props;
  return (
    <InfoCard
      title="Disaster-recovery drills"
      subheader="Restores the latest restore points into a scratch namespace and checks them"
      variant="gridItem"
    >
      <StructuredMetadataTable
        options={{ titleFormat: key => key }}
        metadata={{
          'Automatic drills': drill.schedule ? (
            <ScheduleText cron={drill.schedule} />
          ) : (
            'off'
          ),
          'Verify query': drill.verify ? (
            <code>{drill.verify}</code>
          ) : (
            'none: a drill asks the restored database for at least one table (collection)'
          ),
        }}
      />
    </InfoCard>
  );
}
