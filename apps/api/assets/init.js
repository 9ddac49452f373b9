// Enhances the pages when JavaScript runs: every page works without it. Loaded as a
// module, so browsers too old for GOV.UK Frontend's scripts skip it and keep the plain pages.
import { initAll as initGovuk } from '/assets/govuk/govuk-frontend.min.js';
import { initAll as initMoj } from '/assets/moj/moj-frontend.min.js';
import { enhanceSearchFields } from '/assets/suggestions.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initGovuk();
initMoj();
enhanceSearchFields();
