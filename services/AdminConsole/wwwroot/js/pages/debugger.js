import { el, replace, formatTime } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { pageTitle } from '../ui.js';
import { deadLetters } from './dead-letters.js';

const MAX_SHOWN = 500;
const KIND_LABELS = { stored: 'stored', duplicate: 'duplicate', deadLettered: 'dead-lettered' };
const FLAG_LABELS = { knownBot: 'bot', burst: 'burst', noConsent: 'no consent' };

/** A source's messages as they arrive (server-sent events from Ingestion), and its dead letters with replay. */
export async function renderDebugger(main, [sourceId]) {
  const sources = await request('GET', tenantPath('ingestion', tenant(), '/sources'));
  // Write keys set in configuration (Ingestion__WriteKeys) send as the source "default", which has no document of its own.
  const known = [...new Set([...sources.map((s) => s.sourceId), 'default'])];
  const chosen = sourceId ?? known[0];
  const choices = el('datalist', { id: 'known-sources' }, known.map((id) => el('option', { value: id })));
  const picker = el('input', { value: chosen, attrs: { 'aria-label': 'Source', name: 'source', list: 'known-sources', size: 16 },
    onchange: () => { location.hash = link('debugger', picker.value.trim()); } });

  const status = el('span', { class: 'stream-status', attrs: { role: 'status' } }, 'connecting…');
  const list = el('ol', { class: 'live-list', attrs: { 'aria-label': 'Live events' } });
  const shown = new Set();
  let paused = false;
  const pause = el('button', { attrs: { type: 'button' }, onclick: () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
  } }, 'Pause');
  const stream = new EventSource(tenantPath('ingestion', tenant(), `/sources/${encodeURIComponent(chosen)}/live`));
  stream.addEventListener('open', () => replace(status, 'live'));
  stream.addEventListener('error', () => replace(status, stream.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting…'));
  stream.addEventListener('entry', (message) => {
    const entry = JSON.parse(message.data);
    if (paused || shown.has(entry.key)) return;
    shown.add(entry.key);
    list.prepend(entryView(entry));
    while (list.childElementCount > MAX_SHOWN) list.lastElementChild.remove();
  });

  const letters = el('section', { class: 'dead-letters' });
  replace(main,
    pageTitle('Live events', el('label', {}, 'Source ', picker, choices), status, pause),
    el('p', { class: 'hint' }, 'Newest first. Each message shows what became of it; open one for its payload as sent.'),
    list,
    letters);
  await deadLetters(letters, chosen);
  return () => stream.close();
}

function entryView(entry) {
  const what = entry.type === 'track' ? entry.name : entry.type;
  return el('li', { class: `entry ${entry.kind}` },
    el('details', {},
      el('summary', {},
        el('time', { attrs: { datetime: entry.receivedAt } }, formatTime(entry.receivedAt)), ' ',
        el('span', { class: `badge ${entry.kind}` }, KIND_LABELS[entry.kind] ?? entry.kind), ' ',
        el('strong', { class: 'event-name' }, what ?? ''), ' ',
        el('span', { class: 'who' }, entry.userId ?? entry.anonymousId ?? ''), ' ',
        entry.flags.map((f) => el('span', { class: 'badge flag' }, FLAG_LABELS[f] ?? f))),
      el('dl', {},
        el('dt', {}, 'Message id'), el('dd', {}, el('code', {}, entry.messageId ?? '')),
        el('dt', {}, 'Dedup'), el('dd', {}, dedupText(entry)),
        entry.sequence && entry.kind === 'stored' ? [el('dt', {}, 'Log sequence'), el('dd', {}, String(entry.sequence))] : null,
        entry.reasons ? [el('dt', {}, 'Reasons'), el('dd', {}, el('ul', {}, entry.reasons.map((r) => el('li', {}, r))))] : null),
      entry.payload ? el('pre', { class: 'payload' }, JSON.stringify(entry.payload, null, 2)) : el('p', { class: 'hint' }, 'The payload of a duplicate is the stored original\'s.')));
}

function dedupText(entry) {
  if (entry.kind === 'duplicate') return 'Duplicate: this message id was stored before, so it was skipped.';
  if (entry.kind === 'stored') return 'New: first time this message id was stored.';
  return 'Not stored: dead-lettered.';
}
