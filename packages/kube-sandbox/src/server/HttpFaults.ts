/** A fault the server injects into matching requests. */
export type HttpFault = { type: 'fail'; status: 500 | 503 } | { type: 'hang' };

interface Rule {
  fault: HttpFault;
  path: string | RegExp;
  method?: string;
  remaining: number;
}

/**
 * Fault injection for tests: answer 500/503 or never answer, for requests
 * whose path matches (a prefix string or a RegExp), a given number of times.
 */
export class HttpFaults {
  private rules: Rule[] = [];

  fail(options: {
    path: string | RegExp;
    status?: 500 | 503;
    method?: string;
    times?: number;
  }) {
    this.add({ type: 'fail', status: options.status ?? 500 }, options);
  }

  hang(options: { path: string | RegExp; method?: string; times?: number }) {
    this.add({ type: 'hang' }, options);
  }

  clear() {
    this.rules = [];
  }

  match(method: string, path: string): HttpFault | undefined {
    const rule = this.rules.find(
      candidate =>
        (!candidate.method || candidate.method === method) &&
        (typeof candidate.path === 'string'
          ? path.startsWith(candidate.path)
          : candidate.path.test(path)),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) {
      this.rules = this.rules.filter(candidate => candidate !== rule);
    }
    return rule.fault;
  }

  private add(
    fault: HttpFault,
    options: { path: string | RegExp; method?: string; times?: number },
  ) {
    this.rules.push({
      fault,
      path: options.path,
      method: options.method,
      remaining: options.times ?? Infinity,
    });
  }
}
