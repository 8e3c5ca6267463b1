import { Entity } from '@backstage/catalog-model';
import {
  CodeSnippet,
  InfoCard,
  WarningPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  BACKUPS_ANNOTATIONS,
  KUBERNETES_ANNOTATIONS,
} from '@backups-for-backstage/plugin-backups-common';

/**
 * The minimal `metadata.annotations` block that opts an entity in: a policy,
 * and the Kubernetes id that selects its workload (the entity's own
 * `backstage.io/kubernetes-id` when it has one, else its name).
 */
export function optInSnippet(entity: Entity): string {
  const kubernetesId =
    entity.metadata.annotations?.[KUBERNETES_ANNOTATIONS.id] ??
    entity.metadata.name;
  return [
    'metadata:',
    '  annotations:',
    `    ${BACKUPS_ANNOTATIONS.policy}: gold`,
    `    ${KUBERNETES_ANNOTATIONS.id}: ${kubernetesId}`,
    '',
  ].join('\n');
}

/** @public */
export interface OptInInstructionsProps {
  entity: Entity;
  /** `backups/*` annotations the entity has although it has not opted in. */
  ignoredAnnotations: string[];
}

/**
 * What the Backups tab offers, and how an entity that has not opted in does so.
 *
 * @public
 */
export function OptInInstructions(props: OptInInstructionsProps) {
  const { entity, ignoredAnnotations } = props;
  const kind = entity.kind.toLocaleLowerCase('en-US');
  return (
    <InfoCard title={`Backups are not set up for this ${kind}`}>
      <Typography variant="body1" paragraph>
        Once it opts in, this tab shows for each protection layer (Velero
        backups of its Kubernetes resources and volumes, logical dumps of its
        database, CSI snapshots of its volumes) whether it is protected: the
        last good backup and its age against the RPO target, the next run, the
        restore points you can restore from, and the disaster-recovery drills
        with their measured RTO.
      </Typography>
      <Typography variant="body1" paragraph>
        To opt in, add a backup policy to the annotations in its{' '}
        <code>catalog-info.yaml</code>:
      </Typography>
      <CodeSnippet
        language="yaml"
        text={optInSnippet(entity)}
        showCopyCodeButton
      />
      <Box mt={2}>
        <Typography variant="body2" paragraph>
          <code>{BACKUPS_ANNOTATIONS.policy}</code> names one of the policies in{' '}
          <code>backups.policies</code> of the app configuration; ask your
          platform team which ones exist. The workload is found by{' '}
          <code>{KUBERNETES_ANNOTATIONS.id}</code> (or{' '}
          <code>{KUBERNETES_ANNOTATIONS.labelSelector}</code>) in the namespace
          named by <code>{KUBERNETES_ANNOTATIONS.namespace}</code> (default{' '}
          <code>default</code>). Nothing is created in a cluster for this {kind}{' '}
          until <code>{BACKUPS_ANNOTATIONS.policy}</code> is set.
        </Typography>
      </Box>
      {ignoredAnnotations.length > 0 && (
        <WarningPanel
          title={`${
            ignoredAnnotations.length === 1
              ? 'One backups annotation is'
              : `${ignoredAnnotations.length} backups annotations are`
          } ignored`}
          message={`${ignoredAnnotations.join(', ')} ${
            ignoredAnnotations.length === 1 ? 'is' : 'are'
          } ignored until ${BACKUPS_ANNOTATIONS.policy} is set.`}
          defaultExpanded
        />
      )}
    </InfoCard>
  );
}
