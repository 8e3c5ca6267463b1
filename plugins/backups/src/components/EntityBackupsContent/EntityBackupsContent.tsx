import {
  CompoundEntityRef,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Grid from '@material-ui/core/Grid';
import {
  backupsRestoreCreatePermission,
  ProtectionIntent,
  RestorePoint,
} from '@backups-for-backstage/plugin-backups-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { backupsApiRef } from '../../api';
import { DrillCard } from '../DrillCard';
import { IntentErrorsPanel } from '../IntentErrorsPanel';
import { LayerCard } from '../LayerCard';
import { OptInInstructions } from '../OptInInstructions';
import { ProtectionSummaryCard } from '../ProtectionSummaryCard';
import { ComplianceSummary } from '../ComplianceSummary';
import { RestorePointsTable } from '../RestorePointsTable';
import { RestoreDialog } from '../RestoreDialog';
import { RestoreHistory, useEntityRestores } from '../RestoreHistory';
import { DrillHistory, useEntityDrills } from '../DrillHistory';
import { useEntityBackups } from './useEntityBackups';
import { describeError } from '../../utils/describeError';

function ProtectionIntentView(props: {
  intent: ProtectionIntent;
  entity: CompoundEntityRef;
}) {
  const { intent } = props;
  const backups = useEntityBackups(props.entity);
  const { status } = backups;
  const restores = useEntityRestores(props.entity);
  const drills = useEntityDrills(props.entity);
  const drilling = drills.records.find(d => d.state === 'running');
  const mayRestore = usePermission({
    permission: backupsRestoreCreatePermission,
    resourceRef: intent.entityRef,
  });
  const [restoring, setRestoring] = useState<RestorePoint>();
  const running = restores.records.find(r => r.state === 'running');
  const restoreDisabledReason = () => {
    if (mayRestore.loading) return 'Checking your permissions…';
    if (!mayRestore.allowed) {
      return `You may not restore ${intent.entityRef} (backups.restore.create)`;
    }
    if (running) return `Restore ${running.id} is running; one at a time`;
    if (drilling) return `Drill ${drilling.id} is running; one at a time`;
    return undefined;
  };
  return (
    <Grid container spacing={3} alignItems="stretch">
      {status ? (
        <Grid item xs={12}>
          <ComplianceSummary status={status} />
        </Grid>
      ) : null}
      {backups.loading ? (
        <Grid item xs={12}>
          <Progress />
        </Grid>
      ) : null}
      {backups.error ? (
        <Grid item xs={12}>
          <WarningPanel
            title={`Could not load whether ${
              intent.entityRef
            } is protected: ${describeError(backups.error)}`}
          />
        </Grid>
      ) : null}
      <Grid item xs={12} md={6}>
        <ProtectionSummaryCard intent={intent} />
      </Grid>
      <Grid item xs={12} md={6}>
        <DrillCard drill={intent.drill} />
      </Grid>
      {intent.layers.map(layer => (
        <Grid item xs={12} md={6} lg={4} key={layer}>
          <LayerCard
            layer={layer}
            intent={intent}
            statuses={status?.layers.filter(l => l.layer === layer)}
            onBackupStarted={backups.watch}
          />
        </Grid>
      ))}
      <Grid item xs={12}>
        <DrillHistory
          entityRef={intent.entityRef}
          drills={drills.records}
          onStarted={drills.refresh}
          busy={
            running
              ? `Restore ${running.id} is running; one at a time`
              : undefined
          }
        />
      </Grid>
      {restores.records.length > 0 ? (
        <Grid item xs={12}>
          <RestoreHistory restores={restores.records} />
        </Grid>
      ) : null}
      {status
        ? intent.layers.map(layer => (
            <Grid item xs={12} key={`points-${layer}`}>
              <RestorePointsTable
                layer={layer}
                restorePoints={backups.restorePoints.filter(
                  point => point.layer === layer,
                )}
                restore={{
                  onRestore: setRestoring,
                  disabledReason: restoreDisabledReason(),
                }}
              />
            </Grid>
          ))
        : null}
      {restoring ? (
        <RestoreDialog
          open
          onClose={() => setRestoring(undefined)}
          entityRef={intent.entityRef}
          entityName={props.entity.name}
          namespace={intent.workload.namespace}
          databases={intent.database?.databases}
          restorePoint={restoring}
          onStarted={restores.refresh}
        />
      ) : null}
    </Grid>
  );
}

/**
 * The Backups tab of an entity page: what the entity asked to be protected
 * by, why its annotations are not applied, or how to opt in.
 *
 * @public
 */
export function EntityBackupsContent() {
  const { entity } = useEntity();
  const backupsApi = useApi(backupsApiRef);
  const entityRef = stringifyEntityRef(entity);

  const { value, loading, error } = useAsync(
    () => backupsApi.getIntent(getCompoundEntityRef(entity)),
    [backupsApi, entityRef],
  );

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <ResponseErrorPanel
        title={`Could not load the backup settings of ${entityRef}: ${describeError(
          error,
        )}`}
        error={error}
      />
    );
  }
  if (!value) {
    return null;
  }

  switch (value.state) {
    case 'valid':
      return (
        <ProtectionIntentView
          intent={value.intent}
          entity={getCompoundEntityRef(entity)}
        />
      );
    case 'invalid':
      return (
        <IntentErrorsPanel entityRef={value.entityRef} errors={value.errors} />
      );
    case 'not-opted-in':
      return (
        <OptInInstructions
          entity={entity}
          ignoredAnnotations={value.ignoredAnnotations}
        />
      );
    default:
      return (
        <WarningPanel
          title={`Unexpected answer from the backups backend for ${entityRef}`}
          message={`Unknown intent state: ${
            (value as { state?: unknown }).state
          }`}
        />
      );
  }
}
