/**
 * A counting semaphore whose waits can be given up. `take()` returns at once with a permit
 * that is granted later; releasing a permit that was never granted just leaves the queue,
 * so a caller racing the permit against something else never leaks one.
 */
export interface Permit {
  /** Resolves when the permit is granted. */
  readonly granted: Promise<void>;
  /** Gives the permit back, or gives up waiting for it. Safe to call more than once. */
  release(): void;
}

export class Permits {
  private readonly waiting: Array<() => void> = [];
  private available: number;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`permits must be a whole number from 1 (got ${capacity})`);
    this.available = capacity;
  }

  /** Permits granted and not yet released. */
  get held(): number {
    return this.capacity - this.available;
  }

  take(): Permit {
    let state: 'waiting' | 'granted' | 'released' = 'waiting';
    let grant!: () => void;
    const granted = new Promise<void>((resolve) => {
      grant = () => {
        state = 'granted';
        resolve();
      };
    });
    if (this.available > 0) {
      this.available -= 1;
      grant();
    } else {
      this.waiting.push(grant);
    }
    return {
      granted,
      release: () => {
        if (state === 'released') return;
        if (state === 'waiting') {
          this.waiting.splice(this.waiting.indexOf(grant), 1);
        } else {
          const next = this.waiting.shift();
          if (next) next();
          else this.available += 1;
        }
        state = 'released';
      },
    };
  }
}
