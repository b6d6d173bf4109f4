// Pages by hash: #/sources/web → the 'sources' route with params ['web']. A page's render may return a function
// that stops what it started (a live stream, say); it runs when the next page is shown.
const routes = new Map();
let stop = null;

export function route(name, render) {
  routes.set(name, render);
}

export function current() {
  const [name = '', ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return { name: routes.has(name) ? name : routes.keys().next().value, params };
}

export const link = (...parts) => '#/' + parts.map(encodeURIComponent).join('/');

export async function show(main) {
  stop?.();
  stop = null;
  const { name, params } = current();
  const result = await routes.get(name)(main, params);
  if (typeof result === 'function') stop = result;
  return name;
}
