import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import { BackupsService } from './service/BackupsService';

describe('createRouter', () => {
  const getIntent = jest.fn<
    ReturnType<BackupsService['getIntent']>,
    Parameters<BackupsService['getIntent']>
  >();
  const backups: BackupsService = { getIntent };

  async function appWith(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions({ result }),
      backups,
    });
    return express().use(router).use(mockErrorHandler());
  }

  beforeEach(() => {
    getIntent.mockReset();
    getIntent.mockResolvedValue({
      state: 'not-opted-in',
      entityRef: 'component:default/orders',
      ignoredAnnotations: [],
    });
  });

  it('passes the entity ref and the caller to the service', async () => {
    const app = await appWith(AuthorizeResult.ALLOW);
    const response = await request(app).get(
      '/entities/component/default/orders/intent',
    );
    expect(response.status).toBe(200);
    expect(getIntent).toHaveBeenCalledWith({
      entityRef: { kind: 'component', namespace: 'default', name: 'orders' },
      credentials: mockCredentials.user(),
    });
  });

  it('answers 403 when backups.entity.read is denied, without reading the entity', async () => {
    const app = await appWith(AuthorizeResult.DENY);
    const response = await request(app).get(
      '/entities/component/default/orders/intent',
    );
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'backups.entity.read is not allowed on component:default/orders',
    );
    expect(getIntent).not.toHaveBeenCalled();
  });

  it('answers 401 for a request without credentials', async () => {
    const app = await appWith(AuthorizeResult.ALLOW);
    const response = await request(app)
      .get('/entities/component/default/orders/intent')
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
    expect(getIntent).not.toHaveBeenCalled();
  });
});
