/**
 * SIGTERM or SIGINT: close the app (which stops taking work, lets jobs and requests in
 * hand finish, and closes connections), then exit 0. A second signal exits at once.
 */
export function closeOnSignals(app: { close(): Promise<void> }, name: string): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      process.stderr.write(`stemflow ${name}: ${signal} again, exiting without waiting\n`);
      process.exit(1);
    }
    closing = true;
    app.close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`stemflow ${name}: shutdown failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
