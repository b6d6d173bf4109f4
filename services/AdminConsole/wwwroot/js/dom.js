// Every element is built from data through text nodes and properties, never from HTML strings, so a value taken
// from an event or a profile shows as text whatever it holds.

const SAFE_HREF = /^(#|\/(?!\/)|https?:|blob:)/;

/**
 * el('button', { class: 'primary', onclick: save, attrs: { type: 'submit' } }, 'Save')
 * Strings and numbers among the children become text nodes; null, undefined and false are skipped; arrays are flattened.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'attrs') for (const [name, v] of Object.entries(value)) setAttribute(node, name, v);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node[key] = value;
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setAttribute(node, name, value) {
  if (value === undefined || value === null || value === false) return;
  if (/^on/i.test(name) || name === 'style') throw new Error(`refusing to set ${name}`);
  if ((name === 'href' || name === 'src') && !SAFE_HREF.test(String(value))) throw new Error(`refusing ${name} ${value}`);
  node.setAttribute(name, value === true ? '' : String(value));
}

/** Replaces a node's children. */
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

export const formatTime = (iso) => (iso ? new Date(iso).toLocaleString() : '');

/** A table with a header row; each row is an array of cells (text or nodes). */
export function table(headers, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { attrs: { scope: 'col' } }, h)))),
    el('tbody', {}, rows.map((row) => el('tr', {}, row.cells.map((c) => el('td', {}, c))))));
}
