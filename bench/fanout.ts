import { performance } from 'node:perf_hooks';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Queues, TICK_JOB } from '#domain';
import type { SendMailOptions } from 'nodemailer';
import { createMailTransport, renderNotification, type NotificationKind } from '#notifications';
import { MailCatcher } from '#notifications/catcher/mail-catcher';
import { FANOUT_DUE, seedTermStartFanout } from './fanout-seed.js';
import { benchDatabase, peakRssMb, record, REDIS_URL, startApp, stop, waitUntil } from './support.js';

/**
 * The term-start fan-out: N member schools of a cohort that has chosen its framework, each
 * due its termly self-evaluation (open it, issue its page link, invite the school by email)
 * when the virtual clock passes term start + inviteAfterDays; measured from the tick to the
 * last invitation the SMTP catcher accepts. Baseline in the same
 * run: N messages sent straight through nodemailer to the same catcher at the same
 * concurrency: the very invitations the run sent (each rendered before the clock starts,
 * with the same headers), so the ratio is what the platform costs over sending those
 * emails; and, for comparison with earlier runs, a one-line message. Targets (issue): at least 0.5 of the baseline's rate;
 * per-school cost at 20,000 no more than 1.3 × that at 2,000; worker peak RSS under 300 MB.
 */
const SIZES = (process.env.FANOUT_SIZES ?? '2000,20000').split(',').map(Number);
const CONCURRENCY = 20;
/** SMTP_IN_FLIGHT for the worker: its default (1) unless the run sets another. */
const IN_FLIGHT = process.env.SMTP_IN_FLIGHT;

interface SentInvitation {
  kind: NotificationKind;
  data: Record<string, unknown>;
  recipient_email: string;
  recipient_name: string | null;
  message_id: string;
}

async function pipelineRun(n: number): Promise<{ seconds: number; rate: number; rssMb: number | null; sent: SentInvitation[] }> {
  const { url, prefix, db, drop } = await benchDatabase(`fanout${n}`);
  const catcher = new MailCatcher({ keep: 10 });
  const { smtpPort } = await catcher.start();
  let received = 0;
  const waiter = () => (received = catcher.dataReceived);
  try {
    await seedTermStartFanout(db, n);
    const worker = startApp('worker', {
      DATABASE_URL: url, REDIS_URL, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: 'bench <bench@stemflow.test>', PUBLIC_BASE_URL: 'http://localhost:3000',
      QUEUE_PREFIX: prefix, CLOCK: 'virtual', WORKER_CONCURRENCY: String(CONCURRENCY), SEND_RATE_PER_SECOND: '100000', TICK_EVERY_MS: '3600000',
      ...(IN_FLIGHT ? { SMTP_IN_FLIGHT: IN_FLIGHT } : {}),
    });
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    await waitUntil(async () => (await redis.zcard(`${prefix}:workers`)) > 0, 30_000, 'the worker to start');
    const schedules = new Queue(Queues.Schedules, { connection: redis, prefix });
    // The term starts: from here to the last email accepted is what is measured.
    await db.query(`UPDATE virtual_clock SET now = $1`, [FANOUT_DUE]);
    const started = performance.now();
    await schedules.add(TICK_JOB, {}, { jobId: `bench-tick-${n}` });
    await waitUntil(() => (waiter(), received >= n), 30 * 60_000, `${n} messages`);
    const seconds = (performance.now() - started) / 1000;
    const rssMb = peakRssMb(worker.pid);
    await waitUntil(async () => {
      const [row] = (await db.query(`SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, (SELECT count(*)::int FROM self_evaluations) AS opened FROM notifications`)).rows;
      return row.sent === n && row.opened === n;
    }, 60_000, `${n} self-evaluations opened and their invitations recorded as sent`);
    await schedules.close();
    redis.disconnect();
    await stop(worker);
    const sent = (await db.query<SentInvitation>(`SELECT kind, data, recipient_email, recipient_name, message_id FROM notifications ORDER BY recipient_email`)).rows;
    return { seconds, rate: n / seconds, rssMb, sent };
  } finally {
    await catcher.stop();
    await drop();
  }
}

/** The email the sender builds for a notification, built here before the baseline's clock starts. */
function sameMail(invitation: SentInvitation, i: number): SendMailOptions {
  const unsubscribe = `http://localhost:3000/u/bench-unsubscribe-token-${i}`;
  const rendered = renderNotification(invitation.kind, { ...invitation.data, unsubscribeUrl: unsubscribe });
  return {
    from: 'bench <bench@stemflow.test>', to: { name: invitation.recipient_name ?? '', address: invitation.recipient_email }, subject: rendered.subject, text: rendered.text,
    html: rendered.html, messageId: invitation.message_id, headers: { 'X-Stemflow-Notification': `bench-${i}`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    list: { unsubscribe },
  };
}

const oneLineMail = (i: number): SendMailOptions => ({ from: 'bench@stemflow.test', to: `lead${i}@fanout.example.org`, subject: 'A new term', text: 'Welcome back.', html: '<p>Welcome back.</p>' });

async function baselineRun(mails: SendMailOptions[]): Promise<{ seconds: number; rate: number }> {
  const n = mails.length;
  const catcher = new MailCatcher({ keep: 10 });
  const { smtpPort } = await catcher.start();
  const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${smtpPort}` });
  try {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < n) {
          const i = next++;
          await transport.sendMail(mails[i]);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { seconds, rate: n / seconds };
  } finally {
    transport.close();
    await catcher.stop();
  }
}

const lines: string[] = [];
const costs = new Map<number, number>();
for (const n of SIZES) {
  const run = await pipelineRun(n);
  const baseline = await baselineRun(run.sent.map(sameMail));
  const oneLine = await baselineRun(Array.from({ length: n }, (_, i) => oneLineMail(i)));
  const costMs = (run.seconds * 1000) / n;
  costs.set(n, costMs);
  const line =
    `N=${n}: ${run.rate.toFixed(0)} emails/s (baseline sending the same invitations ${baseline.rate.toFixed(0)}/s, ratio ${(run.rate / baseline.rate).toFixed(2)}; ` +
    `one-line baseline ${oneLine.rate.toFixed(0)}/s, ratio ${(run.rate / oneLine.rate).toFixed(2)}), ${costMs.toFixed(2)} ms per school, worker peak RSS ${run.rssMb ?? '?'} MB`;
  console.log(line);
  lines.push(line);
}
if (SIZES.length >= 2) {
  const [small, large] = [SIZES[0], SIZES[SIZES.length - 1]];
  const growth = `per-school cost at ${large} / at ${small}: ${(costs.get(large)! / costs.get(small)!).toFixed(2)} (target ≤ 1.3)`;
  console.log(growth);
  lines.push(growth);
}
lines.push(`worker SMTP_IN_FLIGHT ${IN_FLIGHT ?? '1 (the default)'}`);
record('fanout', lines.join('; '));
