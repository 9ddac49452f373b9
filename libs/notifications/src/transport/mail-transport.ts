import nodemailer from 'nodemailer';
import type { SendMailOptions, Transporter } from 'nodemailer';
import type { RenderedMessage } from '../templates/render.js';

export interface MailTransportOptions {
  smtpUrl: string;
  maxConnections?: number;
}

/** A pooled nodemailer transport for SMTP_URL (smtp:// plain or STARTTLS, smtps:// TLS). */
export function createMailTransport({ smtpUrl, maxConnections = 5 }: MailTransportOptions): Transporter {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    pool: true,
    maxConnections,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

/** Who and what a notification's email is: its ledger row's part of the message. */
export interface NotificationEnvelope {
  from: string;
  notificationId: string;
  recipientEmail: string;
  recipientName: string | null;
  messageId: string;
  requestId: string | null;
  /** The one-click way out (RFC 8058) that nudges carry; null for transactional mail. */
  unsubscribeUrl: string | null;
}

/** The email nodemailer builds for a rendered notification: the one definition of its headers (the sender's, and the fan-out bench's baseline). */
export function notificationMail(envelope: NotificationEnvelope, message: RenderedMessage): SendMailOptions {
  const unsubscribe = envelope.unsubscribeUrl;
  return {
    from: envelope.from,
    to: { name: envelope.recipientName ?? '', address: envelope.recipientEmail },
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: envelope.messageId,
    headers: {
      'X-Stemflow-Notification': envelope.notificationId,
      ...(envelope.requestId ? { 'X-Request-Id': envelope.requestId } : {}),
      ...(unsubscribe ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
    },
    ...(message.calendar ? { icalEvent: { method: message.calendar.method, content: message.calendar.content } } : {}),
    ...(unsubscribe ? { list: { unsubscribe } } : {}),
  };
}

/** A message built into its bytes once, ready to go out over any transport. */
export interface ComposedMessage {
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

/**
 * Builds messages into MIME without sending them (nodemailer's stream transport), so the
 * sender can hand the SMTP connection the bytes and hold back only their end.
 */
export function createMessageComposer(): (mail: SendMailOptions) => Promise<ComposedMessage> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return async (mail) => {
    const built = await composer.sendMail(mail);
    const envelope = built.envelope as { from: string | false; to: string[] };
    return { envelope: { from: envelope.from || '', to: envelope.to }, raw: built.message as Buffer };
  };
}

export interface SendFailure {
  /** A permanent failure (5xx, a malformed address) is not retried. */
  permanent: boolean;
  reason: string;
}

/**
 * Reads a nodemailer error as the SMTP server meant it: 5xx replies are final, 4xx replies
 * and connection trouble are worth another try later (RFC 5321 §4.2.1).
 */
export function classifySendError(error: unknown): SendFailure {
  const e = error as { responseCode?: unknown; response?: unknown; code?: unknown; message?: unknown };
  const code = typeof e?.responseCode === 'number' ? e.responseCode : undefined;
  const response = typeof e?.response === 'string' ? e.response : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const reason = (response ?? message).slice(0, 1_000);
  if (code !== undefined) return { permanent: code >= 500 && code < 600, reason };
  // An envelope nodemailer itself refused (no valid recipient) will not get better by waiting.
  if (e?.code === 'EENVELOPE') return { permanent: true, reason };
  return { permanent: false, reason };
}
