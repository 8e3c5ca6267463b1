import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  BackupLayer,
  DatabaseEngine,
  ProtectionIntent,
} from '@backups-for-backstage/plugin-backups-common';
import { ReactNode } from 'react';
import { describeRetention, LAYER_TITLES, ScheduleText } from './format';

const ENGINE_NAMES: Record<DatabaseEngine, string> = {
  postgres: 'PostgreSQL (pg_dump)',
  mysql: 'MySQL (mysqldump)',
  mongodb: 'MongoDB (mongodump)',
};

interface LayerDescription {
  subheader: string;
  metadata: Record<string, ReactNode>;
}

function describeLayer(
  layer: BackupLayer,
  intent: ProtectionIntent,
): LayerDescription | undefined {
  switch (layer) {
    case 'velero': {
      const velero = intent.velero;
      if (!velero) return undefined;
      return {
        subheader:
          'A Velero Schedule backs up the resources and volumes of the workload',
        metadata: {
          Schedule: <ScheduleText cron={velero.schedule} />,
          'Keep backups for': velero.ttl,
          'Snapshot volumes': velero.snapshotVolumes ? 'yes' : 'no',
        },
      };
    }
    case 'database': {
      const database = intent.database;
      if (!database) return undefined;
      return {
        subheader: 'A CronJob writes a logical dump of the database',
        metadata: {
          Engine: ENGINE_NAMES[database.engine] ?? database.engine,
          Host: `${database.host}:${database.port}`,
          Databases:
            database.databases.length > 0
              ? database.databases.join(', ')
              : 'all databases on the server',
          Credentials: `Secret ${database.secretName} (keys username, password)`,
          Schedule: <ScheduleText cron={database.schedule} />,
          Retention: describeRetention(database.retention, 'dumps'),
        },
      };
    }
    case 'volume-snapshot': {
      const snapshots = intent.volumeSnapshot;
      if (!snapshots) return undefined;
      return {
        subheader: 'CSI VolumeSnapshots of the persistent volume claims',
        metadata: {
          PVCs:
            snapshots.pvcs.type === 'names'
              ? snapshots.pvcs.names.join(', ')
              : `selected by ${snapshots.pvcs.labelSelector}`,
          Schedule: <ScheduleText cron={snapshots.schedule} />,
          Retention: describeRetention(snapshots.retention, 'snapshots'),
          'Snapshot class': snapshots.className ?? 'the cluster default',
        },
      };
    }
    default:
      return undefined;
  }
}

/** @public */
export interface LayerCardProps {
  layer: BackupLayer;
  intent: ProtectionIntent;
}

/**
 * The settings of one enabled protection layer of an entity.
 *
 * @public
 */
export function LayerCard(props: LayerCardProps) {
  const { layer, intent } = props;
  const description = describeLayer(layer, intent);
  if (!description) {
    return null;
  }
  return (
    <InfoCard
      title={LAYER_TITLES[layer]}
      subheader={description.subheader}
      variant="gridItem"
    >
      <StructuredMetadataTable
        metadata={description.metadata}
        options={{ titleFormat: key => key }}
      />
    </InfoCard>
  );
}
