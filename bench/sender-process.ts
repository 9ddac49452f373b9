import { performance } from 'node:perf_hooks';
import type { SendMailOptions } from 'nodemailer';
import { withPageAddresses } from '#domain/pages/page-link';
import { createMailTransport, notificationMail, NotificationKinds, renderNotification, TEMPLATE_SAMPLES, type NotificationKind } from '#notifications';

/**
 * Plain nodemailer sending to a catcher, from a process of its own (support.ts
 * `startSender`): the fan-out's baselines, and the catcher's warm-up before a run.
 *
 * A baseline sends from a fresh process, as the worker does: cold, and on a thread of its
 * own rather than sharing the catcher's. Its messages are built before it says it is ready,
 * and its clock runs from the go to the last message accepted, as the run's runs from the
 * tick. The warm-up is here so that the catcher, which both sides send to, is equally warm
 * for both (the first 2,000 messages through a fresh catcher go at about three quarters of
 * the speed of the next), without warming either side's own code.
 */

/** The worker's LINK_SECRET in every benchmark (support.ts `startApp`): the baselines render the links it rendered. */
export const BENCH_LINK_SECRET = 'bench-link-secret-0123456789abcdef0123456789';

export interface SentInvitation {
  kind: NotificationKind;
  data: Record<string, unknown>;
  recipient_email: string;
  recipient_name: string | null;
  message_id: string;
}

export type SenderMails = { invitations: SentInvitation[] } | { oneLine: number } | { warmUp: number };

export interface SenderRequest {
  smtpPort: number;
  concurrency: number;
  mails: SenderMails;
}

/** The email the platform's sender builds for an invitation it sent: the same headers (notificationMail), rendered from the same data. */
function sameMail(invitation: SentInvitation, i: number): SendMailOptions {
  const unsubscribeUrl = `http://localhost:3000/u/bench-unsubscribe-token-${i}`;
  const rendered = renderNotification(invitation.kind, { ...withPageAddresses(invitation.data, BENCH_LINK_SECRET, 'http://localhost:3000'), unsubscribeUrl });
  return notificationMail(
    {
      from: 'bench <bench@stemflow.test>',
      notificationId: `bench-${i}`,
      recipientEmail: invitation.recipient_email,
      recipientName: invitation.recipient_name,
      messageId: invitation.message_id,
      requestId: null,
      unsubscribeUrl,
    },
    rendered,
  );
}

const oneLineMail = (i: number): SendMailOptions => ({ from: 'bench@stemflow.test', to: `lead${i}@fanout.example.org`, subject: 'A new term', text: 'Welcome back.', html: '<p>Welcome back.</p>' });

function warmUpMails(count: number): SendMailOptions[] {
  const { subject, text, html } = renderNotification(NotificationKinds.SelfEvaluationInvitation, TEMPLATE_SAMPLES[NotificationKinds.SelfEvaluationInvitation]);
  return Array.from({ length: count }, (_, i) => ({ from: 'warm-up <warm-up@stemflow.test>', to: `warm-up${i}@stemflow.test`, subject, text, html }));
}

function mailsFor(mails: SenderMails): SendMailOptions[] {
  if ('invitations' in mails) return mails.invitations.map(sameMail);
  if ('oneLine' in mails) return Array.from({ length: mails.oneLine }, (_, i) => oneLineMail(i));
  return warmUpMails(mails.warmUp);
}

async function sendAll(smtpPort: number, concurrency: number, mails: SendMailOptions[]): Promise<number> {
  const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${smtpPort}` });
  try {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < mails.length) {
          const i = next++;
          await transport.sendMail(mails[i]);
        }
      }),
    );
    return (performance.now() - started) / 1000;
  } finally {
    transport.close();
  }
}

// The protocol with startSender: the request, 'ready' once the mails are built, 'go', then the seconds it took.
if (process.send) {
  const send = process.send.bind(process);
  process.once('message', (request: SenderRequest) => {
    const mails = mailsFor(request.mails);
    process.once('message', () => {
      sendAll(request.smtpPort, request.concurrency, mails).then(
        (seconds) => send({ seconds }, () => process.disconnect()),
        (error: unknown) => send({ error: error instanceof Error ? error.message : String(error) }, () => process.disconnect()),
      );
    });
    send('ready');
  });
}
