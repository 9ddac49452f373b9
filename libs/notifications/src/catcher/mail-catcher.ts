import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { escapeHtml } from '../templates/html.js';

export interface CaughtMessage {
  id: string;
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  /** The iCalendar parts (invitations, cancellations) the message carried. */
  calendars: string[];
  receivedAt: string;
}

/** A reply the catcher gives instead of accepting a message, to rehearse an SMTP server's bad day. */
export interface Refusal {
  code: number;
  message: string;
}

export interface MailCatcherOptions {
  smtpPort?: number;
  httpPort?: number;
  host?: string;
  /** Messages kept in memory; the oldest go first. */
  keep?: number;
}

/**
 * A small SMTP server that keeps what it receives and shows it in a web inbox. `npm start`
 * runs one so a newcomer can read the platform's emails; tests run one to assert on what
 * really went over SMTP, and to make it refuse or stall on purpose.
 */
export class MailCatcher {
  readonly messages: CaughtMessage[] = [];
  /** Every message accepted since start, however many `keep` lets the inbox hold. */
  dataReceived = 0;
  private readonly refusals: Refusal[] = [];
  private refusalRule: ((attempt: number, recipients: string[]) => Refusal | undefined) | undefined;
  private answerHook: (() => Promise<void>) | undefined;
  private dataAttempts = 0;
  private holding: Promise<void> | undefined;
  private releaseHold: (() => void) | undefined;
  private readonly waiters = new Set<() => void>();
  private smtp: SMTPServer | undefined;
  private http: Server | undefined;

  constructor(private readonly options: MailCatcherOptions = {}) {}

  async start(): Promise<{ smtpPort: number; httpPort: number | undefined }> {
    const host = this.options.host ?? '127.0.0.1';
    this.smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      banner: 'stemflow mail catcher',
      size: 10 * 1024 * 1024,
      onMailFrom: (_address, _session, callback) => {
        if (!this.holding) return callback();
        this.holding.then(
          () => callback(),
          () => callback(),
        );
      },
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
    await new Promise<void>((resolve, reject) => {
      this.smtp!.once('error', reject);
      this.smtp!.listen(this.options.smtpPort ?? 0, host, () => resolve());
    });
    this.smtp.on('error', () => undefined);
    let httpPort: number | undefined;
    if (this.options.httpPort !== undefined) {
      this.http = createServer((req, res) => this.serveInbox(req, res));
      await new Promise<void>((resolve, reject) => {
        this.http!.once('error', reject);
        this.http!.listen(this.options.httpPort, host, () => resolve());
      });
      httpPort = (this.http.address() as AddressInfo).port;
    }
    const smtpPort = (this.smtp.server.address() as AddressInfo).port;
    return { smtpPort, httpPort };
  }

