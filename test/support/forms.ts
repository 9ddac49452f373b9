/**
 * A browser's side of stemflow's forms, for suites that send forms without driving
 * Chromium: it keeps the cookies it is given (the form cookie, the session), reads the
 * `_csrf` token from the last page it opened, and sends forms as one of stemflow's pages
 * does (same origin, the token in the body). Redirects are not followed, so a suite sees
 * the 303 and where it points.
 */
export class FormClient {
  private readonly cookies = new Map<string, string>();
  private token: string | undefined;

  /** `base` and `origin` may be functions, for a suite whose API restarts on another port. */
  constructor(
    private readonly base: string | (() => string),
    private readonly origin: string | (() => string) = base,
  ) {}

  /** The session and form cookies, as a Cookie header. */
  get cookie(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async open(path = '/', headers: Record<string, string> = {}): Promise<Response> {
    const answer = await fetch(this.address(path), { redirect: 'manual', headers: { cookie: this.cookie, ...headers } });
    this.keep(answer);
    const html = await answer.clone().text();
    this.token = html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? this.token;
    return answer;
  }

  /** Sends a form from the page last opened (opening `/` first when none was). */
  async send(path: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
    if (!this.token) await this.open('/');
    const answer = await fetch(this.address(path), {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ _csrf: this.token!, ...fields }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: typeof this.origin === 'string' ? this.origin : this.origin(), cookie: this.cookie, ...headers },
    });
    this.keep(answer);
    return answer;
  }

  /** A path on the site, or a whole address (a link from an email). */
  private address(path: string): string {
    return /^https?:/.test(path) ? path : `${typeof this.base === 'string' ? this.base : this.base()}${path}`;
  }

  private keep(answer: Response): void {
    for (const set of answer.headers.getSetCookie()) {
      const [pair, ...attributes] = set.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const cleared = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (cleared) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(at + 1));
    }
  }
}
