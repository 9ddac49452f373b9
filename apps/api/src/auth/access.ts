import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFound, type Principal } from '#domain';

/**
 * What a token may see, as SQL over ids, so that every list and every read applies the
 * same rule (DESIGN.md §7). Out of scope is answered exactly like absent: 404.
 *
 * - admin: everything;
 * - programme manager (programme:P): P, its cohorts, partnerships and member schools, and
 *   schools not yet in any partnership (the register they recruit from);
 * - educational lead (partnership:X): X and the schools that are or were its members;
 * - school contact (school:S): S, and the partnerships and programmes S belongs to;
 * - ambassador: none of these records.
 */
@Injectable()
export class Access {
  constructor(private readonly dataSource: DataSource) {}

  /** A subquery of school ids, using the named parameter :scopeId. */
  schoolIds(principal: Principal): string | null {
    if (principal.role === 'admin') return null;
    switch (principal.scope?.kind) {
      case 'programme':
        return `SELECT m.school_id FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id JOIN cohorts c ON c.id = p.cohort_id WHERE c.programme_id = :scopeId
                UNION SELECT s.id FROM schools s WHERE NOT EXISTS (SELECT 1 FROM partnership_members x WHERE x.school_id = s.id)`;
      case 'partnership':
        return `SELECT m.school_id FROM partnership_members m WHERE m.partnership_id = :scopeId`;
      case 'school':
        return `SELECT CAST(:scopeId AS uuid)`;
      default:
        return `SELECT NULL::uuid WHERE false`;
    }
  }

  partnershipIds(principal: Principal): string | null {
    if (principal.role === 'admin') return null;
    switch (principal.scope?.kind) {
      case 'programme':
        return `SELECT p.id FROM partnerships p JOIN cohorts c ON c.id = p.cohort_id WHERE c.programme_id = :scopeId`;
      case 'partnership':
        return `SELECT CAST(:scopeId AS uuid)`;
      case 'school':
        return `SELECT m.partnership_id FROM partnership_members m WHERE m.school_id = :scopeId`;
      default:
        return `SELECT NULL::uuid WHERE false`;
    }
  }

  programmeIds(principal: Principal): string | null {
    if (principal.role === 'admin') return null;
    switch (principal.scope?.kind) {
      case 'programme':
        return `SELECT CAST(:scopeId AS uuid)`;
      case 'partnership':
        return `SELECT c.programme_id FROM partnerships p JOIN cohorts c ON c.id = p.cohort_id WHERE p.id = :scopeId`;
      case 'school':
        return `SELECT c.programme_id FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id JOIN cohorts c ON c.id = p.cohort_id WHERE m.school_id = :scopeId`;
      default:
        return `SELECT NULL::uuid WHERE false`;
    }
  }

  params(principal: Principal): { scopeId?: string } {
    return principal.scope ? { scopeId: principal.scope.id } : {};
  }

  /** `column IN (visible ids)` for a query builder, or a condition that is always true. */
  where(column: string, subquery: string | null): string {
    return subquery === null ? 'TRUE' : `${column} IN (${subquery})`;
  }

  async canSee(principal: Principal, kind: 'school' | 'partnership' | 'programme', id: string): Promise<boolean> {
    const subquery = kind === 'school' ? this.schoolIds(principal) : kind === 'partnership' ? this.partnershipIds(principal) : this.programmeIds(principal);
    if (subquery === null) return true;
    const [sql, params] = this.dataSource.driver.escapeQueryWithParameters(`SELECT 1 WHERE CAST(:id AS uuid) IN (${subquery})`, { id, ...this.params(principal) });
    return (await this.dataSource.query(sql, params)).length > 0;
  }

  /**
   * A person at a school is seen by whoever sees the school. Someone without a school (an
   * educational lead) is seen by whoever sees a partnership they lead; one who leads none
   * yet is programme staff waiting for a partnership, seen by programme managers.
   */
  async canSeePerson(principal: Principal, person: { id: string; schoolId: string | null }): Promise<boolean> {
    if (principal.role === 'admin') return true;
    if (person.schoolId) return this.canSee(principal, 'school', person.schoolId);
    const led: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM partnerships WHERE educational_lead_id = $1`, [person.id]);
    if (led.length === 0) return principal.role === 'programme_manager';
    for (const { id } of led) if (await this.canSee(principal, 'partnership', id)) return true;
    return false;
  }

  /** Throws the same 404 an absent record gets. */
  async mustSee(principal: Principal, kind: 'school' | 'partnership' | 'programme', id: string, what: string): Promise<void> {
    if (!(await this.canSee(principal, kind, id))) throw new NotFound(what, id);
  }
}
