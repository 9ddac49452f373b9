/**
 * Groups the calls made while a round trip is in flight into the next one, one round trip
 * at a time. Under load the batches grow by themselves (twenty sends arriving together
 * claim their rows in one statement); with one caller there is no waiting, the call goes at once. `roundTrip`
 * answers each key at its position; a failed round trip fails every call in it.
 */
export class RoundTripBatcher<K, R> {
  private readonly pending: Array<{ key: K; resolve: (result: R) => void; reject: (error: unknown) => void }> = [];
  private inFlight = false;
  private flushQueued = false;

  constructor(
    private readonly roundTrip: (keys: K[]) => Promise<R[]>,
    private readonly maxBatch = 100,
  ) {}

  run(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      // Calls made in the same turn of the event loop share a round trip even when none is in flight.
      if (!this.flushQueued) {
        this.flushQueued = true;
        queueMicrotask(() => {
          this.flushQueued = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    if (this.inFlight || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxBatch);
    this.inFlight = true;
    void (async () => {
      try {
        const results = await this.roundTrip(batch.map((call) => call.key));
        batch.forEach((call, i) => call.resolve(results[i]));
      } catch (error) {
        for (const call of batch) call.reject(error);
      } finally {
        this.inFlight = false;
        this.flush();
      }
    })();
  }
}
