import { el, replace, table, formatTime } from '../dom.js';
import { request, tenantPath } from '../api.js';
import { tenant } from '../tenant.js';
import { link } from '../router.js';
import { act, confirmDialog, pageTitle } from '../ui.js';
import { barChart } from '../charts.js';

const METRICS = [['ndcg', 'NDCG@k'], ['precision', 'Precision'], ['recall', 'Recall'], ['coverage', 'Coverage']];
const fixed = (v, digits = 4) => (typeof v === 'number' ? v.toFixed(digits) : '—');

/** Model versions with their held-out metrics and training time; train, activate, roll back; scenarios and experiments. */
export async function renderModels(main, notice = null) {
  const path = (p) => tenantPath('recommendation', tenant(), p);
  const [models, scenarios, experiments] = await Promise.all([request('GET', path('/models')), request('GET', path('/scenarios')), request('GET', path('/experiments'))]);
  const message = el('div', {}, notice);
  const again = (text) => renderModels(main, el('p', { class: 'ok', attrs: { role: 'status' } }, text));
  const activate = (version, label, question) => {
    const button = el('button', { class: label === 'Activate' ? null : 'danger', attrs: { type: 'button' }, onclick: () => act(button, message, async () => {
      if (!(await confirmDialog(question, label))) return;
      await request('POST', path(`/models/${version}/activate`));
      await again(`Version ${version} is now served.`);
    }) }, label);
    return button;
  };
  const train = el('button', { class: 'primary', attrs: { type: 'button' }, onclick: () => act(train, message, async () => {
    const job = await request('POST', path('/models/train'));
    replace(message, el('p', { attrs: { role: 'status' } }, `Training job ${job.jobId} is ${job.state}; reload to see the new version when it has finished.`));
  }) }, 'Train now');

  const versions = [...models.versions].sort((a, b) => b.version - a.version);
  const rows = versions.map((v) => {
    const active = v.version === models.activeVersion;
    const action = active ? el('span', { class: 'badge state-live' }, 'active')
      : v.version === models.previousVersion ? activate(v.version, 'Roll back', `Roll back to version ${v.version}? Recommendations switch at once.`)
        : activate(v.version, 'Activate', `Serve version ${v.version} instead of ${models.activeVersion ?? 'none'}?`);
    return {
      cells: [String(v.version), formatTime(v.createdAt), v.algorithm, `${formatTime(v.summary.dataFrom)} – ${formatTime(v.summary.dataTo)}`,
        `${v.summary.interactions} / ${v.summary.users} / ${v.summary.items}`,
        ...METRICS.map(([key]) => fixed(v.summary.metrics[key])),
        v.summary.trainingSeconds === null || v.summary.trainingSeconds === undefined ? '—' : `${v.summary.trainingSeconds.toFixed(1)} s`, action],
    };
  });

  replace(main,
    pageTitle('Models', train),
    el('p', { class: 'hint' }, models.activeVersion
      ? `Serving version ${models.activeVersion} since ${formatTime(models.activatedAt)}${models.previousVersion ? `; before it, version ${models.previousVersion}` : ''}.`
      : 'No version is served yet.'),
    message,
    versions.length
      ? [table(['Version', 'Trained', 'Algorithm', 'Data', 'Interactions / users / items', ...METRICS.map(([, label]) => label), 'Training time', ''], rows),
        el('figure', {}, barChart('Held-out NDCG by version', versions.slice(0, 12).reverse().map((v) => ({ label: `v${v.version}`, value: v.summary.metrics.ndcg ?? 0 })),
          (x) => x.toFixed(3)), el('figcaption', {}, 'Held-out NDCG of each version (a temporal hold-out of its data\'s end).'))]
      : el('p', { class: 'empty' }, 'No model versions yet: train one.'),
    el('h2', {}, 'Scenarios'),
    scenarios.length
      ? table(['Scenario', 'Rules'], scenarios.map((s) => ({ cells: [s.name, el('code', {}, JSON.stringify(s.definition ?? s))] })))
      : el('p', { class: 'empty' }, 'No scenarios.'),
    el('h2', {}, 'Experiments'),
    experiments.length
      ? table(['Experiment', 'On', 'Variants', 'State', 'Created'], experiments.map((x) => ({
        cells: [el('a', { attrs: { href: link('experiments', x.id) } }, x.id), x.definition.scenario ? `scenario ${x.definition.scenario}` : `placement ${x.definition.placement}`,
          x.definition.variants.map((v) => v.name).join(', '), x.state, formatTime(x.createdAt)],
      })))
      : el('p', { class: 'empty' }, 'No experiments.'));
}
