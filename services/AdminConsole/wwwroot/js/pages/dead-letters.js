import { el, replace, table, formatTime } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { act } from '../ui.js';

/** The source's dead letters waiting for a replay, with their reasons; replays the ones ticked. */
export async function deadLetters(section, sourceId) {
  const letters = await request('GET', tenantPath('ingestion', tenant(), `/dead-letters?sourceId=${encodeURIComponent(sourceId)}&limit=200`));
  const ticks = new Map();
  const result = el('div');
  const replay = el('button', { class: 'primary', attrs: { type: 'button' }, onclick: () => act(replay, result, async () => {
    const ids = [...ticks].filter(([, box]) => box.checked).map(([id]) => id);
    if (ids.length === 0) throw Object.assign(new Error('Tick the dead letters to replay first.'), { title: 'Nothing selected' });
    const outcome = await request('POST', tenantPath('ingestion', tenant(), '/dead-letters/replay'), { ids });
    await deadLetters(section, sourceId);
    section.append(el('p', { class: 'ok', attrs: { role: 'status' } },
      `Replayed ${outcome.replayed}: ${outcome.stored} stored, ${outcome.duplicates} duplicates, ${outcome.stillFailing} still failing.`));
  }) }, 'Replay selected');

  const rows = letters.map((d) => {
    const box = el('input', { attrs: { type: 'checkbox', 'aria-label': `Select dead letter ${d.messageId ?? d.id}` } });
    ticks.set(d.id, box);
    return { cells: [box, formatTime(d.receivedAt), d.kind, d.type === 'track' ? d.name ?? '' : d.type ?? '', el('ul', {}, d.reasons.map((r) => el('li', {}, r)))] };
  });
  replace(section,
    el('h2', {}, `Dead letters (${letters.length})`),
    letters.length ? [table(['', 'Received', 'Kind', 'Event', 'Reasons'], rows), el('div', { class: 'actions' }, replay)] : el('p', { class: 'empty' }, 'None waiting.'),
    result);
}
