import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Forbidden, NotFound, type Principal, type ScopeKind } from '#domain';

/** A kind of record whose owner decides who may read and change it (docs/ownership.md). */
export type OwnedKind = 'school' | 'partnership' | 'programme' | 'booking';

/** What an SQL rule answers with: a subquery of ids, or null for "every id" (an admin). */
type Ids = string | null;

const NOTHING = `SELECT NULL::uuid WHERE false`;

/** The one scope kind each role's tokens work in; a token whose scope does not fit sees nothing. */
const SCOPE_OF_ROLE: Record<Exclude<Principal['role'], 'admin'>, ScopeKind> = {
  programme_manager: 'programme',
  educational_lead: 'partnership',
  school_contact: 'school',
  ambassador: 'ambassador',
};

// Ownership follows CURRENT membership: a school that has left every partnership of a
// programme is no longer that programme's, and one in no partnership at all is on the shared
// national register.
const CURRENT_SCHOOLS_OF_PROGRAMME = `SELECT m.school_id FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id JOIN cohorts c ON c.id = p.cohort_id
  WHERE c.programme_id = :scopeId AND m.left_at IS NULL`;
const CURRENT_SCHOOLS_OF_PARTNERSHIP = `SELECT m.school_id FROM partnership_members m WHERE m.partnership_id = :scopeId AND m.left_at IS NULL`;
const REGISTER_SCHOOLS = `SELECT s.id FROM schools s WHERE NOT EXISTS (SELECT 1 FROM partnership_members x WHERE x.school_id = s.id AND x.left_at IS NULL)`;
const PARTNERSHIPS_OF_PROGRAMME = `SELECT p.id FROM partnerships p JOIN cohorts c ON c.id = p.cohort_id WHERE c.programme_id = :scopeId`;
const SESSIONS_OF_PROGRAMME = `SELECT s.id FROM cpd_sessions s JOIN cpd_courses c ON c.id = s.course_id WHERE c.programme_id = :scopeId`;

/**
 * Who may read and who may change each record, as SQL over ids, so that every read, write
 * and list applies the same rule. The model is written out in docs/ownership.md; in short:
 *
 * - admin: everything;
 * - programme manager (programme:P): reads P, its cohorts, partnerships, the schools now in
 *   them, and the register (schools in no partnership); changes P's records and the schools
 *   now in P's partnerships, never a register school's record;
 * - educational lead (partnership:X): reads and changes X and the schools now in X; reads
 *   X's programme and its courses and sessions;
 * - school contact (school:S): S, and the partnerships and programmes S is now in;
 * - ambassador: their own profile only;
 * - a token whose role and scope do not fit together (a lead scoped to a school): nothing.
 *
 * Out of scope is answered exactly like absent (404); a record the caller may read but not
 * change answers 403 to a change.
 */
@Injectable()
export class Access {
  constructor(private readonly dataSource: DataSource) {}

  /** The scope kind the principal works in, 'admin', or null when role and scope do not fit. */
  scopeKind(principal: Principal): ScopeKind | 'admin' | null {
    if (principal.role === 'admin') return 'admin';
    const wanted = SCOPE_OF_ROLE[principal.role];
    return wanted && principal.scope?.kind === wanted ? wanted : null;
  }

  /** Schools the principal may read: a subquery using the named parameter :scopeId. */
  schoolIds(principal: Principal): Ids {
    switch (this.scopeKind(principal)) {
      case 'admin':
        return null;
      case 'programme':
        return `${CURRENT_SCHOOLS_OF_PROGRAMME} UNION ${REGISTER_SCHOOLS}`;
      case 'partnership':
        return CURRENT_SCHOOLS_OF_PARTNERSHIP;
      case 'school':
        return `SELECT CAST(:scopeId AS uuid)`;
      default:
        return NOTHING;
    }
  }

