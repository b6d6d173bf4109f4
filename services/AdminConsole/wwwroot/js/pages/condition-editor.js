import { el, replace } from '../dom.js';

// An editor for the segment grammar's condition tree (services/Segmentation/README.md, "Conditions"): each node
// a card whose kind can change, groups holding any number of children. value() gives the condition as JSON.

const KINDS = [
  ['and', 'All of'], ['or', 'Any of'], ['not', 'Not'], ['performed', 'Performed an event'], ['sequence', 'Did A, then not B'],
  ['trait', 'Trait'], ['profile', 'Profile field'], ['segment', 'In segment'], ['firstSeen', 'First seen within'], ['lastSeen', 'Last seen within'], ['raw', 'JSON'],
];
const OPERATORS = ['equals', 'notEquals', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'contains', 'before', 'after'];
const PROFILE_FIELDS = ['eventCount', 'sessionCount', 'cartValue', 'cartItems', 'frequency', 'monetary', 'recency', 'daysSinceFirstSeen', 'daysSinceLastSeen',
  'lastDevice', 'lastOs', 'country', 'city', 'locale', 'timeZone', 'referrer', 'firstSeen', 'lastSeen', 'lastPurchaseAt'];

const input = (label, value, attrs = {}) => {
  const field = el('input', { value: value ?? '', attrs: { 'aria-label': label, ...attrs } });
  return [field, el('label', {}, label, ' ', field)];
};
const select = (label, options, chosen) => {
  const field = el('select', { attrs: { 'aria-label': label } }, options.map(([value, text]) => el('option', { value, selected: value === chosen }, text)));
  return [field, el('label', {}, label, ' ', field)];
};

/** A typed operand: numbers and booleans as such, [..] as a list; anything else is text. */
function operand(text, operator) {
  const t = text.trim();
  if (operator === 'exists') return t !== 'false';
  if (operator === 'in') return t.startsWith('[') ? JSON.parse(t) : t.split(',').map((s) => s.trim()).filter(Boolean);
  if (t !== '' && !Number.isNaN(Number(t)) && !['before', 'after'].includes(operator)) return Number(t);
  return t;
}

const kindOf = (c) => {
  if (!c || typeof c !== 'object') return 'and';
  if (c.performed !== undefined) return c.notFollowedBy !== undefined ? 'sequence' : 'performed';
  return KINDS.map(([k]) => k).find((k) => k in c) ?? 'raw';
};

/** A node of the tree: its card, and value() for its condition. */
export function conditionNode(condition, segments, onRemove) {
  const card = el('div', { class: 'condition' });
  let kind = kindOf(condition);
  let body = { value: () => ({}) };
  const [kindSelect, kindLabel] = select('Condition', KINDS, kind);
  kindSelect.addEventListener('change', () => {
    kind = kindSelect.value;
    body = bodyFor(kind, {}, segments);
    replace(slot, body.element);
  });
  const slot = el('div', { class: 'condition-body' });
  body = bodyFor(kind, condition ?? {}, segments);
  slot.append(body.element);
  card.append(el('div', { class: 'condition-head' }, kindLabel,
    onRemove ? el('button', { class: 'link-danger', attrs: { type: 'button', 'aria-label': 'Remove condition' }, onclick: () => { card.remove(); onRemove(); } }, 'Remove') : null),
  slot);
  return { element: card, value: () => body.value() };
}

function bodyFor(kind, c, segments) {
  switch (kind) {
    case 'and':
    case 'or': return group(kind, c[kind] ?? [], segments);
    case 'not': {
      const child = conditionNode(c.not ?? { performed: '' }, segments);
      return { element: child.element, value: () => ({ not: child.value() }) };
    }
    case 'performed': {
      const [event, eventLabel] = input('Event', c.performed, { placeholder: 'Product Viewed' });
      const [atLeast, atLeastLabel] = input('At least', c.atLeast, { type: 'number', min: 1, size: 4 });
      const [within, withinLabel] = input('Within', c.within, { placeholder: '7d', size: 6 });
      const [where, whereLabel] = input('Where (JSON)', c.where ? JSON.stringify(c.where) : '', { placeholder: '{"price": {"gte": 50}}', size: 24 });
      return {
        element: el('div', {}, eventLabel, atLeastLabel, withinLabel, whereLabel),
        value: () => ({
          performed: event.value.trim(),
          ...(atLeast.value ? { atLeast: Number(atLeast.value) } : {}),
          ...(within.value.trim() ? { within: within.value.trim() } : {}),
          ...(where.value.trim() ? { where: JSON.parse(where.value) } : {}),
        }),
      };
    }
    case 'sequence': {
      const [first, firstLabel] = input('Did', c.performed, { placeholder: 'Product Added' });
      const [then, thenLabel] = input('Then not', typeof c.notFollowedBy === 'string' ? c.notFollowedBy : c.notFollowedBy?.performed, { placeholder: 'Order Completed' });
      const [within, withinLabel] = input('Within', c.within, { placeholder: '24h', size: 6 });
      return {
        element: el('div', {}, firstLabel, thenLabel, withinLabel),
        value: () => ({ performed: first.value.trim(), notFollowedBy: then.value.trim(), within: within.value.trim() }),
      };
    }
    case 'trait':
    case 'profile': {
      const operator = OPERATORS.find((o) => o in c) ?? 'equals';
      const [name, nameLabel] = kind === 'trait'
        ? input('Trait', c.trait, { placeholder: 'plan' })
        : select('Field', PROFILE_FIELDS.map((f) => [f, f]), c.profile ?? 'cartValue');
      const [op, opLabel] = select('Operator', OPERATORS.map((o) => [o, o]), operator);
      const [value, valueLabel] = input('Value', c[operator] === undefined ? '' : typeof c[operator] === 'string' ? c[operator] : JSON.stringify(c[operator]), { size: 14 });
      return {
        element: el('div', {}, nameLabel, opLabel, valueLabel),
        value: () => ({ [kind]: name.value.trim(), [op.value]: operand(value.value, op.value) }),
      };
    }
    case 'segment': {
      const [id, idLabel] = select('Segment', segments.map((s) => [s.id, `${s.name} (${s.id})`]), c.segment);
      return { element: el('div', {}, idLabel), value: () => ({ segment: id.value }) };
    }
    case 'firstSeen':
    case 'lastSeen': {
      const [within, withinLabel] = input('Within', c[kind]?.within, { placeholder: '7d', size: 6 });
      return { element: el('div', {}, withinLabel), value: () => ({ [kind]: { within: within.value.trim() } }) };
    }
    default: {
      const text = el('textarea', { class: 'json', rows: 3, value: JSON.stringify(c, null, 1), attrs: { 'aria-label': 'Condition JSON' } });
      return { element: text, value: () => JSON.parse(text.value) };
    }
  }
}

function group(kind, children, segments) {
  const list = el('div', { class: 'condition-children' });
  const nodes = [];
  const add = (condition) => {
    const node = conditionNode(condition, segments, () => nodes.splice(nodes.indexOf(node), 1));
    nodes.push(node);
    list.append(node.element);
  };
  children.forEach(add);
  return {
    element: el('div', {}, list, el('button', { class: 'add', attrs: { type: 'button' }, onclick: () => add({ performed: '' }) }, '+ Add condition')),
    value: () => ({ [kind]: nodes.map((n) => n.value()) }),
  };
}
