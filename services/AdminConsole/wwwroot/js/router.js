// Pages by hash: #/sources/web → the 'sources' route with params ['web']. Each showing renders into a view of its
// own, so a slow page that finishes after the person has moved on writes into a view no longer shown. A page's render
// may return a function that stops what it started (a live stream, say); it runs when the next page is shown.
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

/** Shows the current page in a new view of main; a page that fails shows its error in its own view. */
export async function show(main, onError) {
  stop?.();
  stop = null;
  const { name, params } = current();
  const view = document.createElement('div');
  view.dataset.page = location.hash;
  view.append(Object.assign(document.createElement('p'), { className: 'hint', textContent: 'Loading…' }));
  main.replaceChildren(view);
  let result;
  try {
    result = await routes.get(name)(view, params);
  } catch (error) {
    onError(view, error);
  }
  if (typeof result === 'function') {
    if (view.isConnected) stop = result;
    else result();
  }
}
