/**
 * The time the simulated controllers live in. Tests advance it by hand; the
 * demo lets it run faster than real time (e.g. one simulated hour per minute).
 */
export interface Clock {
  now(): Date;
  /** Runs `callback` once the clock reaches `at`; returns a cancel function. */
  at(at: Date, callback: () => void): () => void;
}

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

export class SimulatedClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;
  private running?: NodeJS.Timeout;
  private advancing = false;

  constructor(start: Date = new Date()) {
    // Whole seconds, as Kubernetes timestamps have no fractions.
    this.current = Math.floor(start.getTime() / 1000) * 1000;
  }

  now(): Date {
    return new Date(this.current);
  }

  at(at: Date, callback: () => void): () => void {
    const timer = { id: this.nextId++, at: at.getTime(), callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter(t => t.id !== timer.id);
    };
  }

  /**
   * Moves the clock forward by `milliseconds`, firing every timer that falls
   * due in order, each with the clock set to its own time, including timers
   * that fired timers schedule within the window.
   */
  advance(milliseconds: number): void {
    if (this.advancing) {
      throw new Error('SimulatedClock.advance called from a timer callback');
    }
    this.advancing = true;
    try {
      const end = this.current + milliseconds;
      for (;;) {
        const due = this.timers
          .filter(timer => timer.at <= end)
          .sort((a, b) => a.at - b.at || a.id - b.id)[0];
        if (!due) break;
        this.timers = this.timers.filter(timer => timer.id !== due.id);
        this.current = Math.max(this.current, due.at);
        due.callback();
      }
      this.current = end;
    } finally {
      this.advancing = false;
    }
  }

  /** Lets simulated time pass `speed` times faster than real time until stopped. */
  run(speed: number, tickMilliseconds = 250): void {
    this.stop();
    this.running = setInterval(
      () => this.advance(tickMilliseconds * speed),
      tickMilliseconds,
    );
    this.running.unref();
  }

  stop(): void {
    if (this.running) {
      clearInterval(this.running);
      this.running = undefined;
    }
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}
