import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Conflict } from '../errors.js';
import type { BudgetEntryKind } from '../cpd/cpd.entities.js';

/**
 * A partnership's budget, spent on CPD only (003_def1d3e673f8defb.txt: £25,000 each).
 * The position is computed from the ledger every time; nothing stores a balance.
 */
export interface BudgetPosition {
  allocatedPence: number;
  overridesPence: number;
  /** Commitments not yet released or turned into spend. */
  committedPence: number;
  spentPence: number;
  availablePence: number;
}

export class BudgetExhausted extends Conflict {
  constructor(neededPence: number, availablePence: number) {
    super(`The partnership's budget has ${formatPounds(availablePence)} left, not the ${formatPounds(neededPence)} this place costs; a programme manager can record an override with a reason`);
  }
}

export function formatPounds(pence: number): string {
  return `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function budgetPosition(allocatedPence: number, sums: Partial<Record<BudgetEntryKind, number>>): BudgetPosition {
  const overridesPence = sums.override ?? 0;
  const committedPence = (sums.commitment ?? 0) + (sums.release ?? 0);
  const spentPence = sums.spend ?? 0;
  return { allocatedPence, overridesPence, committedPence, spentPence, availablePence: allocatedPence + overridesPence - committedPence - spentPence };
}

/** Reads the position; with `lock`, holds the partnership row so no concurrent commitment can slip past. */
export async function readBudget(manager: EntityManager, partnershipId: string, lock = false): Promise<BudgetPosition> {
  const [partnership]: Array<{ budget_pence: string }> = await manager.query(`SELECT budget_pence FROM partnerships WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [partnershipId]);
  const rows: Array<{ kind: BudgetEntryKind; total: string }> = await manager.query(`SELECT kind, sum(amount_pence) AS total FROM budget_entries WHERE partnership_id = $1 GROUP BY kind`, [
    partnershipId,
  ]);
  return budgetPosition(Number(partnership?.budget_pence ?? 0), Object.fromEntries(rows.map((r) => [r.kind, Number(r.total)])));
}

export interface BudgetLine {
  partnershipId: string;
  kind: BudgetEntryKind;
  amountPence: number;
  bookingId?: string | null;
  schoolId?: string | null;
  channel?: string | null;
  reason?: string | null;
}

export async function recordBudgetLine(manager: EntityManager, line: BudgetLine, now: Date): Promise<void> {
  await manager.query(
    `INSERT INTO budget_entries (id, partnership_id, kind, amount_pence, booking_id, school_id, channel, reason, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [randomUUID(), line.partnershipId, line.kind, line.amountPence, line.bookingId ?? null, line.schoolId ?? null, line.channel ?? null, line.reason ?? null, now],
  );
}

/** Commits the cost of a place, or refuses when the balance would go below zero. Locks the partnership row. */
export async function commitBudget(manager: EntityManager, line: Omit<BudgetLine, 'kind'>, now: Date): Promise<void> {
  if (line.amountPence === 0) return;
  const position = await readBudget(manager, line.partnershipId, true);
  if (position.availablePence < line.amountPence) throw new BudgetExhausted(line.amountPence, position.availablePence);
  await recordBudgetLine(manager, { ...line, kind: 'commitment' }, now);
}
