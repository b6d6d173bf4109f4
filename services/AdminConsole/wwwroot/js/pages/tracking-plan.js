import { el, replace } from '../dom.js';
import { request } from '../api.js';
import { act } from '../ui.js';

const EXAMPLE = {
  events: {
    'Order Completed': {
      type: 'object',
      required: ['orderId', 'revenue'],
      properties: { orderId: { type: 'string' }, revenue: { type: 'number', minimum: 0 } },
    },
  },
};

/**
 * The plan as JSON: each event name (or call type, e.g. "identify") maps to the JSON Schema its properties must meet.
 * "Check" parses it here and has Ingestion validate it without saving; "Save" does both, then stores a new version.
 */
export function planEditor(planPath, plan, onSaved) {
  const text = el('textarea', {
    class: 'json', spellcheck: false, rows: 16,
    value: JSON.stringify(plan ? { events: plan.events } : EXAMPLE, null, 2),
    attrs: { name: 'trackingPlan', 'aria-label': 'Tracking plan JSON' },
  });
  const result = el('div', { class: 'plan-result' });
  const check = el('button', { attrs: { type: 'button' }, onclick: () => act(check, result, async () => {
    await validated(text.value, planPath);
    replace(result, el('p', { class: 'ok', attrs: { role: 'status' } }, 'The plan is valid.'));
  }) }, 'Check');
  const save = el('button', { class: 'primary', attrs: { type: 'button' }, onclick: () => act(save, result, async () => {
    const body = await validated(text.value, planPath);
    onSaved(await request('PUT', planPath, body));
  }) }, 'Save plan');
  return el('section', { class: 'plan' },
    el('p', {}, plan ? `Version ${plan.version}. ` : 'No plan yet: every event passes. ',
      'Events that break it are dead-lettered with their reasons, and can be replayed after a fix.'),
    text,
    el('div', { class: 'actions' }, check, save),
    result,
    el('details', {}, el('summary', {}, 'Plan format'),
      el('pre', {}, JSON.stringify(EXAMPLE, null, 2)),
      el('p', {}, 'Each schema is a JSON Schema (draft 4 to 2020-12) of the event\'s properties; a call type such as "identify" checks traits.')));
}

/** The plan's body when it parses, has the plan's shape and Ingestion accepts its schemas; otherwise throws with the reasons. */
async function validated(source, planPath) {
  let body;
  try {
    body = JSON.parse(source);
  } catch (error) {
    throw new PlanError([['', `Not JSON: ${error.message}`]]);
  }
  const problems = shapeProblems(body);
  if (problems.length) throw new PlanError(problems);
  await request('PUT', `${planPath}?dryRun=true`, body);
  return body;
}

function shapeProblems(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [['', 'The plan must be a JSON object.']];
  if (body.events === null || typeof body.events !== 'object' || Array.isArray(body.events)) return [['events', 'Give "events": an object of event name to JSON Schema.']];
  return Object.entries(body.events)
    .filter(([, schema]) => schema === null || typeof schema !== 'object' || Array.isArray(schema))
    .map(([name]) => [`events.${name}`, 'A schema must be a JSON object.']);
}

class PlanError extends Error {
  constructor(errors) {
    super('Nothing was saved.');
    this.title = 'The plan has errors';
    this.errors = errors;
  }
}
