import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  backupsRestoreInPlacePermission,
  LAYER_TITLES,
  RestoreMode,
  RestorePoint,
  RestoreRecord,
  RestoreRequest,
} from '@backups-for-backstage/plugin-backups-common';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import { backupsApiRef } from '../../api';
import { describeError } from '../../utils/describeError';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function shortId(): string {
  return Math.random().toString(16).slice(2, 8).padEnd(6, '0');
}

/** What is wrong with a new namespace's name, if anything. */
function namespaceProblem(namespace: string, source: string) {
  if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
    return 'A DNS label: lower-case letters, digits and "-", at most 63 characters';
  }
  if (namespace === source) {
    return `That is the component's own namespace: choose "In place" to restore there`;
  }
  return undefined;
}

/** @public */
export interface RestoreDialogProps {
  open: boolean;
  onClose(): void;
  entityRef: string;
  /** The entity's name: what an in-place restore must be confirmed with. */
  entityName: string;
  /** The component's namespace in the cluster (the source). */
  namespace: string;
  /** Database layer: the databases its dumps hold (empty: every one of the server). */
  databases?: string[];
  restorePoint: RestorePoint;
  /** Called once the backend started the restore. */
  onStarted?(restore: RestoreRecord): void;
}

/**
 * Restore one restore point: to a new namespace (the default, prefilled) or
 * in place (with `backups.restore.in-place` and the component's name typed),
 * with a summary of exactly what will be created or changed before anything
 * happens.
 *
 * @public
 */
