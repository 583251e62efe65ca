// 汴学 progressive enhancement. Every page works without this file; it only adds comfort.
// Loaded as an ES module (deferred, same origin). No dependencies, no network requests.

// 1. Form error summary: move focus to it so screen readers announce the errors.
const summary = document.querySelector('.alert-error[tabindex="-1"]');
if (summary) summary.focus();

// 2. In-page tabs: <div data-tabs><ul class="tabs-nav"><li><a href="#panel-1">…</a>… + <section id="panel-1">.
//    Without JS they are a list of in-page links; with JS they become ARIA tabs with arrow keys.
for (const root of document.querySelectorAll('[data-tabs]')) {
  const links = [...root.querySelectorAll('.tabs-nav a[href^="#"]')];
  const panels = links.map((a) => document.getElementById(a.hash.slice(1))).filter(Boolean);
  if (!links.length || panels.length !== links.length) continue;
  const list = root.querySelector('.tabs-nav');
  list.setAttribute('role', 'tablist');
  const select = (index, focus) => {
    links.forEach((a, i) => {
      const on = i === index;
      a.setAttribute('aria-selected', String(on));
      a.tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
    });
    if (focus) links[index].focus();
  };
  links.forEach((a, i) => {
    a.parentElement.setAttribute('role', 'presentation');
    a.setAttribute('role', 'tab');
    a.id ||= `${panels[i].id}-tab`;
    a.setAttribute('aria-controls', panels[i].id);
    panels[i].setAttribute('role', 'tabpanel');
    panels[i].setAttribute('aria-labelledby', a.id);
    a.addEventListener('click', (event) => { event.preventDefault(); select(i, false); });
    a.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      if (step) { event.preventDefault(); select((i + step + links.length) % links.length, true); }
      if (event.key === 'Home') { event.preventDefault(); select(0, true); }
      if (event.key === 'End') { event.preventDefault(); select(links.length - 1, true); }
    });
  });
  const initial = Math.max(0, links.findIndex((a) => a.hash === location.hash));
  select(initial, false);
}

// 3. Buttons that submit a form are disabled for a moment after a click, so a double tap
//    (common on touch screens and for elderly users) does not send the form twice.
document.addEventListener('submit', (event) => {
  const button = event.submitter;
  if (button && !button.hasAttribute('data-allow-repeat')) {
    setTimeout(() => { button.disabled = true; }, 0);
    setTimeout(() => { button.disabled = false; }, 4000);
  }
});

// Bell: the header's notification count updates live over the user's own websocket (given by the page in
// data-socket); a new notice is announced to screen readers. Without JavaScript the count shows on each page.
const bell = document.querySelector('[data-bell][data-socket]');
if (bell && 'WebSocket' in window) {
  const count = bell.querySelector('[data-bell-count]');
  const announce = document.querySelector('[data-bell-announce]');
  let wait = 2000;
  const listen = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}${bell.dataset.socket}`);
    socket.addEventListener('open', () => { wait = 2000; bell.dataset.bellConnected = '1'; });
    socket.addEventListener('message', (event) => {
      let data;
      try { data = JSON.parse(event.data); } catch { return; }
      if (data.type !== 'bell') return;
      count.textContent = String(data.unread);
      count.hidden = !data.unread;
      if (data.title && announce) { announce.textContent = ''; window.setTimeout(() => { announce.textContent = bell.dataset.lNew + data.title; }, 50); }
    });
    socket.addEventListener('close', (event) => {
      bell.dataset.bellConnected = '';
      if (event.code === 4401) return; // signed out: nothing to listen to
      window.setTimeout(listen, wait);
      wait = Math.min(wait * 2, 60000);
    });
  };
  listen();
}
