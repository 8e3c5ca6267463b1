import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BackupLayer,
  ComplianceState,
  EntityStatus,
  OnDemandBackup,
  OverviewPage,
  ProtectionIntentResult,
  DrillList,
  DrillRecord,
  RestoreList,
  RestorePointList,
  RestoreRecord,
  RestoreRequest,
} from '@backups-for-backstage/plugin-backups-common';
import { BackupsApi, BackupsRequestOptions } from './BackupsApi';

/**
 * The default {@link BackupsApi}: calls the backups backend through the
 * app's discovery and fetch APIs.
 *
 * @public
 */
export class BackupsClient implements BackupsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getIntent(
    entityRef: CompoundEntityRef | string,
    options?: BackupsRequestOptions,
  ): Promise<ProtectionIntentResult> {
    return this.request<ProtectionIntentResult>(
      `${entityPath(entityRef)}/intent`,
      { signal: options?.signal },
    );
  }

  async getStatus(
    entityRef: CompoundEntityRef | string,
    options?: BackupsRequestOptions,
  ): Promise<EntityStatus> {
    return this.request<EntityStatus>(`${entityPath(entityRef)}/status`, {
      signal: options?.signal,
    });
  }

  async getRestorePoints(
    entityRef: CompoundEntityRef | string,
    options?: BackupsRequestOptions & { layer?: BackupLayer },
  ): Promise<RestorePointList> {
    return this.request<RestorePointList>(
      `${entityPath(entityRef)}/restore-points`,
      { signal: options?.signal, query: { layer: options?.layer } },
    );
  }

  async createBackup(
    entityRef: CompoundEntityRef | string,
    request: { layer: BackupLayer; cluster?: string },
    options?: BackupsRequestOptions,
  ): Promise<OnDemandBackup> {
    return this.request<OnDemandBackup>(`${entityPath(entityRef)}/backups`, {
      method: 'POST',
      body: request,
      signal: options?.signal,
    });
  }

  async createRestore(
    entityRef: CompoundEntityRef | string,
    request: RestoreRequest,
    options?: BackupsRequestOptions,
  ): Promise<{ id: string; restore: RestoreRecord }> {
    return this.request(`${entityPath(entityRef)}/restores`, {
      method: 'POST',
      body: request,
      signal: options?.signal,
    });
  }

  async getRestore(
    id: string,
    options?: BackupsRequestOptions,
  ): Promise<RestoreRecord> {
    return this.request<RestoreRecord>(`/restores/${encodeURIComponent(id)}`, {
      signal: options?.signal,
    });
  }

  async listRestores(
    entityRef: CompoundEntityRef | string,
    options?: BackupsRequestOptions,
  ): Promise<RestoreList> {
    return this.request<RestoreList>(`${entityPath(entityRef)}/restores`, {
      signal: options?.signal,
    });
  }

  async startDrill(
    entityRef: CompoundEntityRef | string,
    request: { cluster?: string; reason?: string },
    options?: BackupsRequestOptions,
  ): Promise<{ id: string; drill: DrillRecord }> {
    return this.request(`${entityPath(entityRef)}/drills`, {
      method: 'POST',
      body: request,
      signal: options?.signal,
    });
  }

  async listDrills(
    entityRef: CompoundEntityRef | string,
    options?: BackupsRequestOptions,
  ): Promise<DrillList> {
    return this.request<DrillList>(`${entityPath(entityRef)}/drills`, {
      signal: options?.signal,
    });
  }

  async getOverview(
    filters: {
      owner?: string;
      policy?: string;
      state?: ComplianceState;
      offset?: number;
      limit?: number;
    } = {},
    options?: BackupsRequestOptions,
  ): Promise<OverviewPage> {
    return this.request<OverviewPage>('/overview', {
      signal: options?.signal,
      query: {
        owner: filters.owner,
        policy: filters.policy,
        state: filters.state,
        offset: filters.offset?.toString(),
        limit: filters.limit?.toString(),
      },
    });
  }

  /**
   * Calls `path` (relative to the plugin's base URL, starting with `/`),
   * sending `body` as JSON when given, and returns the parsed JSON answer.
   * Any non-2xx answer is thrown as a `ResponseError` carrying the backend's
   * error body.
   */
  private async request<T>(
    path: string,
    init: {
      method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
      query?: Record<string, string | undefined>;
      body?: unknown;
      signal?: AbortSignal;
    } = {},
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('backups');
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined) {
        query.append(key, value);
      }
    }
    const search = query.toString();
    const url = `${baseUrl}${path}${search ? `?${search}` : ''}`;

    const response = await this.fetchApi.fetch(url, {
      method: init.method ?? 'GET',
      signal: init.signal,
      ...(init.body !== undefined && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(init.body),
      }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }
}

/**
 * `/entities/<kind>/<namespace>/<name>`, each segment URL-encoded.
 */
function entityPath(entityRef: CompoundEntityRef | string): string {
  const { kind, namespace, name } =
    typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef;
  return `/entities/${[kind, namespace, name]
    .map(segment => encodeURIComponent(segment))
    .join('/')}`;
}
