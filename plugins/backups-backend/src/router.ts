import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  backupsEntityReadPermission,
  backupsReconcilePermission,
} from '@backups-for-backstage/plugin-backups-common';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { requirePermission } from './auth/requirePermission';
import { BackupsService } from './service/BackupsService';

const entityRefParams = z.object({
  kind: z.string().min(1),
  namespace: z.string().min(1),
  name: z.string().min(1),
});

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
}): Promise<express.Router> {
  const { httpAuth, permissions, auditor, backups } = options;
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
