import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';

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
