/**
 * Why a programme may email someone, purpose by purpose (UK GDPR article 6, with PECR for
 * email): the one table the sender's consent check, the people API's answers and the
 * subject-access export all read. Marketing consent is one purpose among them, not the
 * switch for everything: a survey about CPD someone attended rests on the programme's
 * legitimate interest in evaluating what it delivers, not on their agreeing to news.
 */

/** Every purpose a programme emails for. `service` is never recorded: it follows from what the person did. */
export const PURPOSES = ['service', 'programme_communications', 'surveys', 'news', 'data_sharing'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** The purposes a person can say yes or no to, each in the consent log. */
export const CONSENT_PURPOSES = ['programme_communications', 'surveys', 'news', 'data_sharing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** The lawful bases the programme relies on (article 6(1)(a), (b), (e), (f)). */
export type LawfulBasis = 'consent' | 'contract' | 'legitimate_interests' | 'public_task';

export interface PurposeRule {
  /** In the words people read on a page, in an export or in a skipped email's reason. */
  name: string;
  basis: LawfulBasis;
  /** A basis the programme may rely on instead, when it runs as a public body's task. */
  alternativeBasis: LawfulBasis | null;
  /** Whether emails for this purpose go when the person has never said anything about it. */
  withoutEntry: boolean;
  /** How the person stops (or starts) these emails, as said to them and to staff. */
  control: string;
}

export const PURPOSE_RULES: Record<Purpose, PurposeRule> = {
  service: {
    name: 'service messages',
    basis: 'contract',
    alternativeBasis: null,
    withoutEntry: true,
    control: 'None needed: each one answers something the person did or booked (a booking confirmed, a link they asked for).',
  },
  programme_communications: {
    name: 'programme communications',
    basis: 'legitimate_interests',
    alternativeBasis: null,
    withoutEntry: true,
    control: 'Sent unless the person objects: the unsubscribe link in each email, or a withdrawal recorded for them.',
  },
  surveys: {
    name: 'evaluation surveys',
    basis: 'legitimate_interests',
    alternativeBasis: 'public_task',
    withoutEntry: true,
    control: 'Sent unless the person objects: each survey email says how (its unsubscribe link), or an objection recorded for them (consentToContact: false).',
  },
  news: {
    name: 'news and marketing',
    basis: 'consent',
    alternativeBasis: null,
    withoutEntry: false,
    control: 'Only with an explicit yes from the person; they can withdraw it at any time.',
  },
  data_sharing: {
    name: 'sharing their data with the funder',
    basis: 'consent',
    alternativeBasis: null,
    withoutEntry: false,
    control: 'Only with an explicit yes from the person; they can withdraw it at any time.',
  },
};

export function isConsentPurpose(value: string): value is ConsentPurpose {
  return (CONSENT_PURPOSES as readonly string[]).includes(value);
}

/** The purposes in the words people read on a page or in an export. */
export const CONSENT_PURPOSE_NAMES: Record<ConsentPurpose, string> = Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, PURPOSE_RULES[p].name])) as Record<ConsentPurpose, string>;

/** Whether a purpose is agreed when nothing was ever recorded for it (PURPOSE_RULES' withoutEntry). */
export const CONSENT_WITHOUT_ENTRY: Record<ConsentPurpose, boolean> = Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, PURPOSE_RULES[p].withoutEntry])) as Record<ConsentPurpose, boolean>;

export interface PurposeDecision {
  allowed: boolean;
  /** Nothing recorded: the table's default decided. */
  byDefault: boolean;
  /** The person said no (an objection, or a yes withdrawn). */
  objected: boolean;
  /** Why not, in words fit for a skipped email's ledger row; null when allowed. */
  reason: string | null;
}

/**
 * The one rule for "may we email them for this purpose": the latest recorded answer
 * decides; with none, the purpose's default. A no to a purpose resting on legitimate
 * interests is an objection; a purpose needing consent without a yes is refused.
 */
export function decidePurpose(purpose: Purpose, latest: { granted: boolean } | null): PurposeDecision {
  const rule = PURPOSE_RULES[purpose];
  if (purpose === 'service') return { allowed: true, byDefault: true, objected: false, reason: null };
  if (latest === null) {
    return rule.withoutEntry
      ? { allowed: true, byDefault: true, objected: false, reason: null }
      : { allowed: false, byDefault: true, objected: false, reason: `the recipient has not said yes to ${rule.name} (it needs their explicit consent)` };
  }
  if (latest.granted) return { allowed: true, byDefault: false, objected: false, reason: null };
  const reason = rule.basis === 'consent' ? `the recipient has withdrawn consent to ${rule.name}` : `the recipient objected to ${rule.name}`;
  return { allowed: false, byDefault: false, objected: true, reason };
}
