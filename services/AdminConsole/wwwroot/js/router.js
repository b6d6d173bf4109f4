// Pages by hash: #/sources/web → the 'sources' route with params ['web'].
const routes = new Map();

export function route(name, render) {
  routes.set(name, render);
}

export function current() {
  const [name = '', ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return { name: routes.has(name) ? name : routes.keys().next().value, params };
}

export const link = (...parts) => '#/' + parts.map(encodeURIComponent).join('/');

export async function show(main) {
  const { name, params } = current();
  await routes.get(name)(main, params);
  return name;
}
