/** Enrichment event types (003_def1d3e673f8defb.txt, 001_27ddbfeaf192e737.txt). */
export const ENRICHMENT_TYPES = ['stem_club', 'careers_event', 'competition', 'show', 'visit', 'ambassador_session', 'employer_encounter', 'other'] as const;
export type EnrichmentType = (typeof ENRICHMENT_TYPES)[number];

export const KEY_STAGES = ['eyfs', 'ks1', 'ks2', 'ks3', 'ks4', 'ks5'] as const;
export type KeyStage = (typeof KEY_STAGES)[number];

export interface EnrichmentDetails {
  type: EnrichmentType;
  title: string;
  audience: { pupils: number; parents: number; staff: number; otherSchools: number };
  keyStages: KeyStage[];
  gender: { female: number; male: number; otherOrNotSaid: number } | null;
  disadvantagedPupils: number | null;
  careers: { roles: string[]; routes: string[] } | null;
  ambassadorsInvolved: number;
  costPence: number;
}
