import type { DataSource } from 'typeorm';

/**
 * The only source of "now" for domain code. Async because the virtual
 * clock is one stored value shared by every process, so that the API and the worker
 * agree on the date while a test or the simulator moves a school term in seconds.
 */
export abstract class Clock {
  abstract now(): Promise<Date>;
}

/**
 * The production implementation of the injected clock: the one place stemflow reads the
 * wall clock, chosen at boot by CLOCK=system (the default); everything else asks `Clock`.
 */
export class SystemClock extends Clock {
  async now(): Promise<Date> {
    return new Date();
  }
}

/** Reads the shared instant from `virtual_clock`; an admin moves it with POST /api/v1/admin/clock. */
export class VirtualClock extends Clock {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async now(): Promise<Date> {
    const rows: Array<{ now: Date }> = await this.dataSource.query('SELECT now FROM virtual_clock WHERE id = 1');
    if (rows.length === 0) throw new Error('virtual clock is not set: run the migrations');
    return new Date(rows[0].now);
  }

  /** Through `runner` (a transaction's manager), the move commits with what else that transaction writes. */
  async set(instant: Date, runner: Pick<DataSource, 'query'> = this.dataSource): Promise<Date> {
    const rows: Array<{ now: Date }> = await runner.query(
      `INSERT INTO virtual_clock (id, now) VALUES (1, $1)
       ON CONFLICT (id) DO UPDATE SET now = EXCLUDED.now RETURNING now`,
      [instant.toISOString()],
    );
    return new Date(rows[0].now);
  }
}

/** A clock that stands where a unit test puts it. */
export class FixedClock extends Clock {
  constructor(private instant: Date) {
    super();
  }
  async now(): Promise<Date> {
    return new Date(this.instant.getTime());
  }
  set(instant: Date): void {
    this.instant = instant;
  }
}
