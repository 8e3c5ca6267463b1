import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  BACKUP_LAYERS,
  backupsBackupCreatePermission,
  backupsEntityReadPermission,
  backupsReconcilePermission,
  backupsRestoreCreatePermission,
  backupsRestoreInPlacePermission,
  backupsDrillCreatePermission,
  COMPLIANCE_STATES,
  ComplianceState,
  RESTORE_MODES,
} from '@backups-for-backstage/plugin-backups-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { allowedEntityRefs, requirePermission } from './auth/requirePermission';
import { BackupsService } from './service/BackupsService';
import { OnDemandBackupService } from './onDemand/OnDemandBackupService';
import { StatusService } from './status/StatusService';
import { RestoreService } from './restores/RestoreService';
import { DrillService } from './drills/DrillService';

const entityRefParams = z.object({
  kind: z.string().min(1),
  namespace: z.string().min(1),
  name: z.string().min(1),
});

const restorePointsQuery = z.object({
  layer: z.enum(BACKUP_LAYERS).optional(),
});

const backupBody = z.object({
  layer: z.enum(BACKUP_LAYERS),
  cluster: z.string().min(1).optional(),
});

const drillBody = z
  .object({
    cluster: z.string().min(1).optional(),
    reason: z.string().max(2000).optional(),
  })
  .strict();

const restoreBody = z.object({
  layer: z.enum(BACKUP_LAYERS),
  restorePoint: z.string().min(1),
  cluster: z.string().min(1).optional(),
  target: z.object({
    mode: z.enum(RESTORE_MODES as [string, ...string[]]),
    namespace: z.string().min(1).optional(),
    existingResourcePolicy: z.enum(['none', 'update']).optional(),
  }),
  confirm: z.string().optional(),
  reason: z.string().max(2000).optional(),
});

const overviewQuery = z.object({
  owner: z.string().min(1).optional(),
  policy: z.string().min(1).optional(),
  state: z.enum(COMPLIANCE_STATES as [string, ...string[]]).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
});

/** Parses a query or body with zod, naming what was wrong and what is allowed. */
function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  query: unknown,
  what: 'query' | 'body' = 'query',
): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const given = (query ?? {}) as Record<string, unknown>;
    throw new InputError(
      `Invalid ${what}: ${parsed.error.issues
        .map(issue => {
          const key = issue.path.join('.');
          const value = key in given ? ` ${JSON.stringify(given[key])}` : '';
          return `${key || what}${value}: ${issue.message}`;
        })
        .join('; ')}`,
    );
  }
  return parsed.data;
}

