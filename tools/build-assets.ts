import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

/**
 * The second half of `npm run build`, after tsc: the pages' stylesheet compiled from
 * apps/api/assets/application.scss (GOV.UK Frontend and MoJ Frontend with stemflow's font
 * and colour), the browser scripts beside it, and the Nunjucks views copied next to the
 * compiled page controllers, so that dist/ runs on its own (the Docker image ships only
 * dist/ and node_modules/).
 *
 * Compiling the two design systems takes pure-JS Sass many seconds, so the stylesheet is
 * rebuilt only when one of its sources, or either package, is newer than it.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = join(root, 'apps', 'api', 'assets');
const target = join(root, 'dist', 'apps', 'api', 'assets');
const stylesheet = join(target, 'application.css');
const require = createRequire(import.meta.url);

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

function newest(paths: string[]): number {
  return Math.max(...paths.map((p) => statSync(p).mtimeMs));
}

function copyInto(files: string[], from: string, to: string): void {
  for (const file of files) {
    const destination = join(to, relative(from, file));
    mkdirSync(dirname(destination), { recursive: true });
    copyFileSync(file, destination);
  }
}

mkdirSync(target, { recursive: true });

const styleSources = [
  ...filesUnder(source, (name) => name.endsWith('.scss')),
  require.resolve('govuk-frontend/package.json'),
  require.resolve('@ministryofjustice/frontend/package.json'),
  require.resolve('accessible-autocomplete/package.json'),
];
if (!existsSync(stylesheet) || newest(styleSources) > statSync(stylesheet).mtimeMs) {
  const started = Date.now();
  const compiled = sass.compile(join(source, 'application.scss'), {
    loadPaths: [root],
    style: 'compressed',
    quietDeps: true,
    // The design systems warn about their own deprecated mixins; stemflow's warnings still show.
    logger: {
      warn(message, options) {
        const from = options.span?.url?.pathname ?? options.stack?.trimStart().split('\n')[0] ?? '';
        if (from.includes('node_modules/')) return;
        process.stderr.write(`sass: ${message}${options.span?.url ? ` (${fileURLToPath(options.span.url)}:${options.span.start.line + 1})` : ''}\n`);
      },
    },
  });
  writeFileSync(stylesheet, compiled.css);
  process.stdout.write(`build-assets: compiled application.css in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

copyInto(
  filesUnder(source, (name) => name.endsWith('.js')),
  source,
  target,
);
const views = join(root, 'apps', 'api', 'src');
copyInto(
  filesUnder(views, (name) => name.endsWith('.njk')),
  views,
  join(root, 'dist', 'apps', 'api', 'src'),
);
