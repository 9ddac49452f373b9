// A search field for a school or a person offers suggestions as it is typed, and choosing
// one does what choosing it from the search's results does. Without this script the field
// is a plain search: type, press Search, choose from the results.
//
// The field says where its suggestions come from (data-autocomplete, a page answering JSON
// [{ id, label }]) and which form a choice is sent with (data-autocomplete-form: the form's
// field marked data-autocomplete-id gets the chosen id, then the form is submitted). A
// hint for when suggestions are offered (data-autocomplete-hint) replaces the field's own.

const LIBRARY = '/assets/accessible-autocomplete/accessible-autocomplete.min.js';
/** Letters typed before suggestions are asked for. */
const MIN_LENGTH = 2;
/** A pause in typing before asking, so a fast typist asks once, not at every letter. */
const PAUSE_MS = 200;

/** Enhances every search field on the page that offers suggestions. */
export async function enhanceSearchFields() {
  const fields = [...document.querySelectorAll('input[data-autocomplete]')];
  if (fields.length === 0) return;
  await import(LIBRARY);
  for (const field of fields) enhance(field, window.accessibleAutocomplete);
}

function enhance(original, accessibleAutocomplete) {
  const searchForm = original.form;
  const chosenForm = document.getElementById(original.dataset.autocompleteForm);
  const chosenId = chosenForm?.querySelector('[data-autocomplete-id]');
  if (!searchForm || !chosenId) return;
  const url = original.dataset.autocomplete;
  const describedBy = (original.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  const hint = document.getElementById(`${original.id}-hint`);
  if (hint && original.dataset.autocompleteHint) hint.textContent = original.dataset.autocompleteHint;

  // The page serves the search button beside the field (in .app-suggest), so only the
  // field is replaced: the button never moves under a pointer, and the suggestions open
  // below the field, never over the button.
  const container = document.createElement('div');
  container.className = 'app-suggest__field';
  original.replaceWith(container);

  let input = null;
  let timer;
  let asked = 0;
  let waiting = false;
  let chosen = false;

  accessibleAutocomplete({
    element: container,
    id: original.id,
    name: original.name,
    minLength: MIN_LENGTH,
    displayMenu: 'overlay',
    // Leaving the field is not choosing: only a click, a tap or Enter on a suggestion is.
    confirmOnBlur: false,
    inputClasses: original.classList.contains('govuk-input--error') ? 'govuk-input--error' : null,
    templates: {
      inputValue: (option) => (typeof option === 'string' ? option : (option?.label ?? '')),
      // The library writes a suggestion in as HTML: the label is made text first.
      suggestion: (option) => asHtml(typeof option === 'string' ? option : (option?.label ?? '')),
    },
    tNoResults: () => (waiting ? 'Searching…' : 'No matches: press Search to look again'),
    source(query, populate) {
      clearTimeout(timer);
      const ask = ++asked;
      // Text put in the field by the page, not typed, is not a question.
      if (document.activeElement !== input) {
        waiting = false;
        populate([]);
        return;
      }
      waiting = true;
      timer = setTimeout(async () => {
        const found = await suggestions(url, query);
        if (ask !== asked) return;
        waiting = false;
        populate(document.activeElement === input ? found : []);
      }, PAUSE_MS);
    },
    onConfirm(option) {
      if (chosen || !option || typeof option !== 'object' || !option.id) return;
      chosen = true;
      chosenId.value = option.id;
      submit(chosenForm);
    },
  });

  input = container.querySelector('input');
  input.spellcheck = false;
  keepDescribedBy(input, describedBy);
  // Enter in the field searches, as it does without this script; Enter on a suggestion chooses it.
  container.addEventListener(
    'keydown',
    (event) => {
      if (event.key !== 'Enter' || event.target !== input) return;
      event.preventDefault();
      event.stopPropagation();
      submit(searchForm);
    },
    true,
  );
  // What was searched for stays in the field, as the page gave it.
  if (original.value) {
    input.value = original.value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

/** Up to the page's limit of { id, label }; none when the page cannot answer (signed out, offline, too many asks). */
async function suggestions(url, query) {
  try {
    const answer = await fetch(`${url}?${new URLSearchParams({ q: query })}`, { headers: { accept: 'application/json' } });
    if (!answer.ok || !(answer.headers.get('content-type') ?? '').includes('application/json')) return [];
    const found = await answer.json();
    return Array.isArray(found) ? found.filter((o) => typeof o?.id === 'string' && typeof o?.label === 'string') : [];
  } catch {
    return [];
  }
}

function asHtml(text) {
  const span = document.createElement('span');
  span.textContent = text;
  return span.innerHTML;
}

/**
 * The library describes its field by its own instructions alone: the field's hint and
 * error message are kept first in aria-describedby, whatever the library sets after them.
 */
function keepDescribedBy(input, ids) {
  if (ids.length === 0) return;
  const keep = () => {
    const now = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    const wanted = [...new Set([...ids, ...now])].join(' ');
    if (now.join(' ') !== wanted) input.setAttribute('aria-describedby', wanted);
  };
  new MutationObserver(keep).observe(input, { attributes: true, attributeFilter: ['aria-describedby'] });
  keep();
}

function submit(form) {
  if (form.requestSubmit) form.requestSubmit();
  else form.submit();
}
