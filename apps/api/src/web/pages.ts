import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import nunjucks from 'nunjucks';
import { VIEW_FILTERS } from './view-filters.js';

/** The service's name, in the header and every page's title. */
export const SERVICE_NAME = 'stemflow';

const require = createRequire(import.meta.url);
/** dist/apps/api/ when built: the views are copied beside the compiled controllers, the stylesheet into assets/. */
const apiRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const packageRoot = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The page layer: one Nunjucks environment (autoescaped) over the app's views and the
 * GOV.UK and MoJ Frontend macros, as Express's view engine, and the assets the pages load,
 * under /assets. A view is named by its path under apps/api/src (`auth/pages/sign-in`);
 * the layout and shared partials by their name under web/views.
 */
export function setUpPages(app: NestExpressApplication): nunjucks.Environment {
  const govuk = join(packageRoot('govuk-frontend'), 'dist');
  const moj = packageRoot('@ministryofjustice/frontend');
  const views = join(apiRoot, 'src');
  const environment = nunjucks.configure([join(views, 'web', 'views'), views, govuk, moj], {
    autoescape: true,
    throwOnUndefined: false,
    express: app.getHttpAdapter().getInstance(),
  });
  for (const [name, filter] of Object.entries(VIEW_FILTERS)) environment.addFilter(name, filter);
  environment.addGlobal('serviceName', SERVICE_NAME);
  app.setViewEngine('njk');

  const files = { index: false, fallthrough: true, redirect: false } as const;
  app.useStaticAssets(join(apiRoot, 'assets'), { ...files, prefix: '/assets/' });
  // GOV.UK Frontend's images (its fonts are GOV.UK's own and are not used) and its script.
  app.useStaticAssets(join(govuk, 'govuk', 'assets'), { ...files, prefix: '/assets/' });
  app.useStaticAssets(join(moj, 'moj', 'assets'), { ...files, prefix: '/assets/' });
  app.useStaticAssets(join(govuk, 'govuk'), { ...files, prefix: '/assets/govuk/' });
  app.useStaticAssets(join(moj, 'moj'), { ...files, prefix: '/assets/moj/' });
  // The suggestions a search field offers as a school or person is typed (its styles are in application.css).
  app.useStaticAssets(join(packageRoot('accessible-autocomplete'), 'dist'), { ...files, prefix: '/assets/accessible-autocomplete/' });
  return environment;
}