  /** Schools whose programme-owned fields, contacts, history and people the principal may change. */
  schoolIdsToChange(principal: Principal): Ids {
    switch (this.scopeKind(principal)) {
      case 'admin':
        return null;
      case 'programme':
        return CURRENT_SCHOOLS_OF_PROGRAMME;
      case 'partnership':
        return CURRENT_SCHOOLS_OF_PARTNERSHIP;
      case 'school':
        return `SELECT CAST(:scopeId AS uuid)`;
      default:
        return NOTHING;
    }
  }

  partnershipIds(principal: Principal): Ids {
    switch (this.scopeKind(principal)) {
      case 'admin':
        return null;
      case 'programme':
        return PARTNERSHIPS_OF_PROGRAMME;
      case 'partnership':
        return `SELECT CAST(:scopeId AS uuid)`;
      case 'school':
        return `SELECT m.partnership_id FROM partnership_members m WHERE m.school_id = :scopeId AND m.left_at IS NULL`;
      default:
        return NOTHING;
    }
  }

  partnershipIdsToChange(principal: Principal): Ids {
    switch (this.scopeKind(principal)) {
      case 'admin':
        return null;
      case 'programme':
        return PARTNERSHIPS_OF_PROGRAMME;
      case 'partnership':
        return `SELECT CAST(:scopeId AS uuid)`;
      default:
        return NOTHING;
    }
  }

  programmeIds(principal: Principal): Ids {
    switch (this.scopeKind(principal)) {
      case 'admin':
        return null;
      case 'programme':
        return `SELECT CAST(:scopeId AS uuid)`;
      case 'partnership':
        return `SELECT c.programme_id FROM partnerships p JOIN cohorts c ON c.id = p.cohort_id WHERE p.id = :scopeId`;
      case 'school':
        return `SELECT c.programme_id FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id JOIN cohorts c ON c.id = p.cohort_id
                 WHERE m.school_id = :scopeId AND m.left_at IS NULL`;
      default:
        return NOTHING;
    }
  }

  /** A programme's own records (cohorts, courses, sessions, partnerships' creation) are changed by its managers. */
  programmeIdsToChange(principal: Principal): Ids {
    switch (this.scopeKind(principal)) {
      case 'admin':
        return null;
      case 'programme':
        return `SELECT CAST(:scopeId AS uuid)`;
      default:
        return NOTHING;
    }
  }

  /**
   * CPD bookings: the school's current owners see and act on them, and a programme keeps its
   * own sessions' bookings (its history), whichever programme the school has moved to since.
   * A lead sees the places their partnership's budget pays for and their schools' places.
   */
  bookingIds(principal: Principal): Ids {
    switch (this.scopeKind(principal)) {
      case 'admin':
        return null;
      case 'programme':
        return `SELECT b.id FROM cpd_bookings b WHERE b.school_id IN (${CURRENT_SCHOOLS_OF_PROGRAMME}) OR b.session_id IN (${SESSIONS_OF_PROGRAMME})`;
      case 'partnership':
        return `SELECT b.id FROM cpd_bookings b WHERE b.partnership_id = :scopeId OR b.school_id IN (${CURRENT_SCHOOLS_OF_PARTNERSHIP})`;
      case 'school':
        return `SELECT b.id FROM cpd_bookings b WHERE b.school_id = :scopeId`;
      default:
        return NOTHING;
    }
  }

