import { PassThrough } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { Permits } from '#domain/platform/permits';
import { classifySendError, createMailTransport } from '#notifications/transport/mail-transport';
import { sharedMonotonicMs, type DeliveryOutcome, type DeliveryReply, type DeliveryRequest, type DeliverySettings } from './delivery-protocol.js';
import { SentRecords } from './sent-records.js';

/**
 * The SMTP delivery thread. From the end of a message's data until its record is on its
 * way to the ledger (handed to the operating system, which delivers it even if the worker
 * dies: SentRecords) is the one window in which a crash sends a message twice, and at most
 * SMTP_IN_FLIGHT messages are in it at once, so its length is the sender's speed limit. On
 * the worker's main thread every step of it would wait behind other jobs' work; here the
 * event loop has nothing else to do. (Building messages here too was tried: it made the
 * window longer and the sender slower.)
 */
const settings = workerData as DeliverySettings;
const port = parentPort!;

// Enough connections that while one message is ending, the next ones' envelopes and bytes are already on their way.
const transport = createMailTransport({ smtpUrl: settings.smtpUrl, maxConnections: Math.max(5, settings.inFlight + 4) });
const inFlight = new Permits(settings.inFlight);
const ledger = new pg.Pool({ connectionString: settings.databaseUrl, max: 2, connectionTimeoutMillis: 5_000, application_name: 'stemflow-worker-delivery' });
// An idle connection dropped by a Postgres restart is replaced on the next statement.
ledger.on('error', () => undefined);
const records = await SentRecords.open(ledger, { connectionString: settings.databaseUrl, application_name: 'stemflow-worker-delivery' });

port.on('message', (message: DeliveryRequest | 'close') => {
  if (message === 'close') {
    transport.close();
    void records
      .close()
      .finally(() => ledger.end())
      .finally(() => port.close());
    return;
  }
  void deliver(message).then(
    (outcome) => port.postMessage({ seq: message.seq, outcome } satisfies DeliveryReply),
    (error: unknown) => port.postMessage({ seq: message.seq, outcome: { kind: 'refused', failure: classifySendError(error) } } satisfies DeliveryReply),
  );
});

/**
 * Hands an SMTP connection the message's envelope and bytes at once, and its end (the
 * moment the server accepts it) only with a permit, kept until its record is on its way. A
 * message whose permit comes after half its lease is gone goes only once its lease is
 * renewed: otherwise another worker may be about to take it over.
 */
async function deliver(request: DeliveryRequest): Promise<DeliveryOutcome> {
  const body = new PassThrough();
  body.write(request.raw);
  // The pool starts reading a message's bytes when it gives it a connection. Only then is
  // a permit asked for: one granted to a message still queued for a connection would stop
  // the messages holding every connection from ending.
  const onConnection = new Promise<'connected'>((resolve) => body.once('resume', () => resolve('connected')));
  const delivery: Promise<{ response: string } | { error: unknown }> = transport.sendMail({ envelope: request.envelope, raw: body }).then(
    (info: { response?: unknown }) => ({ response: String(info.response ?? '') }),
    (error: unknown) => ({ error }),
  );
  const refused = async (): Promise<DeliveryOutcome> => {
    const ended = await delivery;
    return { kind: 'refused', failure: classifySendError('error' in ended ? ended.error : new Error('the message ended before its data did')) };
  };
  // A refused envelope or a lost connection ends the delivery before its turn comes.
  const ended = delivery.then(() => 'ended' as const);
  if ((await Promise.race([onConnection, ended])) === 'ended') return refused();
  const permit = inFlight.take();
  try {
    if ((await Promise.race([permit.granted.then(() => 'turn' as const), ended])) === 'ended') return refused();
    if (sharedMonotonicMs() > request.renewAfter && !(await renewLease(request))) {
      // Without the end of its data the server discards what it was given.
      body.destroy(new Error('held back before the end of its data'));
      await delivery;
      return { kind: 'held-back' };
    }
    body.end();
    const outcome = await delivery;
    if ('error' in outcome) return { kind: 'refused', failure: classifySendError(outcome.error) };
    const record = records.record({ notificationId: request.notificationId, attempt: request.attempt, response: outcome.response, ...request.record });
    const made = record.made.then(
      () => null,
      (error: unknown) => error,
    );
    // Once the record is on its way to Postgres a crash no longer loses it: the next message may end.
    await record.handedOver;
    permit.release();
    const failed = await made;
    if (failed) return { kind: 'unrecorded', reason: failed instanceof Error ? failed.message : String(failed) };
    return { kind: 'sent' };
  } finally {
    permit.release();
  }
}

/** Holds on to a claim for another lease, if it is still this attempt's: false when it has run out or moved on. */
async function renewLease(request: DeliveryRequest): Promise<boolean> {
  try {
    const result = await ledger.query(
      `UPDATE notifications SET lease_until = clock_timestamp() + make_interval(secs => $3::double precision / 1000)
        WHERE id = $1 AND status = 'sending' AND attempt_count = $2 AND lease_until > clock_timestamp()`,
      [request.notificationId, request.attempt, settings.leaseMs],
    );
    return result.rowCount === 1;
  } catch {
    // A database that cannot answer cannot say the claim is still ours.
    return false;
  }
}