function parseEntityRef(params: unknown) {
  const parsed = entityRefParams.safeParse(params);
  if (!parsed.success) {
    throw new InputError(
      `Invalid entity ref: expected /entities/<kind>/<namespace>/<name> (${parsed.error.message})`,
    );
  }
  return parsed.data;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  backups: BackupsService;
  status: StatusService;
  onDemand: OnDemandBackupService;
  restores: RestoreService;
  drills: DrillService;
}): Promise<express.Router> {
  const { httpAuth, permissions, auditor, backups, status, onDemand } = options;
  const { restores, drills } = options;
  const router = Router();
  router.use(express.json());

  /** The entity of the path and the caller, once the caller may `permission` it. */
  async function authorizedEntity(
    req: express.Request,
    permission: ResourcePermission<'catalog-entity'>,
  ) {
    const entityRef = parseEntityRef(req.params);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission({
      permissions,
      credentials,
      permission,
      entityRef: stringifyEntityRef(entityRef),
    });
    return { entityRef, credentials };
  }

  router.get('/entities/:kind/:namespace/:name/intent', async (req, res) => {
    const target = await authorizedEntity(req, backupsEntityReadPermission);
    res.json(await backups.getIntent(target));
  });

  router.get('/entities/:kind/:namespace/:name/status', async (req, res) => {
    const target = await authorizedEntity(req, backupsEntityReadPermission);
    res.json(await status.getStatus(target));
  });

  router.get(
    '/entities/:kind/:namespace/:name/restore-points',
    async (req, res) => {
      const { layer } = parseInput(restorePointsQuery, req.query);
      const target = await authorizedEntity(req, backupsEntityReadPermission);
      res.json(await status.getRestorePoints({ ...target, layer }));
    },
  );

  router.post('/entities/:kind/:namespace/:name/backups', async (req, res) => {
    const auditorEvent = await auditor.createEvent({
      eventId: 'backup-create',
      severityLevel: 'medium',
      request: req,
      meta: { entityRef: req.params, layer: req.body?.layer },
    });
    try {
      const body = parseInput(backupBody, req.body ?? {}, 'body');
      const target = await authorizedEntity(req, backupsBackupCreatePermission);
      const backup = await onDemand.createBackup({ ...target, ...body });
      await auditorEvent.success({
        meta: {
          entityRef: backup.entityRef,
          layer: backup.layer,
          cluster: backup.cluster,
          created: backup.created.map(ref => `${ref.kind}/${ref.name}`),
        },
      });
      res.status(202).json(backup);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  router.post('/entities/:kind/:namespace/:name/restores', async (req, res) => {
    const asked = (req.body ?? {}) as Record<string, any>;
    const auditorEvent = await auditor.createEvent({
      eventId: 'restore-create',
      severityLevel: 'high',
      request: req,
      meta: {
        entityRef: req.params,
        layer: asked.layer,
        restorePoint: asked.restorePoint,
        mode: asked.target?.mode,
        namespace: asked.target?.namespace,
        reason: asked.reason,
      },
    });
    try {
      const body = parseInput(restoreBody, req.body ?? {}, 'body');
      const target = await authorizedEntity(
        req,
        backupsRestoreCreatePermission,
      );
      if (body.target.mode === 'in-place') {
        await requirePermission({
          permissions,
          credentials: target.credentials,
          permission: backupsRestoreInPlacePermission,
          entityRef: stringifyEntityRef(target.entityRef),
        });
      }
      const restore = await restores.createRestore({
        ...target,
        request: body as Parameters<
          RestoreService['createRestore']
        >[0]['request'],
      });
      await auditorEvent.success({
        meta: {
          id: restore.id,
          entityRef: restore.entityRef,
          layer: restore.layer,
          cluster: restore.cluster,
          restorePoint: restore.restorePoint.id,
          mode: restore.target.mode,
          namespace: restore.target.namespace,
          reason: restore.reason,
        },
      });
      res.status(202).json({ id: restore.id, restore });
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/entities/:kind/:namespace/:name/restores', async (req, res) => {
    const target = await authorizedEntity(req, backupsEntityReadPermission);
    res.json(await restores.listRestores(target));
  });

  router.get('/restores/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const restore = await restores.getRestore({ id: req.params.id });
    await requirePermission({
      permissions,
      credentials,
      permission: backupsEntityReadPermission,
      entityRef: restore.entityRef,
    });
    res.json(restore);
  });

  router.post('/entities/:kind/:namespace/:name/drills', async (req, res) => {
    const auditorEvent = await auditor.createEvent({
      eventId: 'drill-create',
      severityLevel: 'medium',
      request: req,
      meta: {
        entityRef: req.params,
        cluster: req.body?.cluster,
        reason: req.body?.reason,
      },
    });
    try {
      const body = parseInput(drillBody, req.body ?? {}, 'body');
      const target = await authorizedEntity(req, backupsDrillCreatePermission);
      const drill = await drills.startDrill({ ...target, ...body });
      await auditorEvent.success({
        meta: {
          id: drill.id,
          entityRef: drill.entityRef,
          cluster: drill.cluster,
          namespace: drill.namespace,
          restorePoints: drill.achieved.layers.map(
            l => `${l.layer}/${l.restorePoint.id}`,
          ),
          reason: drill.reason,
        },
      });
      res.status(202).json({ id: drill.id, drill });
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/entities/:kind/:namespace/:name/drills', async (req, res) => {
    const target = await authorizedEntity(req, backupsEntityReadPermission);
    res.json(await drills.listDrills(target));
  });

  router.get('/drills/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const drill = await drills.getDrill({ id: req.params.id });
    await requirePermission({
      permissions,
      credentials,
      permission: backupsEntityReadPermission,
      entityRef: drill.entityRef,
    });
    res.json(drill);
  });

  router.get('/overview', async (req, res) => {
    const query = parseInput(overviewQuery, req.query);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(
      await status.getOverview({
        ...query,
        state: query.state as ComplianceState | undefined,
        credentials,
        // The list may come from the last reconcile run, not from the
        // catalog under the caller's credentials: catalog read is checked too.
        readable: entityRefs =>
          allowedEntityRefs({
            permissions,
            credentials,
            permission: [
              catalogEntityReadPermission,
              backupsEntityReadPermission,
            ],
            entityRefs,
          }),
      }),
    );
  });

  router.get('/entities/:kind/:namespace/:name/plan', async (req, res) => {
    const target = await authorizedEntity(req, backupsReconcilePermission);
    res.json(await backups.getPlan(target));
  });

  router.post(
    '/entities/:kind/:namespace/:name/reconcile',
    async (req, res) => {
      const auditorEvent = await auditor.createEvent({
        eventId: 'entity-reconcile',
        severityLevel: 'medium',
        request: req,
        meta: { entityRef: req.params },
      });
      try {
        const target = await authorizedEntity(req, backupsReconcilePermission);
        const record = await backups.reconcileEntity(target);
        await auditorEvent.success({
          meta: {
            entityRef: record.result.entityRef,
            state: record.result.state,
            dryRun: record.result.dryRun,
            succeeded: record.succeeded,
          },
        });
        res.json(record);
      } catch (error) {
        await auditorEvent.fail({ error: error as Error });
        throw error;
      }
    },
  );

  return router;
}
