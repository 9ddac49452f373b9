/** CPD subjects and formats as the programme records them (003_def1d3e673f8defb.txt). */
export const CPD_SUBJECTS = ['science', 'technology', 'engineering', 'maths', 'computing', 'leadership', 'other'] as const;
export type CpdSubject = (typeof CPD_SUBJECTS)[number];

export const CPD_FORMATS = ['residential', 'local', 'online', 'in_school', 'coaching', 'network_meeting', 'third_party'] as const;
export type CpdFormat = (typeof CPD_FORMATS)[number];

/** How an hour of CPD reached the ledger: booked centrally, or recorded from another channel. */
export const CPD_CHANNELS = ['central', 'local', 'third_party', 'coaching', 'online', 'in_school', 'network_meeting'] as const;
export type CpdChannel = (typeof CPD_CHANNELS)[number];
