import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  BACKUPS_ANNOTATION_PREFIX,
  BACKUPS_ANNOTATIONS as A,
  DEFAULT_KUBERNETES_NAMESPACE,
  KUBERNETES_ANNOTATIONS as K,
} from '../annotations';
import {
  BACKUP_LAYERS,
  BackupLayer,
  DatabaseIntent,
  DrillIntent,
  IntentContext,
  ProtectionIntentResult,
  PvcSelection,
  VeleroIntent,
  VolumeSnapshotIntent,
  WorkloadSelector,
} from '../types';
import { AnnotationReader } from './AnnotationReader';
import { POLICY_DEFAULTS, ResolvedPolicy, resolvePolicy } from './policy';
import {
  defaultDatabasePort,
  parseBoolean,
  parseCollectionName,
  parseCron,
  parseDatabaseEngine,
  parseDatabaseName,
  parseDnsLabel,
  parseDuration,
  parseGoDuration,
  parseHostAndPort,
  parseLabelSelector,
  parseLabelValue,
  parseList,
  parseObjectName,
  parseOneOf,
  parseRetention,
  parseVerifyQuery,
  ParsedValue,
} from './values';

const KNOWN_ANNOTATIONS: string[] = Object.values(A);

/**
 * Reads an entity's `backups/*` annotations together with its policy into a
 * validated protection intent, or into one error per bad annotation.
 *
 * @public
 */
export function parseProtectionIntent(
  entity: Entity,
  context: IntentContext,
): ProtectionIntentResult {
  const entityRef = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};
  if (annotations[A.policy] === undefined) {
    return {
      state: 'not-opted-in',
      entityRef,
      ignoredAnnotations: Object.keys(annotations).filter(name =>
        name.startsWith(BACKUPS_ANNOTATION_PREFIX),
      ),
    };
  }

  const reader = new AnnotationReader(annotations);
  rejectUnknownAnnotations(reader, Object.keys(annotations));
  const policy = readPolicy(reader, context);
  const clusters = readClusters(reader, context);
  const explicitLayers = reader.read(
    A.layers,
    parseList(parseOneOf(BACKUP_LAYERS)),
  );
  const rpo = reader.read(A.rpo, parseDuration) ?? policy?.rpo;
  const rto = reader.read(A.rto, parseDuration) ?? policy?.rto;
  const workload = readWorkload(reader);
  const wants = (layer: BackupLayer) => explicitLayers?.includes(layer);

  const velero = readVelero(reader, policy, workload, wants('velero'));
  const database = readDatabase(reader, policy, wants('database'));
  const volumeSnapshot = readVolumeSnapshot(
    reader,
    policy,
    wants('volume-snapshot'),
  );
  const drill = readDrill(reader, policy);

  const filled: Record<BackupLayer, boolean> = {
    velero: velero !== undefined,
    database: database !== undefined,
    'volume-snapshot': volumeSnapshot !== undefined,
  };
  const layers = BACKUP_LAYERS.filter(layer =>
    explicitLayers ? explicitLayers.includes(layer) : filled[layer],
  );
  if (
    policy &&
    explicitLayers === undefined &&
    layers.length === 0 &&
    reader.errors.length === 0
  ) {
    reader.reject(
      A.policy,
      `enables no layer: policy "${
        policy.name
      }" and this entity's annotations fill none of ${BACKUP_LAYERS.join(
        ', ',
      )}`,
      `velero needs a schedule and ${K.id} or ${K.labelSelector}; database needs ${A.database} and ${A.databaseHost}; volume-snapshot needs ${A.volumeSnapshotPvcs}`,
    );
  }

  const errors = reader.errors;
  if (errors.length > 0 || !policy || !clusters || !rpo || !rto) {
    return { state: 'invalid', entityRef, errors };
  }
  return {
    state: 'valid',
    entityRef,
    intent: {
      entityRef,
      policy: policy.name,
      clusters,
      layers,
      targets: { rpo, rto },
      workload,
      ...(layers.includes('velero') && velero ? { velero } : {}),
      ...(layers.includes('database') && database ? { database } : {}),
      ...(layers.includes('volume-snapshot') && volumeSnapshot
        ? { volumeSnapshot }
        : {}),
      drill,
    },
  };
}

function rejectUnknownAnnotations(reader: AnnotationReader, names: string[]) {
  for (const name of names) {
    if (
      name.startsWith(BACKUPS_ANNOTATION_PREFIX) &&
      !KNOWN_ANNOTATIONS.includes(name)
    ) {
      reader.reject(
        name,
        'is not a backups annotation',
        KNOWN_ANNOTATIONS.join(', '),
      );
    }
  }
}