export function RestoreDialog(props: RestoreDialogProps) {
  const { restorePoint: point, namespace: source } = props;
  const backupsApi = useApi(backupsApiRef);
  const inPlaceAllowed = usePermission({
    permission: backupsRestoreInPlacePermission,
    resourceRef: props.entityRef,
  });
  const defaultNamespace = useMemo(
    () => `${source}-restore-${shortId()}`.slice(0, 63),
    [source],
  );
  const [mode, setMode] = useState<RestoreMode>('namespace');
  const [namespace, setNamespace] = useState(defaultNamespace);
  const [update, setUpdate] = useState(false);
  const [confirm, setConfirm] = useState('');
  const [reason, setReason] = useState('');
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();

  const isDatabase = point.layer === 'database';
  const isVolume = point.layer === 'volume-snapshot';
  const pvc = point.pvc ?? 'the PVC';
  const databases = props.databases ?? [];
  const databaseName = databases.join(', ') || 'every database of the server';
  const newDatabasePossible = databases.length === 1;
  const namespaceError =
    mode === 'namespace' && !isDatabase
      ? namespaceProblem(namespace, source)
      : undefined;
  const confirmed = mode !== 'in-place' || confirm === props.entityName;
  const canStart =
    !starting &&
    !namespaceError &&
    confirmed &&
    (!isDatabase || mode === 'in-place' || newDatabasePossible);
  const titleId = `restore-dialog-title-${point.id}`;

  function targetOf(): RestoreRequest['target'] {
    if (isDatabase) return { mode };
    if (mode === 'namespace') return { mode, namespace };
    return isVolume
      ? { mode }
      : { mode, existingResourcePolicy: update ? 'update' : 'none' };
  }

  async function start() {
    setStarting(true);
    setError(undefined);
    try {
      const { restore } = await backupsApi.createRestore(props.entityRef, {
        layer: point.layer,
        restorePoint: point.id,
        cluster: point.cluster,
        target: targetOf(),
        ...(mode === 'in-place' ? { confirm } : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      props.onStarted?.(restore);
      props.onClose();
    } catch (e) {
      setError(`Could not start the restore: ${describeError(e as Error)}`);
    } finally {
      setStarting(false);
    }
  }

  const databaseSummary =
    mode === 'namespace'
      ? [
          newDatabasePossible
            ? `The dump ${point.id} is loaded into a new database ${databases[0]}_restore_<id> on the component's server, in cluster ${point.cluster}.`
            : `A dump of ${databaseName} can only be restored in place.`,
          `Its sha256 is checked against the one recorded when it was made before anything is loaded.`,
          `The component's own database ${databaseName} is not changed.`,
        ]
      : [
          `The dump ${point.id} is loaded into ${databaseName}, in place, in cluster ${point.cluster}: what was written since the dump is replaced.`,
          `Its sha256 is checked against the one recorded when it was made before anything is loaded.`,
        ];
  const veleroSummary =
    mode === 'namespace'
      ? [
          `Create the namespace ${namespace} in cluster ${point.cluster}, labelled as a restore copy.`,
          `A Velero Restore of ${point.id} maps namespace ${source} onto it; the component's backup CronJobs are left out, so the copy never dumps the production database.`,
          `Nothing in ${source} is changed, and nothing is deleted.`,
        ]
      : [
          `A Velero Restore of ${point.id} into namespace ${source} of cluster ${point.cluster}.`,
          update
            ? 'Objects missing from it are created; objects that exist are updated from the backup.'
            : 'Objects missing from it are created; objects that exist are left as they are.',
          'Nothing is deleted.',
        ];
  const volumeSummary =
    mode === 'namespace'
      ? [
          `Create the namespace ${namespace} in cluster ${point.cluster}, labelled as a restore copy.`,
          `Make the snapshot ${point.id} available there: a VolumeSnapshotContent naming the same storage snapshot, with deletionPolicy Retain (deleting the copy never deletes the original's data), and a VolumeSnapshot bound to it.`,
          `Create the PVC ${pvc}-restore-<id> in ${namespace} from it, with the storage class, access modes and size of ${pvc}.`,
          `Nothing in ${source} is changed, and nothing is deleted.`,
        ]
      : [
          `Create the PVC ${pvc}-restore-<id> beside ${pvc} in namespace ${source} of cluster ${point.cluster}, from the snapshot ${point.id}.`,
          `${pvc} is not changed or overwritten: when the new PVC is Bound, the restore says how to switch the workload to it.`,
          'Nothing is deleted.',
        ];
  let inPlaceLabel = `In place, into ${source}`;
  if (isDatabase) inPlaceLabel = `In place, into ${databaseName}`;
  else if (isVolume) {
    inPlaceLabel = `In place: a new PVC beside ${pvc} in ${source}`;
  }
  let summary = veleroSummary;
  if (isDatabase) summary = databaseSummary;
  else if (isVolume) summary = volumeSummary;

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle id={titleId}>
        Restore {LAYER_TITLES[point.layer].toLowerCase()} from {point.id}
      </DialogTitle>
      <DialogContent>
        <RadioGroup
          aria-label="Where to restore"
          value={mode}
          onChange={event => setMode(event.target.value as RestoreMode)}
        >
          <FormControlLabel
            value="namespace"
            control={<Radio />}
            label={
              isDatabase
                ? 'Into a new database on the same server (nothing that exists is touched)'
                : 'To a new namespace (nothing that exists is touched)'
            }
          />
          <FormControlLabel
            value="in-place"
            control={<Radio />}
            disabled={!inPlaceAllowed.allowed}
            label={inPlaceLabel}
          />
        </RadioGroup>
        {!inPlaceAllowed.loading && !inPlaceAllowed.allowed ? (
          <FormHelperText>
            Restoring in place needs backups.restore.in-place, which you do not
            have for {props.entityRef}.
          </FormHelperText>
        ) : null}
        {mode === 'namespace' && !isDatabase ? (
          <TextField
            id={`${titleId}-namespace`}
            label="New namespace"
            value={namespace}
            onChange={event => setNamespace(event.target.value)}
            error={namespaceError !== undefined}
            helperText={namespaceError ?? 'It must not exist yet.'}
            fullWidth
            margin="normal"
          />
        ) : null}
        {mode === 'in-place' && !isDatabase && !isVolume ? (
          <FormControlLabel
            control={
              <Checkbox
                checked={update}
                onChange={event => setUpdate(event.target.checked)}
              />
            }
            label="Update objects that exist from the backup (existingResourcePolicy: update)"
          />
        ) : null}
        {mode === 'in-place' ? (
          <TextField
            id={`${titleId}-confirm`}
            label={`Type ${props.entityName} to confirm`}
            value={confirm}
            onChange={event => setConfirm(event.target.value)}
            error={confirm !== '' && !confirmed}
            helperText="A restore in place changes the running component."
            fullWidth
            margin="normal"
            inputProps={{ 'aria-describedby': `${titleId}-summary` }}
          />
        ) : null}
        <TextField
          id={`${titleId}-reason`}
          label="Why (for the history and the audit log)"
          value={reason}
          onChange={event => setReason(event.target.value)}
          fullWidth
          margin="normal"
        />
        <Typography variant="subtitle2" component="h3">
          What will happen
        </Typography>
        <ul id={`${titleId}-summary`} aria-label="What will happen">
          {summary.map(line => (
            <li key={line}>
              <Typography variant="body2">{line}</Typography>
            </li>
          ))}
        </ul>
        {error ? (
          <Typography color="error" role="alert">
            {error}
          </Typography>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!canStart}
          onClick={start}
        >
          {starting ? 'Starting…' : 'Restore'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
