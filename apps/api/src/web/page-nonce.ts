import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The Content-Security-Policy allows a page's `<style>` elements only when they carry the
 * nonce drawn for that one answer; a style smuggled into a page by anyone else cannot
 * know it. The security middleware draws it and runs the rest of the request inside it,
 * so a page renderer can ask for it without being handed the response.
 */
const nonces = new AsyncLocalStorage<string>();

export function runWithPageNonce<T>(nonce: string, work: () => T): T {
  return nonces.run(nonce, work);
}

/** ` nonce="…"` for a `<style>` element of the page being answered; empty outside a request. */
export function nonceAttribute(): string {
  const nonce = nonces.getStore();
  return nonce ? ` nonce="${nonce}"` : '';
}
