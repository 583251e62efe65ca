// 汴学 search: suggestions as you type. Progressive enhancement of any <input data-suggest="/search/suggest">
// inside a GET search form: without this file the form searches as usual. The list sits in the page's flow under
// the box (no overlay, nothing pops up); arrows move through it, Enter opens, Escape closes. Loaded as a module,
// so it runs once however many boxes a page has.

const DELAY_MS = 250;

function setUp(input) {
  const form = input.form;
  if (!form || input.dataset.suggestReady) return;
  input.dataset.suggestReady = '1';
  const list = document.createElement('ul');
  list.className = 'suggestions';
  list.id = `${input.id || 'q'}-suggestions`;
  list.hidden = true;
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', input.labels && input.labels[0] ? input.labels[0].textContent.trim() : '');
  form.appendChild(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-expanded', 'false');

  let timer = 0;
  let asked = '';
  let active = -1;
  let controller = null;

  const options = () => [...list.querySelectorAll('a')];
  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const mark = (index) => {
    const items = options();
    items.forEach((a, i) => a.setAttribute('aria-selected', String(i === index)));
    active = index;
    if (index >= 0 && items[index]) input.setAttribute('aria-activedescendant', items[index].id);
    else input.removeAttribute('aria-activedescendant');
  };
  const searchUrl = (text) => {
    const url = new URL(form.action, location.href);
    url.searchParams.set('q', text);
    return url.pathname + url.search;
  };
  const show = (suggestions) => {
    list.replaceChildren();
    suggestions.forEach((s, i) => {
      const li = document.createElement('li');
      li.setAttribute('role', 'presentation');
      const a = document.createElement('a');
      a.id = `${list.id}-${i}`;
      a.setAttribute('role', 'option');
      a.href = s.url || searchUrl(s.text);
      a.tabIndex = -1;
      const text = document.createElement('span');
      text.textContent = s.text;  // text, never HTML
      a.appendChild(text);
      if (s.kind_label) {
        const kind = document.createElement('span');
        kind.className = 'kind';
        kind.textContent = s.kind_label;
        a.appendChild(kind);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = suggestions.length === 0;
    input.setAttribute('aria-expanded', String(suggestions.length > 0));
    active = -1;
  };
  const ask = async () => {
    const text = input.value.trim();
    if (!text) { asked = ''; close(); return; }
    if (text === asked) return;
    asked = text;
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${input.dataset.suggest}?q=${encodeURIComponent(text)}`, {
        headers: { Accept: 'application/json' }, credentials: 'same-origin', signal: controller.signal,
      });
      if (!response.ok) return;
      const data = await response.json();
      if (input.value.trim() === data.q) show(data.suggestions || []);
    } catch (error) {
      // offline or aborted: the form still searches
    }
  };

  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(ask, DELAY_MS); });
  input.addEventListener('keydown', (event) => {
    const items = options();
    if (event.key === 'ArrowDown' && items.length) { event.preventDefault(); mark((active + 1) % items.length); }
    else if (event.key === 'ArrowUp' && items.length) { event.preventDefault(); mark((active - 1 + items.length) % items.length); }
    else if (event.key === 'Escape') { close(); }
    else if (event.key === 'Enter' && active >= 0 && items[active]) { event.preventDefault(); location.assign(items[active].href); }
  });
  document.addEventListener('click', (event) => { if (!form.contains(event.target)) close(); });
}

for (const input of document.querySelectorAll('input[data-suggest]')) setUp(input);
