import { Worker } from 'node:worker_threads';
import {
  LoadRequest,
  LoadResponse,
  SandboxRequest,
  SandboxResponse,
} from './protocol';

/**
 * A worker thread running a TypeScript module (the worker inherits the
 * `--require` of Backstage's node transform), answering one message at a time.
 */
class TypeScriptWorker<Request, Response> {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(response: Response): void; reject(error: Error): void }
  >();

  constructor(file: string) {
    this.worker = new Worker(`require(${JSON.stringify(file)})`, {
      eval: true,
    });
    this.worker.on('message', ({ id, response, error }) => {
      const waiting = this.pending.get(id)!;
      this.pending.delete(id);
      if (error) waiting.reject(new Error(error));
      else waiting.resolve(response);
    });
    this.worker.on('error', (error: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    });
  }

  call(request: Request): Promise<Response> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, request });
    });
  }

  async terminate() {
    await this.worker.terminate();
  }
}

export class SandboxWorker extends TypeScriptWorker<
  SandboxRequest,
  SandboxResponse
> {
  constructor() {
    super(require.resolve('./sandboxWorker'));
  }

  async countRequests(): Promise<number> {
    const response = await this.call({ type: 'countRequests' });
    return response.type === 'count' ? response.count : NaN;
  }
}

export class LoadWorker extends TypeScriptWorker<LoadRequest, LoadResponse> {
  constructor() {
    super(require.resolve('./loadWorker'));
  }
}
