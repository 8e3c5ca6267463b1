import http from 'node:http';
import { AddressInfo } from 'node:net';
import YAML from 'yaml';
import { ApiError, errors } from '../errors';
import { apiVersionOf, KubeObject, ResourceType } from '../resources/types';
import { ObjectStore } from '../store/ObjectStore';
import { applyPatchOfType, patchTypeOf } from '../store/patch';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors';
import {
  apiGroup,
  groupList,
  legacyVersions,
  resourceList,
  SERVER_VERSION,
} from './discovery';
import { HttpFaults } from './HttpFaults';
import { parseRequestPath } from './requestPath';

/** Who a bearer token stands for. */
export interface TokenIdentity {
  user: string;
  /** `read-only` may get, list and watch; `admin` may do everything. */
  role: 'admin' | 'read-only';
}

/** One request the server answered, for tests that count calls. */
export interface RequestRecord {
  method: string;
  path: string;
  verb: string;
  status: number;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

function verbOf(
  method: string,
  name: string | undefined,
  watch: boolean,
): string {
  switch (method) {
    case 'GET':
      if (watch) return 'watch';
      return name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function isTrue(value: string | null) {
  return value === 'true' || value === '1';
}

/**
 * The HTTP face of the sandbox: kube-apiserver's paths, verbs, discovery,
 * bearer-token authentication, watch streams and Status errors, on loopback.
 */
export class KubeApiServer {
  readonly faults = new HttpFaults();
  readonly requests: RequestRecord[] = [];
  private readonly server: http.Server;
  private readonly openStreams = new Set<http.ServerResponse>();
  private watchDelayMs = 0;
  private watchEventsToDrop = 0;
  private latencyMs: number;

  constructor(
    private readonly options: {
      store: ObjectStore;
      tokens: Record<string, TokenIdentity>;
      bookmarkIntervalMs?: number;
      latencyMs?: number;
    },
  ) {
    this.latencyMs = options.latencyMs ?? 0;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(error => this.fail(res, error));
    });
    this.server.keepAliveTimeout = 5000;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    return `http://${host}:${address.port}`;
  }

  async close(): Promise<void> {
    this.openStreams.forEach(res => res.end());
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /**
   * Drops every open connection (watches included), as a network partition
   * or an API server restart would; clients reconnect on their own. With a
   * fault on every path (`faults.fail({ path: '/' })`) the cluster is down.
   */
  dropConnections() {
    this.openStreams.forEach(res => res.destroy());
    this.server.closeAllConnections();
  }

  /**
   * Delays the answer to every request by `ms` (a watch's first byte
   * included, not its later events), like a cluster across a network.
   */
  setLatency(ms: number) {
    this.latencyMs = ms;
  }

  /** Delays every watch event by `ms`. */
  delayWatchEvents(ms: number) {
    this.watchDelayMs = ms;
  }

  /** Silently drops the next `count` watch events. */
  dropWatchEvents(count: number) {
    this.watchEventsToDrop = count;
  }

  /** Counts requests since the last reset, e.g. writes: `['create','update','patch','delete']`. */
  countRequests(verbs: string[]): number {
    return this.requests.filter(request => verbs.includes(request.verb)).length;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const target = parseRequestPath(url.pathname, this.options.store.registry);
    if (target.type === 'health') {
      this.send(res, 200, 'ok', 'text/plain');
      return;
    }
    const identity = this.authenticate(req);
    const watch = isTrue(url.searchParams.get('watch'));
    const record: RequestRecord = {
      method,
      path: url.pathname + url.search,
      verb:
        target.type === 'resource' ? verbOf(method, target.name, watch) : 'get',
      status: 0,
    };
    this.requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    if (this.latencyMs > 0) {
      await new Promise(resolve => setTimeout(resolve, this.latencyMs));
    }

    const fault = this.faults.match(method, url.pathname);
    if (fault?.type === 'hang') {
      this.openStreams.add(res);
      return;
    }
    if (fault?.type === 'fail') {
      throw fault.status === 503
        ? errors.unavailable(
            'the server is currently unable to handle the request',
          )
        : errors.internal('injected fault');
    }

    switch (target.type) {
      case 'version':
        this.json(res, 200, SERVER_VERSION);
        return;
      case 'legacyVersions':
        this.json(res, 200, legacyVersions());
        return;
      case 'groupList':
        this.json(res, 200, groupList(this.options.store.registry));
        return;
      case 'group':
        this.json(
          res,
          200,
          apiGroup(this.options.store.registry, target.group),
        );
        return;
      case 'resourceList':
        this.json(
          res,
          200,
          resourceList(
            this.options.store.registry,
            target.group,
            target.version,
          ),
        );
        return;
      default:
    }

    const { resource, namespace, name, subresource } = target;
    if (!READ_VERBS.has(record.verb) && identity.role !== 'admin') {
      throw errors.forbidden(identity.user, record.verb, resource, namespace);
    }
    const store = this.options.store;
    const params = url.searchParams;
    switch (record.verb) {
      case 'get':
        this.json(res, 200, store.getOrThrow(resource, namespace, name!));
        return;
      case 'list': {
        const page = store.list(resource, {
          namespace,
          labels: parseLabelSelector(params.get('labelSelector') ?? undefined),
          fields: parseFieldSelector(params.get('fieldSelector') ?? undefined),
          limit: params.has('limit') ? Number(params.get('limit')) : undefined,
          continueToken: params.get('continue') ?? undefined,
        });
        const metadata = JSON.stringify({
          resourceVersion: page.resourceVersion,
          ...(page.continueToken
            ? {
                continue: page.continueToken,
                remainingItemCount: page.remainingItemCount,
              }
            : {}),
        });
        this.send(
          res,
          200,
          `{"apiVersion":${JSON.stringify(
            apiVersionOf(resource),
          )},"kind":${JSON.stringify(
            resource.listKind,
          )},"metadata":${metadata},"items":[${page.items.join(',')}]}`,
        );
        return;
      }
      case 'watch':
        this.watch(req, res, resource, namespace, params);
        return;
      case 'create': {
        if (name) throw errors.methodNotAllowed();
        const body = (await this.readBody(req)) as KubeObject;
        this.json(res, 201, store.create(resource, namespace, body));
        return;
      }
      case 'update': {
        const body = (await this.readBody(req)) as KubeObject;
        this.json(
          res,
          200,
          store.update(resource, namespace, name!, body, {
            subresource: subresource as 'status' | undefined,
          }),
        );
        return;
      }
      case 'patch': {
        const type = patchTypeOf(req.headers['content-type']);
        const patch = await this.readBody(req, type === 'apply');
        const existing = store.get(resource, namespace, name!);
        if (!existing && type === 'apply') {
          this.json(
            res,
            201,
            store.create(resource, namespace, patch as KubeObject),
          );
          return;
        }
        const current =
          existing ?? store.getOrThrow(resource, namespace, name!);
        const patched = applyPatchOfType(current, type, patch) as KubeObject;
        if (
          type !== 'json' &&
          !(patch as KubeObject).metadata?.resourceVersion
        ) {
          delete patched.metadata?.resourceVersion;
        }
        this.json(
          res,
          200,
          store.update(resource, namespace, name!, patched, {
            subresource: subresource as 'status' | undefined,
          }),
        );
        return;
      }
      case 'delete': {
        const body = ((await this.readBody(req, false, true)) ?? {}) as {
          propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
          preconditions?: { resourceVersion?: string; uid?: string };
        };
        const propagationPolicy =
          (params.get('propagationPolicy') as typeof body.propagationPolicy) ??
          body.propagationPolicy;
        this.json(
          res,
          200,
          store.delete(resource, namespace, name!, {
            propagationPolicy,
            preconditions: body.preconditions,
          }),
        );
        return;
      }
      case 'deletecollection': {
        const deleted = store.deleteCollection(resource, {
          namespace,
          labels: parseLabelSelector(params.get('labelSelector') ?? undefined),
          fields: parseFieldSelector(params.get('fieldSelector') ?? undefined),
        });
        this.json(res, 200, {
          apiVersion: apiVersionOf(resource),
          kind: resource.listKind,
          metadata: { resourceVersion: store.resourceVersion },
          items: deleted,
        });
        return;
      }
      default:
        throw errors.methodNotAllowed();
    }
  }

  private watch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    resource: ResourceType,
    namespace: string | undefined,
    params: URLSearchParams,
  ) {
    const labels = parseLabelSelector(params.get('labelSelector') ?? undefined);
    const fields = parseFieldSelector(params.get('fieldSelector') ?? undefined);
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache',
    });
    res.flushHeaders();
    this.openStreams.add(res);
    const write = (line: string) => {
      if (this.watchEventsToDrop > 0) {
        this.watchEventsToDrop -= 1;
        return;
      }
      if (this.watchDelayMs > 0) {
        setTimeout(
          () => res.writableEnded || res.write(line),
          this.watchDelayMs,
        );
      } else if (!res.writableEnded) {
        res.write(line);
      }
    };
    let stop = () => {};
    const timers: NodeJS.Timeout[] = [];
    const end = () => {
      stop();
      timers.forEach(timer => clearTimeout(timer));
      this.openStreams.delete(res);
      if (!res.writableEnded) res.end();
    };
    try {
      stop = this.options.store.watch(
        resource,
        {
          namespace,
          labels,
          fields,
          resourceVersion: params.get('resourceVersion') ?? undefined,
        },
        (type, json) => write(`{"type":"${type}","object":${json}}\n`),
      );
    } catch (error) {
      // kube-apiserver answers a watch from a compacted version with 200 and an ERROR event.
      const status =
        error instanceof ApiError ? error : errors.internal(String(error));
      res.write(
        `${JSON.stringify({ type: 'ERROR', object: status.toStatus() })}\n`,
      );
      end();
      return;
    }
    if (isTrue(params.get('allowWatchBookmarks'))) {
      const bookmark = setInterval(() => {
        write(
          `${JSON.stringify({
            type: 'BOOKMARK',
            object: {
              apiVersion: apiVersionOf(resource),
              kind: resource.kind,
              metadata: {
                resourceVersion: this.options.store.resourceVersion,
                annotations: { 'k8s.io/initial-events-end': 'true' },
              },
            },
          })}\n`,
        );
      }, this.options.bookmarkIntervalMs ?? 1000);
      timers.push(bookmark);
    }
    const timeoutSeconds = Number(params.get('timeoutSeconds'));
    if (timeoutSeconds > 0) {
      timers.push(setTimeout(end, timeoutSeconds * 1000));
    }
    req.on('close', end);
  }

  private authenticate(req: http.IncomingMessage): TokenIdentity {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const identity = match ? this.options.tokens[match[1].trim()] : undefined;
    if (!identity) {
      throw errors.unauthorized();
    }
    return identity;
  }

  private async readBody(
    req: http.IncomingMessage,
    allowYaml = false,
    optional = false,
  ): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') {
      if (optional) return undefined;
      throw errors.badRequest('the request body is empty');
    }
    try {
      return allowYaml ? YAML.parse(text) : JSON.parse(text);
    } catch (error) {
      throw errors.badRequest(
        `the request body is not valid JSON: ${(error as Error).message}`,
      );
    }
  }

  private json(res: http.ServerResponse, status: number, body: unknown) {
    this.send(res, status, JSON.stringify(body));
  }

  private send(
    res: http.ServerResponse,
    status: number,
    body: string,
    type = 'application/json',
  ) {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  private fail(res: http.ServerResponse, error: unknown) {
    const apiError =
      error instanceof ApiError
        ? error
        : errors.internal((error as Error)?.message ?? String(error));
    if (res.headersSent) {
      res.end();
      return;
    }
    this.json(res, apiError.code, apiError.toStatus());
  }
}