function readPolicy(
  reader: AnnotationReader,
  context: IntentContext,
): ResolvedPolicy | undefined {
  const name = reader.raw(A.policy)!.trim();
  const names = Object.keys(context.policies);
  const allowed =
    names.length > 0
      ? names.join(', ')
      : 'none: backups.policies is empty in app-config';
  const policy = Object.prototype.hasOwnProperty.call(context.policies, name)
    ? context.policies[name]
    : undefined;
  if (!policy) {
    reader.reject(
      A.policy,
      'is not a policy defined in backups.policies',
      allowed,
    );
    return undefined;
  }
  const resolved = resolvePolicy(name, policy);
  if (!resolved.policy) {
    reader.reject(
      A.policy,
      `names a policy whose configuration is invalid (${resolved.problems.join(
        ' ',
      )})`,
      'a correctly configured policy; ask your platform team to fix app-config',
    );
  }
  return resolved.policy;
}

function readClusters(
  reader: AnnotationReader,
  context: IntentContext,
): string[] | undefined {
  const allowed =
    context.clusterNames.length > 0
      ? context.clusterNames.join(', ')
      : 'none: backups.clusters is empty in app-config';
  const isConfigured = parseList(parseOneOf(context.clusterNames));
  if (reader.has(A.cluster)) {
    return reader.read(A.cluster, text => {
      const parsed = isConfigured(text);
      return parsed.ok || context.clusterNames.length > 0
        ? parsed
        : { ...parsed, allowed };
    });
  }
  if (context.defaultCluster) {
    return [context.defaultCluster];
  }
  reader.reject(
    A.cluster,
    'is required because backups.defaultCluster is not configured',
    allowed,
  );
  return undefined;
}

function readWorkload(reader: AnnotationReader): WorkloadSelector {
  const namespace =
    reader.read(K.namespace, parseDnsLabel) ?? DEFAULT_KUBERNETES_NAMESPACE;
  if (reader.has(K.labelSelector)) {
    const requirements = reader.read(K.labelSelector, parseLabelSelector);
    return requirements
      ? {
          namespace,
          labelSelector: reader.raw(K.labelSelector)!.trim(),
          requirements,
        }
      : { namespace };
  }
  const id = reader.read(K.id, parseLabelValue);
  if (id === undefined) {
    return { namespace };
  }
  return {
    namespace,
    labelSelector: `${K.id}=${id}`,
    requirements: [{ key: K.id, operator: 'In', values: [id] }],
  };
}

const WORKLOAD_ALLOWED = `${K.id} (the pods' label value) or ${K.labelSelector}`;

function readVelero(
  reader: AnnotationReader,
  policy: ResolvedPolicy | undefined,
  workload: WorkloadSelector,
  explicitlyWanted: boolean | undefined,
): VeleroIntent | undefined {
  const schedule =
    reader.read(A.veleroSchedule, parseCron) ?? policy?.velero?.schedule;
  const ttl = reader.read(A.veleroTtl, parseGoDuration);
  const snapshotVolumes = reader.read(A.veleroSnapshotVolumes, parseBoolean);
  const requested = explicitlyWanted ?? reader.has(A.veleroSchedule);
  if (!schedule) {
    if (explicitlyWanted && policy) {
      reader.reject(
        A.veleroSchedule,
        `is required for the velero layer because policy "${policy.name}" has no velero schedule`,
        'a 5-field cron expression, e.g. "0 * * * *"',
      );
    }
    return undefined;
  }
  if (!workload.labelSelector) {
    if (requested && !reader.has(K.labelSelector) && !reader.has(K.id)) {
      reader.reject(
        K.id,
        'is required for the velero layer, to select what to back up',
        WORKLOAD_ALLOWED,
      );
    }
    return undefined;
  }
  return {
    schedule,
    ttl: ttl ?? policy?.velero?.ttl ?? POLICY_DEFAULTS.veleroTtl,
    snapshotVolumes:
      snapshotVolumes ??
      policy?.velero?.snapshotVolumes ??
      POLICY_DEFAULTS.veleroSnapshotVolumes,
  };
}

function readDatabase(
  reader: AnnotationReader,
  policy: ResolvedPolicy | undefined,
  explicitlyWanted: boolean | undefined,
): DatabaseIntent | undefined {
  const engine = reader.read(A.database, parseDatabaseEngine);
  const hostAndPort = reader.read(A.databaseHost, parseHostAndPort);
  const databases = reader.read(
    A.databaseName,
    parseList(parseDatabaseName, { allowEmpty: true }),
  );
  const secretName = reader.read(A.databaseSecret, parseObjectName);
  const schedule =
    reader.read(A.databaseSchedule, parseCron) ?? policy?.database?.schedule;
  const retention = reader.read(A.databaseRetention, parseRetention);

  // backups/database alone only adds consistency hooks to the Velero backup;
  // a host (or listing the layer) asks for dumps, which then need the rest.
  // A backups/layers that leaves the layer out does not want it.
  const wanted = explicitlyWanted ?? reader.has(A.databaseHost);
  if (!wanted) {
    return undefined;
  }
  const because = 'is required when the database layer is enabled';
  if (!reader.has(A.database)) {
    reader.reject(A.database, because, 'postgres, mysql, mongodb');
  }
  if (!reader.has(A.databaseHost)) {
    reader.reject(
      A.databaseHost,
      because,
      'the database service host name, e.g. orders-db or orders-db:5432',
    );
  }
  if (!reader.has(A.databaseSecret)) {
    reader.reject(
      A.databaseSecret,
      because,
      'the name of a Secret in the workload namespace with keys username and password',
    );
  }
  if (!schedule && policy) {
    reader.reject(
      A.databaseSchedule,
      `is required because policy "${policy.name}" has no database schedule`,
      'a 5-field cron expression, e.g. "*/30 * * * *"',
    );
  }
  if (engine === 'mongodb' && databases && databases.length > 1) {
    // mongodump takes one --db or none (every database), never a list.
    reader.reject(
      A.databaseName,
      `names ${databases.length} databases, but a MongoDB dump covers one database or all of them`,
      'one database name, or empty to dump every database',
    );
    return undefined;
  }
  if (!engine || !hostAndPort || !secretName || !schedule) {
    return undefined;
  }
  return {
    engine,
    host: hostAndPort.host,
    port: hostAndPort.port ?? defaultDatabasePort(engine),
    databases: databases ?? [],
    secretName,
    schedule,
    retention:
      retention ??
      policy?.database?.retention ??
      POLICY_DEFAULTS.databaseRetention,
  };
}