  async stop(): Promise<void> {
    this.release();
    await Promise.all([
      new Promise<void>((resolve) => (this.smtp ? this.smtp.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => {
        if (!this.http) return resolve();
        this.http.closeAllConnections();
        this.http.close(() => resolve());
      }),
    ]);
  }

  /** Refuse the next messages, in order, with these replies (4xx transient, 5xx permanent). */
  refuseNext(...refusals: Refusal[]): void {
    this.refusals.push(...refusals);
  }

  /** Decide per message (counted from 1, with its envelope recipients) whether to refuse it; undefined accepts. */
  refuseWhen(rule: ((attempt: number, recipients: string[]) => Refusal | undefined) | undefined): void {
    this.refusalRule = rule;
  }

  /**
   * Runs once a message's data is all in, before the server answers it: a test looks at
   * the world at the moment the sender is waiting to hear that its message was taken.
   */
  beforeAnswering(hook: (() => Promise<void>) | undefined): void {
    this.answerHook = hook;
  }

  /** Keep every new SMTP transaction waiting after MAIL FROM until `release()`: a server that hangs. */
  hold(): void {
    if (this.holding) return;
    this.holding = new Promise<void>((resolve) => (this.releaseHold = resolve));
  }

  release(): void {
    this.releaseHold?.();
    this.holding = undefined;
    this.releaseHold = undefined;
  }

  clear(): void {
    this.messages.length = 0;
  }

  /** Resolves once `count` messages have arrived (tests wait on a condition, never on a timer). */
  waitForCount(count: number, timeoutMs = 20_000): Promise<CaughtMessage[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.messages.length >= count) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve([...this.messages]);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`expected ${count} messages, caught ${this.messages.length}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  private receive(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    this.dataAttempts += 1;
    const refusal =
      this.refusals.shift() ??
      this.refusalRule?.(
        this.dataAttempts,
        session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
      );
    // The parser can be done at the message's last boundary, before the end of its data.
    const dataEnded = new Promise<void>((resolve) => stream.once('end', () => resolve()));
    // The inbox shows the message's own text and HTML: mailparser's text-to-HTML rendering
    // and image-link rewriting would be work no one reads, done before every answer.
    simpleParser(stream, { skipTextToHtml: true, skipImageLinks: true })
      .then(async (parsed) => {
        await dataEnded;
        await this.answerHook?.();
        if (refusal) {
          const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
          return callback(error);
        }
        // Raw header values, as the sender wrote them (unfolded), keyed in lower case.
        const headers: Record<string, string> = {};
        for (const { key, line } of parsed.headerLines)
          headers[key] = line
            .slice(line.indexOf(':') + 1)
            .replace(/\r?\n\s+/g, ' ')
            .trim();
        const addresses = (value: AddressObject | AddressObject[] | undefined) => (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
        this.messages.push({
          id: randomUUID(),
          messageId: parsed.messageId ?? null,
          from: parsed.from?.value[0]?.address ?? session.envelope.mailFrom?.toString() ?? '',
          to: addresses(parsed.to).length > 0 ? addresses(parsed.to) : session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : null,
          headers,
          calendars: parsed.attachments.filter((a) => a.contentType.startsWith('text/calendar')).map((a) => a.content.toString('utf8')),
          receivedAt: new Date().toISOString(),
        });
        this.dataReceived += 1;
        const keep = this.options.keep ?? 100_000;
        if (this.messages.length > keep) this.messages.splice(0, this.messages.length - keep);
        callback();
        for (const waiter of [...this.waiters]) waiter();
      })
      .catch((error: Error) => callback(error));
  }

  private serveInbox(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://inbox');
    if (url.pathname === '/api/messages' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(this.messages.slice().reverse()));
      return;
    }
    if (url.pathname === '/api/messages' && req.method === 'DELETE') {
      this.clear();
      res.writeHead(204).end();
      return;
    }
    const match = /^\/messages\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (match) {
      const message = this.messages.find((m) => m.id === match[1]);
      if (!message) {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(page('Not found', '<p>That message is no longer in the inbox.</p>'));
        return;
      }
      const body = `<p><a href="/">← Inbox</a></p>
<h1>${escapeHtml(message.subject)}</h1>
<dl><dt>From</dt><dd>${escapeHtml(message.from)}</dd><dt>To</dt><dd>${escapeHtml(message.to.join(', '))}</dd>
<dt>Received</dt><dd>${escapeHtml(message.receivedAt)}</dd><dt>Message-ID</dt><dd>${escapeHtml(message.messageId ?? '')}</dd></dl>
${message.html ? `<h2>HTML</h2><iframe title="HTML body" sandbox="" style="width:100%;height:480px;border:1px solid #ccc" srcdoc="${escapeHtml(message.html)}"></iframe>` : ''}
<h2>Text</h2><pre style="white-space:pre-wrap">${escapeHtml(message.text)}</pre>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(message.subject, body));
      return;
    }
    if (url.pathname === '/') {
      const rows = this.messages
        .slice()
        .reverse()
        .slice(0, 500)
        .map(
          (m) =>
            `<tr><td>${escapeHtml(m.receivedAt.replace('T', ' ').slice(0, 19))}</td><td>${escapeHtml(m.to.join(', '))}</td><td><a href="/messages/${m.id}">${escapeHtml(m.subject || '(no subject)')}</a></td></tr>`,
        )
        .join('');
      const body = `<h1>stemflow inbox</h1><p>${this.messages.length} message(s) caught. Nothing here leaves this machine.</p>
<table><thead><tr><th scope="col">Received (UTC)</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead><tbody>${rows}</tbody></table>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('stemflow inbox', body));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem;color:#1b1f23}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ddd}a{color:#0b5394}</style></head>
<body>${body}</body></html>`;
}