  /**
   * A cohort's scheduled actions a principal may see, as a condition on `scheduled_actions a`:
   * everything for the cohort's programme managers; for a lead, only what concerns their
   * partnership and its current schools (with their recipients); for anyone else, nothing.
   */
  scheduleCondition(principal: Principal): string {
    switch (this.scopeKind(principal)) {
      case 'admin':
        return 'TRUE';
      case 'programme':
        return `a.cohort_id IN (SELECT id FROM cohorts WHERE programme_id = :scopeId)`;
      case 'partnership': {
        const schools = CURRENT_SCHOOLS_OF_PARTNERSHIP;
        return `(
          (a.subject_type = 'partnership' AND a.subject_id = :scopeId)
          OR (a.subject_type = 'school' AND a.subject_id IN (${schools}))
          OR (a.subject_type = 'membership' AND a.subject_id IN (SELECT id FROM partnership_members WHERE partnership_id = :scopeId AND school_id IN (${schools})))
          OR (a.subject_type = 'booking' AND a.subject_id IN (${this.bookingIds(principal)}))
          OR (a.subject_type = 'self_evaluation' AND a.subject_id IN (SELECT id FROM self_evaluations WHERE school_id IN (${schools})))
          OR (a.subject_type = 'survey_invitation' AND a.subject_id IN (SELECT i.id FROM survey_invitations i JOIN people pe ON pe.id = i.person_id WHERE pe.school_id IN (${schools})))
          OR (a.subject_type = 'ambassador_request' AND a.subject_id IN (SELECT id FROM ambassador_requests WHERE school_id IN (${schools})))
          OR (a.subject_type = 'ambassador_offer' AND a.subject_id IN (SELECT o.id FROM ambassador_offers o JOIN ambassador_requests r ON r.id = o.request_id WHERE r.school_id IN (${schools}))))`;
      }
      default:
        return 'FALSE';
    }
  }

  /** The platform's own records (the audit log, the retention runs) are read by admins alone. */
  mustReadPlatformRecords(principal: Principal): void {
    if (this.scopeKind(principal) !== 'admin') throw new Forbidden('The audit log and the retention runs are read by admins.');
  }

  /**
   * The email ledger's rows a principal may see, as a condition on `notifications n`: a
   * programme's managers see the emails sent for their programme and those about the
   * schools now in it (their history included, as with the school's other records); a lead
   * those about their partnership and its current schools. Mail about no programme (a
   * sign-in link, an ambassador's check renewal) is the admins' alone.
   */
  notificationCondition(principal: Principal): string {
    switch (this.scopeKind(principal)) {
      case 'admin':
        return 'TRUE';
      case 'programme':
        return `(n.programme_id = :scopeId OR n.school_id IN (${CURRENT_SCHOOLS_OF_PROGRAMME}))`;
      case 'partnership':
        return `(n.partnership_id = :scopeId OR n.school_id IN (${CURRENT_SCHOOLS_OF_PARTNERSHIP}))`;
      default:
        return 'FALSE';
    }
  }

  /**
   * What a report's figures are held to: everything for an admin, the manager's programme,
   * the lead's partnership. Any other token (a role and scope that do not fit, a kind no rule
   * knows) sees no figures at all, never every programme's.
   */
  reportScope(principal: Principal): { programmeId?: string; partnershipId?: string } {
    switch (this.scopeKind(principal)) {
      case 'admin':
        return {};
      case 'programme':
        return { programmeId: principal.scope!.id };
      case 'partnership':
        return { partnershipId: principal.scope!.id };
      default:
        throw new Forbidden('This token sees no report figures: figures are for admins, programme managers (scoped to a programme) and educational leads (scoped to a partnership).');
    }
  }

  params(principal: Principal): { scopeId?: string } {
    return principal.scope ? { scopeId: principal.scope.id } : {};
  }

  /** `column IN (visible ids)` for a query builder, or a condition that is always true. */
  where(column: string, subquery: Ids): string {
    return subquery === null ? 'TRUE' : `${column} IN (${subquery})`;
  }

  /** May the principal read this record? */
  canSee(principal: Principal, kind: OwnedKind, id: string, manager?: EntityManager): Promise<boolean> {
    return this.holds(principal, this.readable(principal, kind), id, manager);
  }

  /** May the principal change this record? */
  canChange(principal: Principal, kind: OwnedKind, id: string, manager?: EntityManager): Promise<boolean> {
    return this.holds(principal, this.changeable(principal, kind), id, manager);
  }

  /** Throws the same 404 an absent record gets. */
  async mustSee(principal: Principal, kind: OwnedKind, id: string, what: string): Promise<void> {
    if (!(await this.canSee(principal, kind, id))) throw new NotFound(what, id);
  }