const PVCS_ALLOWED =
  'PVC names separated by commas (e.g. orders-data,orders-logs) or selector:<label selector> (e.g. selector:app=orders)';
const SELECTOR_PREFIX = 'selector:';

function readVolumeSnapshot(
  reader: AnnotationReader,
  policy: ResolvedPolicy | undefined,
  explicitlyWanted: boolean | undefined,
): VolumeSnapshotIntent | undefined {
  const pvcs = reader.read(A.volumeSnapshotPvcs, parsePvcSelection);
  const schedule =
    reader.read(A.volumeSnapshotSchedule, parseCron) ??
    policy?.volumeSnapshots?.schedule;
  const retention = reader.read(A.volumeSnapshotRetention, parseRetention);
  const className =
    reader.read(A.volumeSnapshotClass, parseObjectName) ??
    policy?.volumeSnapshots?.className;

  if (!(explicitlyWanted ?? reader.has(A.volumeSnapshotPvcs))) {
    return undefined;
  }
  if (!reader.has(A.volumeSnapshotPvcs)) {
    reader.reject(
      A.volumeSnapshotPvcs,
      'is required when the volume-snapshot layer is enabled',
      PVCS_ALLOWED,
    );
  }
  if (!schedule && policy) {
    reader.reject(
      A.volumeSnapshotSchedule,
      `is required because policy "${policy.name}" has no volumeSnapshots schedule`,
      'a 5-field cron expression, e.g. "0 */6 * * *"',
    );
  }
  if (!pvcs || !schedule) {
    return undefined;
  }
  return {
    pvcs,
    schedule,
    retention:
      retention ??
      policy?.volumeSnapshots?.retention ??
      POLICY_DEFAULTS.volumeSnapshotRetention,
    ...(className ? { className } : {}),
  };
}

function parsePvcSelection(text: string): ParsedValue<PvcSelection> {
  const trimmed = text.trim();
  if (trimmed.startsWith(SELECTOR_PREFIX)) {
    const labelSelector = trimmed.slice(SELECTOR_PREFIX.length).trim();
    const parsed = parseLabelSelector(labelSelector);
    return parsed.ok
      ? {
          ok: true,
          value: {
            type: 'selector',
            labelSelector,
            requirements: parsed.value,
          },
        }
      : { ok: false, problem: parsed.problem, allowed: PVCS_ALLOWED };
  }
  const names = parseList(parseObjectName)(trimmed);
  return names.ok
    ? { ok: true, value: { type: 'names', names: names.value } }
    : { ok: false, problem: names.problem, allowed: PVCS_ALLOWED };
}

function readDrill(
  reader: AnnotationReader,
  policy: ResolvedPolicy | undefined,
): DrillIntent {
  const scheduleText = reader.raw(A.drillSchedule)?.trim();
  const schedule =
    scheduleText === 'off'
      ? undefined
      : reader.read(A.drillSchedule, text => {
          const cron = parseCron(text);
          return cron.ok
            ? cron
            : { ...cron, allowed: `${cron.allowed}, or off` };
        }) ?? policy?.drill?.schedule;

  const engine = reader.read(A.database, parseDatabaseEngine);
  let verify: string | undefined;
  if (reader.has(A.drillVerify)) {
    if (!reader.has(A.database)) {
      reader.reject(
        A.drillVerify,
        `is only used together with ${A.database}`,
        `set ${A.database} as well, or remove this annotation`,
      );
    } else if (engine === 'mongodb') {
      verify = reader.read(A.drillVerify, parseCollectionName);
    } else if (engine) {
      verify = reader.read(A.drillVerify, parseVerifyQuery);
    } else {
      // The engine is invalid (and reported); still report a query no engine could run.
      reader.read(A.drillVerify, text => {
        const query = parseVerifyQuery(text);
        return query.ok || !parseCollectionName(text).ok
          ? query
          : parseCollectionName(text);
      });
    }
  }
  return {
    ...(schedule ? { schedule } : {}),
    ...(verify ? { verify } : {}),
  };
}
