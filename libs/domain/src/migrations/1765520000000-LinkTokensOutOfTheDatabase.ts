import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A page's address with a token in clear, as emails' data held them: `…/e/<43 characters>`. */
const CLEAR_LINK = '/(e|r|s|dashboard/sign-in)/[A-Za-z0-9_-]{43}([^A-Za-z0-9_-]|$)';

/**
 * Emails' data held the addresses of the pages they link to, tokens in clear, beside the
 * tokens' hashes in page_links: anyone with a dump or a backup could open every live link.
 * Links are now derived from their id with LINK_SECRET, and the data holds only the id.
 *
 * The links already issued were random, so no secret can derive them again, and SQL has no
 * secret anyway. So:
 * - emails sent, failed or skipped never need their address again: it is removed (an admin's
 *   resend of one of them goes without its link; the original email's link still works).
 * - emails still to go (queued, or being sent) keep working: their addresses move to
 *   `legacyLinks`, which the sender renders as before and removes once the email is sent,
 *   fails or is skipped; the daily retention job removes any that remain after that. Until
 *   then those few rows still hold a live token, as every row did before.
 *
 * Nothing to undo: `down` leaves the data as it is.
 */
export class LinkTokensOutOfTheDatabase1765520000000 implements MigrationInterface {
  name = 'LinkTokensOutOfTheDatabase1765520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `WITH clear AS (
         SELECT n.id, n.status, jsonb_object_agg(e.key, e.value) AS links
           FROM notifications n, jsonb_each(n.data) e
          WHERE jsonb_typeof(e.value) = 'string' AND e.value #>> '{}' ~ $1
          GROUP BY n.id, n.status)
       UPDATE notifications n
          SET data = (n.data - ARRAY(SELECT jsonb_object_keys(clear.links)))
                     || CASE WHEN clear.status IN ('queued', 'sending') THEN jsonb_build_object('legacyLinks', clear.links) ELSE '{}'::jsonb END
         FROM clear
        WHERE clear.id = n.id`,
      [CLEAR_LINK],
    );
  }

  async down(): Promise<void> {
    // The addresses removed cannot be put back, and the ones kept still work.
  }
}
