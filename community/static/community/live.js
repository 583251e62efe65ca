// 直播答疑: the room's forms go over a websocket and new questions and answers appear without reloading.
// Without this file (or without a socket) every form posts and the page reloads: nothing here is needed to take part.
// No inline code, no pop-ups; what arrives is announced through the page's aria-live region.

const root = document.querySelector('[data-live-room]');
if (root) {
  const labels = root.dataset;
  const list = root.querySelector('[data-live-questions]');
  const announcer = root.querySelector('[data-live-announce]');
  const status = root.querySelector('[data-live-status]');
  const questionTemplate = root.querySelector('template[data-live-question-template]');
  const answerTemplate = root.querySelector('template[data-live-answer-template]');
  const me = labels.user ? Number(labels.user) : null;
  let rev = Number(labels.rev || 0);
  let socket = null;
  let delay = 1000;
  const pending = new Map(); // client_id -> {payload, form}: sent again after a reconnect (stored once anyway)

  const newId = () => (crypto.randomUUID ? crypto.randomUUID().replaceAll('-', '') : `${Date.now()}${Math.random()}`.replace('.', ''));
  const say = (text) => { announcer.textContent = ''; window.setTimeout(() => { announcer.textContent = text; }, 50); };
  const show = (text) => { status.textContent = text; };
  const open = () => socket && socket.readyState === WebSocket.OPEN;

  function retarget(node, id) {
    node.id = `m${id}`;
    node.dataset.messageId = String(id);
    for (const form of node.querySelectorAll('form')) form.action = form.action.replace('/questions/0/', `/questions/${id}/`);
    for (const field of node.querySelectorAll('[id$="-0"]')) field.id = field.id.replace(/-0$/, `-${id}`);
    for (const label of node.querySelectorAll('label[for$="-0"]')) label.htmlFor = label.htmlFor.replace(/-0$/, `-${id}`);
  }

  function questionState(node, m) {
    node.querySelector('[data-votes]').textContent = String(m.votes || 0);
    const answered = node.querySelector('[data-answered-label]');
    if (answered) answered.hidden = !m.answered;
    node.classList.toggle('live-answered', Boolean(m.answered));
    const held = node.querySelector('[data-held-label]');
    if (held) held.hidden = !m.held;
    const hidden = node.querySelector('[data-hidden-label]');
    if (hidden) hidden.hidden = !m.hidden;
    const mark = node.querySelector('[data-live-mark]');
    if (mark) mark.hidden = Boolean(m.answered);
  }

  function onMessage(m) {
    if (typeof m.rev === 'number' && m.rev > rev) rev = m.rev;
    const existing = document.getElementById(`m${m.id}`);
    if (m.hidden && !m.text) { if (existing) existing.remove(); return; }
    if (m.kind === 'question') {
      if (existing) { questionState(existing, m); return; }
      if (!questionTemplate) return;
      const node = questionTemplate.content.firstElementChild.cloneNode(true);
      retarget(node, m.id);
      node.querySelector('[data-text]').textContent = m.text;
      node.querySelector('[data-author]').textContent = m.author || labels.lLearner;
      node.querySelector('[data-time]').textContent = m.time || '';
      const vote = node.querySelector('[data-live-vote]');
      if (vote && me !== null && m.author_id === me) vote.hidden = true;
      questionState(node, m);
      list.append(node);
      const empty = root.querySelector('[data-live-empty]');
      if (empty) empty.hidden = true;
      say(labels.lNewQuestion + m.text);
    } else if (m.kind === 'answer') {
      if (existing || !answerTemplate) return;
      const question = document.getElementById(`m${m.question}`);
      if (!question) return;
      const node = answerTemplate.content.firstElementChild.cloneNode(true);
      node.id = `m${m.id}`;
      node.dataset.messageId = String(m.id);
      node.querySelector('[data-text]').textContent = m.text;
      node.querySelector('[data-time]').textContent = m.time || '';
      question.querySelector('[data-answers]').append(node);
      say(labels.lNewAnswer + m.text);
    }
  }

  function closed() {
    root.dataset.liveEnded = '1';
    for (const form of root.querySelectorAll('form')) form.hidden = true;
    show(labels.lClosed);
    say(labels.lClosed);
  }

  function send(payload, form) {
    if (payload.client_id) pending.set(payload.client_id, { payload, form });
    socket.send(JSON.stringify(payload));
  }

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}${labels.socket}`);
    socket.addEventListener('open', () => {
      delay = 1000;
      root.dataset.liveConnected = '1';
      show(labels.lOnline);
      socket.send(JSON.stringify({ type: 'resume', after: rev }));
      for (const { payload } of pending.values()) socket.send(JSON.stringify(payload));
    });
    socket.addEventListener('message', (event) => {
      let data;
      try { data = JSON.parse(event.data); } catch { return; }
      if (data.type === 'message') onMessage(data);
      else if (data.type === 'room' && data.closed) closed();
      else if (data.type === 'ack') {
        const sent = pending.get(data.client_id);
        pending.delete(data.client_id);
        if (sent && sent.form) {
          const text = sent.form.querySelector('textarea');
          if (text) text.value = '';
        }
        show(labels.lSent);
      } else if (data.type === 'error') {
        if (data.client_id) pending.delete(data.client_id);
        show(data.message);
        say(data.message);
      }
    });
    socket.addEventListener('close', () => {
      root.dataset.liveConnected = '';
      if (root.dataset.liveEnded) return;
      show(labels.lOffline);
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    });
  }

  // The forms: over the socket when it is open, as a normal post (and reload) when it is not.
  root.addEventListener('submit', (event) => {
    if (!open()) return;
    const form = event.target;
    const question = form.closest('[data-message-id]');
    const id = question ? Number(question.dataset.messageId) : null;
    const text = form.querySelector('textarea');
    if (form.matches('[data-live-ask]')) {
      event.preventDefault();
      send({ type: 'ask', client_id: newId(), text: text.value }, form);
    } else if (form.matches('[data-live-answer]')) {
      event.preventDefault();
      send({ type: 'answer', question: id, client_id: newId(), text: text.value }, form);
    } else if (form.matches('[data-live-vote]')) {
      event.preventDefault();
      form.hidden = true;
      socket.send(JSON.stringify({ type: 'vote', question: id }));
    } else if (form.matches('[data-live-mark]')) {
      event.preventDefault();
      socket.send(JSON.stringify({ type: 'mark', question: id }));
    }
  });

  if ('WebSocket' in window) connect();
}
