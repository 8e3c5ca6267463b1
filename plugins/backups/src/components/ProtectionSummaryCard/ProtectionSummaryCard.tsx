import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { ProtectionIntent } from '@backups-for-backstage/plugin-backups-common';
import { LAYER_TITLES } from '../LayerCard';

/** @public */
export interface ProtectionSummaryCardProps {
  intent: ProtectionIntent;
}

/**
 * What an entity asked to be protected by: its policy, clusters, targets and
 * the workload the layers select.
 *
 * @public
 */
export function ProtectionSummaryCard(props: ProtectionSummaryCardProps) {
  const { intent } = props;
  const { targets, workload } = intent;
  return (
    <InfoCard
      title="Protection"
      subheader={`Policy ${intent.policy}, with the entity's annotations applied`}
      variant="gridItem"
    >
      <StructuredMetadataTable
        options={{ titleFormat: key => key }}
        metadata={{
          Policy: intent.policy,
          Clusters: intent.clusters.join(', '),
          'RPO target': `${targets.rpo.text} (the newest good restore point may be at most this old)`,
          'RTO target': `${targets.rto.text} (a restore must be done within this time)`,
          Namespace: workload.namespace,
          Selector: workload.labelSelector ? (
            <code>{workload.labelSelector}</code>
          ) : (
            'none: the entity names no workload'
          ),
          Layers:
            intent.layers.length > 0
              ? intent.layers.map(layer => LAYER_TITLES[layer]).join(', ')
              : 'none',
        }}
      />
    </InfoCard>
  );
}