  /** A change: 404 for what the principal cannot read, 403 for what they read but do not own. */
  async mustChange(principal: Principal, kind: OwnedKind, id: string, what: string, manager?: EntityManager): Promise<void> {
    if (await this.canChange(principal, kind, id, manager)) return;
    if (!(await this.canSee(principal, kind, id, manager))) throw new NotFound(what, id);
    throw new Forbidden(FORBIDDEN_CHANGE[kind]);
  }

  /**
   * A person at a school is read by whoever reads the school. Staff without a school (an
   * educational lead) are read by whoever reads a partnership they lead, and by the managers
   * of the programme that recorded them.
   */
  async canSeePerson(principal: Principal, person: { id: string; schoolId: string | null; programmeId?: string | null }): Promise<boolean> {
    const kind = this.scopeKind(principal);
    if (kind === 'admin') return true;
    if (kind === null || kind === 'ambassador') return false;
    if (person.schoolId) return this.canSee(principal, 'school', person.schoolId);
    if (kind === 'programme' && person.programmeId === principal.scope!.id) return true;
    return this.exists(principal, `EXISTS (SELECT 1 FROM partnerships p WHERE p.educational_lead_id = :personId AND p.id IN (${this.partnershipIds(principal)}))`, { personId: person.id });
  }

  /**
   * A person at a school is changed (and erased) by whoever may change the school. Staff
   * without a school are changed by the managers of their programme, and only when every
   * partnership they lead is that programme's: one programme never changes or erases
   * another's lead.
   */
  async canChangePerson(principal: Principal, person: { id: string; schoolId: string | null; programmeId?: string | null }): Promise<boolean> {
    const kind = this.scopeKind(principal);
    if (kind === 'admin') return true;
    if (person.schoolId) return this.canChange(principal, 'school', person.schoolId);
    if (kind !== 'programme') return false;
    const [row]: Array<{ mine: number; others: number }> = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE c.programme_id = $2)::int AS mine, count(*) FILTER (WHERE c.programme_id IS DISTINCT FROM $2)::int AS others
         FROM partnerships p LEFT JOIN cohorts c ON c.id = p.cohort_id WHERE p.educational_lead_id = $1`,
      [person.id, principal.scope!.id],
    );
    return row.others === 0 && (row.mine > 0 || person.programmeId === principal.scope!.id);
  }

  /** A person's change: 404 when they cannot be read, 403 when read but not theirs to change. */
  async mustChangePerson(principal: Principal, person: { id: string; schoolId: string | null; programmeId?: string | null }): Promise<void> {
    if (await this.canChangePerson(principal, person)) return;
    if (!(await this.canSeePerson(principal, person))) throw new NotFound('Person', person.id);
    throw new Forbidden(
      person.schoolId
        ? FORBIDDEN_CHANGE.school
        : "This person is another programme's staff (or leads a partnership of another programme): only that programme's managers or an admin may change or erase them.",
    );
  }

  /**
   * STEM Ambassadors are a shared pool: programme managers read every profile and keep the
   * pool's working fields (availability, checks, status) up to date; the ambassador's identity
   * (name, email) and their erasure are theirs and the platform admin's alone.
   */
  ambassadorChange(principal: Principal, ambassadorId: string, fields: string[], what: 'change' | 'erase'): void {
    const kind = this.scopeKind(principal);
    if (kind === 'admin') return;
    const self = kind === 'ambassador' && principal.scope!.id === ambassadorId;
    if (!self && kind !== 'programme') throw new NotFound('Ambassador', ambassadorId);
    if (what === 'erase') {
      if (!self) throw new Forbidden("Only the ambassador themself or a platform admin may erase an ambassador: the pool's records are shared by every programme.");
      return;
    }
    const refused = self ? fields.filter((f) => !AMBASSADOR_OWN_FIELDS.has(f)) : fields.filter((f) => AMBASSADOR_IDENTITY_FIELDS.has(f));
    if (refused.length > 0) {
      throw new Forbidden(
        self
          ? `An ambassador changes their own name, contact and availability details; ${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} kept by the programmes' staff.`
          : `An ambassador's ${refused.join(' and ')} ${refused.length === 1 ? 'is' : 'are'} theirs: only the ambassador or a platform admin may change ${refused.length === 1 ? 'it' : 'them'}.`,
        refused.map((field) => ({ field, message: 'may not be changed by this token' })),
      );
    }
  }

  /**
   * The token scopes (as stored: `kind:uuid`) the principal may make, list and revoke tokens
   * for: an admin every one; a programme manager their programme, its partnerships and the
   * schools now in them (a school that has left is no longer theirs to hand tokens for).
   */
  tokenScopesToManage(principal: Principal): Ids {
    switch (this.scopeKind(principal)) {
      case 'admin':
        return null;
      case 'programme':
        return `SELECT 'programme:' || CAST(:scopeId AS uuid)::text
                UNION ALL SELECT 'partnership:' || x.id::text FROM (${PARTNERSHIPS_OF_PROGRAMME}) x
                UNION ALL SELECT 'school:' || y.school_id::text FROM (${CURRENT_SCHOOLS_OF_PROGRAMME}) y`;
      default:
        return `SELECT NULL::text WHERE false`;
    }
  }

  /** Whether the principal may make, see or revoke a token of this scope. */
  mayManageTokenScope(principal: Principal, scope: string, manager?: EntityManager): Promise<boolean> {
    const scopes = this.tokenScopesToManage(principal);
    return scopes === null ? Promise.resolve(true) : this.exists(principal, `:scope IN (${scopes})`, { scope }, manager);
  }

  private readable(principal: Principal, kind: OwnedKind): Ids {
    if (kind === 'school') return this.schoolIds(principal);
    if (kind === 'partnership') return this.partnershipIds(principal);
    if (kind === 'booking') return this.bookingIds(principal);
    return this.programmeIds(principal);
  }

  private changeable(principal: Principal, kind: OwnedKind): Ids {
    if (kind === 'school') return this.schoolIdsToChange(principal);
    if (kind === 'partnership') return this.partnershipIdsToChange(principal);
    if (kind === 'booking') return this.bookingIds(principal);
    return this.programmeIdsToChange(principal);
  }

  /** Whether `id` is among `subquery`'s ids. */
  private async holds(principal: Principal, subquery: Ids, id: string, manager?: EntityManager): Promise<boolean> {
    if (subquery === null) return true;
    return this.exists(principal, `CAST(:id AS uuid) IN (${subquery})`, { id }, manager);
  }

  private async exists(principal: Principal, condition: string, params: Record<string, unknown>, manager?: EntityManager): Promise<boolean> {
    const [sql, values] = this.dataSource.driver.escapeQueryWithParameters(`SELECT 1 WHERE ${condition}`, { ...params, ...this.params(principal) });
    return ((await (manager ?? this.dataSource.manager).query(sql, values)) as unknown[]).length > 0;
  }
}

const FORBIDDEN_CHANGE: Record<OwnedKind, string> = {
  school:
    "This school is not one of your schools now: a school on the national register (in no partnership) is changed only through the register's import by an admin, and a school is changed by the programme, partnership and school it now belongs to.",
  partnership: "Only the partnership's programme managers (or its educational lead) may change this partnership.",
  programme: "Only this programme's managers may change the programme's own records.",
  booking: 'Only the booking school, its partnership or the programme running the session may act on this booking.',
};

const AMBASSADOR_IDENTITY_FIELDS = new Set(['name', 'email']);
/** What an ambassador may change about themself; their safeguarding check and status are kept by staff. */
const AMBASSADOR_OWN_FIELDS = new Set([
  'name',
  'email',
  'employer',
  'sector',
  'disciplines',
  'skills',
  'keyStages',
  'postcode',
  'latitude',
  'longitude',
  'travelRadiusKm',
  'availability',
  'offersVirtual',
]);
