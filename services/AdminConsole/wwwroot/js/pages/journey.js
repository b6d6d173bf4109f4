import { el, replace, table, formatTime } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { act, confirmDialog, pageTitle } from '../ui.js';

const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

/** One journey: its steps with their counts, its conversion against the holdout, its message log; publish and pause. */
export async function renderJourney(main, id, notice = null) {
  const path = (p = '') => tenantPath('triggers', tenant(), `/journeys/${encodeURIComponent(id)}${p}`);
  const [journey, stats, messages] = await Promise.all([
    request('GET', path()),
    request('GET', path('/stats')),
    request('GET', tenantPath('triggers', tenant(), `/messages?journeyId=${encodeURIComponent(id)}&limit=100`)),
  ]);
  const message = el('div', {}, notice);
  const again = (text) => renderJourney(main, id, el('p', { class: 'ok', attrs: { role: 'status' } }, text));
  const publish = el('button', { class: 'primary', attrs: { type: 'button' }, onclick: () => act(publish, message, async () => {
    await request('POST', path(`/publish?version=${journey.version}`));
    await again(`Version ${journey.version} published: new entries run it.`);
  }) }, `Publish version ${journey.version}`);
  const pause = el('button', { class: 'danger', attrs: { type: 'button' }, onclick: () => act(pause, message, async () => {
    if (!(await confirmDialog(`Pause ${journey.name}? It takes no new entries; people already in it finish.`, 'Pause'))) return;
    await request('POST', path('/pause'));
    await again('Paused: the journey takes no new entries.');
  }) }, 'Pause');
  const live = journey.status === 'live';

  replace(main,
    pageTitle(journey.name, el('span', { class: `badge state-${journey.status}` }, journey.status), el('a', { attrs: { href: link('journeys') } }, 'All journeys')),
    el('p', { class: 'hint' }, `Latest version ${journey.version}; ${journey.publishedVersion ? `version ${journey.publishedVersion} is published` : 'none published yet'}.`),
    el('div', { class: 'actions' }, live && journey.publishedVersion === journey.version ? null : publish, live ? pause : null),
    message,
    totals(stats),
    el('h2', {}, 'Steps'),
    stepFlow(journey.definition, stats),
    el('h2', {}, 'Message log'),
    messages.length
      ? table(['Queued', 'Person', 'Step', 'Channel', 'Template', 'Status', 'Sent', 'Opened', 'Clicked', 'Why'], messages.map((m) => ({
        cells: [formatTime(m.createdAt), m.userId, m.stepId, m.channel, m.templateId, m.status, formatTime(m.sentAt), formatTime(m.openedAt), formatTime(m.clickedAt),
          m.reason ?? m.lastError ?? ''],
      })))
      : el('p', { class: 'empty' }, 'No messages yet.'));
}

function totals(stats) {
  const tile = (label, value, hint) => el('div', { class: 'tile' }, el('span', { class: 'tile-value' }, value), el('span', { class: 'tile-label' }, label), hint ? el('span', { class: 'hint' }, hint) : null);
  return el('div', { class: 'tiles', attrs: { 'aria-label': 'Journey totals' } },
    tile('entered', String(stats.entered)),
    tile('waiting', String(stats.waiting)),
    tile('completed', String(stats.completed)),
    tile('converted (exited on the goal)', String(stats.exited)),
    tile('conversion', percent(stats.treatment.conversionRate), `holdout ${percent(stats.holdout.conversionRate)} of ${stats.holdout.entered}`),
    tile('lift', stats.lift === null ? '—' : percent(stats.lift)));
}

/** The steps in order, each with what it does and its counts; skipped counts by reason. */
function stepFlow(definition, stats) {
  const counts = new Map(stats.steps.map((s) => [s.stepId, s]));
  const steps = definition.steps ?? [];
  return el('ol', { class: 'step-flow', attrs: { 'aria-label': 'Journey steps' } },
    el('li', { class: 'step entry' }, el('strong', {}, 'Entry'), el('span', {}, describe(definition.entry)), el('span', { class: 'count' }, `${stats.entered} entered`)),
    steps.map((step) => {
      const c = counts.get(step.id);
      const numbers = c ? [
        ['waiting', c.waiting], ['queued', c.queued], ['sent', c.sent], ['withheld', c.withheld], ['deferred', c.deferred], ['opened', c.opened], ['clicked', c.clicked],
      ].filter(([, n]) => n > 0) : [];
      const skipped = c ? Object.entries(c.skipped) : [];
      return el('li', { class: 'step', dataset: { step: step.id } },
        el('strong', {}, step.id), el('span', {}, describe(step)),
        el('span', { class: 'count' }, numbers.length ? numbers.map(([label, n]) => `${n} ${label}`).join(' · ') : 'nobody yet'),
        skipped.length ? el('ul', { class: 'skipped' }, skipped.map(([reason, n]) => el('li', {}, `${n} skipped: ${reason}`))) : null);
    }));
}

function describe(part) {
  if (!part) return '';
  if (part.wait) return `wait ${part.wait}`;
  if (part.send) return `send ${part.send.channel} "${part.send.template}"`;
  if (part.event) return `on event "${part.event}"`;
  if (part.segment) return `on entering segment "${part.segment}"`;
  return Object.keys(part).filter((k) => k !== 'id').join(', ');
}
