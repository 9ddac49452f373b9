import type { NextFunction, Request, Response } from 'express';

/**
 * Past `maxInFlight` requests being worked on at once, the next is answered 503 with
 * Retry-After straight away: a burst meets a quick "try again" rather than waiting in a
 * queue for a database connection until the client gives up or the connection drops.
 */
export function shedLoad(maxInFlight: number) {
  let inFlight = 0;
  return (req: Request & { id?: string }, res: Response, next: NextFunction) => {
    if (inFlight >= maxInFlight) {
      res.setHeader('Retry-After', '1');
      res
        .status(503)
        .type('application/problem+json')
        .send(
          JSON.stringify({
            type: 'https://stemflow.dev/problems/unavailable',
            title: 'stemflow is busy; try again shortly',
            status: 503,
            detail: `More than ${maxInFlight} requests are being answered at once; try again in a second.`,
            instance: req.originalUrl,
            requestId: String(req.id ?? ''),
          }),
        );
      return;
    }
    inFlight += 1;
    let counted = true;
    // 'close' comes whether the answer was sent or the client went away; 'finish' may not.
    res.once('close', () => {
      if (counted) inFlight -= 1;
      counted = false;
    });
    next();
  };
}
