import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { backupsEntityReadPermission } from '@backups-for-backstage/plugin-backups-common';
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
  backups: BackupsService;
}): Promise<express.Router> {
  const { httpAuth, permissions, backups } = options;
  const router = Router();
  router.use(express.json());

  router.get('/entities/:kind/:namespace/:name/intent', async (req, res) => {
    const entityRef = parseEntityRef(req.params);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requirePermission({
      permissions,
      credentials,
      permission: backupsEntityReadPermission,
      entityRef: stringifyEntityRef(entityRef),
    });
    res.json(await backups.getIntent({ entityRef, credentials }));
  });

  return router;
}
