import { el, replace } from './dom.js';
import { loadSession, signOut } from './api.js';
import { initTenant, setTenant, tenant } from './tenant.js';
import { route, show, link, current } from './router.js';
import { errorBox } from './ui.js';
import { renderSignIn } from './pages/signin.js';
import { renderSources } from './pages/sources.js';
import { renderSource } from './pages/source.js';
import { renderDebugger } from './pages/debugger.js';
import { renderJourneys } from './pages/journeys.js';
import { renderJourney } from './pages/journey.js';
import { renderModels } from './pages/models.js';
import { renderSegments } from './pages/segments.js';
import { renderSegment } from './pages/segment.js';
import { renderSegmentBuilder } from './pages/segment-builder.js';
import { renderDiscovery } from './pages/discovery.js';
import { renderProfileSearch } from './pages/profiles.js';
import { renderOverview } from './pages/overview.js';
import { renderProfile } from './pages/profile.js';
import { renderExperiment } from './pages/experiment.js';

// Pages reached from another's, highlighted under it.
const SECTIONS = { discovery: 'segments', experiments: 'models' };
const PAGES = [['overview', 'Overview'], ['sources', 'Sources'], ['debugger', 'Live events'], ['profiles', 'Profiles'], ['segments', 'Segments'], ['models', 'Models'], ['journeys', 'Journeys']];
route('overview', (main) => renderOverview(main));
route('sources', (main, [id]) => (id ? renderSource(main, id) : renderSources(main)));
route('debugger', renderDebugger);
route('segments', (main, [id, action]) => {
  if (id === 'new') return renderSegmentBuilder(main);
  if (id && action === 'edit') return renderSegmentBuilder(main, id);
  return id ? renderSegment(main, id) : renderSegments(main);
});
route('discovery', (main) => renderDiscovery(main));
route('profiles', (main, [id]) => (id ? renderProfile(main, id) : renderProfileSearch(main)));
route('models', (main) => renderModels(main));
route('experiments', (main, [id]) => (id ? renderExperiment(main, id) : renderModels(main)));
route('journeys', (main, [id]) => (id ? renderJourney(main, id) : renderJourneys(main)));

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

async function start() {
  const session = await loadSession();
  if (!session.signedIn) {
    replace(nav);
    replace(who);
    renderSignIn(main, session, start);
    return;
  }
  initTenant(session.defaultTenant);
  const tenantInput = el('input', { value: tenant(), attrs: { 'aria-label': 'Tenant', name: 'tenant', size: 14 } });
  tenantInput.addEventListener('change', () => {
    setTenant(tenantInput.value.trim());
    render();
  });
  replace(who, el('label', { class: 'tenant' }, 'Tenant ', tenantInput), ' ', el('span', { class: 'name' }, session.name), ' ',
    el('button', { class: 'link', attrs: { type: 'button' }, onclick: async () => { await signOut(); location.hash = ''; start(); } }, 'Sign out'));
  window.onhashchange = render;
  await render();
}

async function render() {
  const { name } = current();
  const section = SECTIONS[name] ?? name;
  replace(nav, PAGES.map(([id, label]) => el('a', { class: id === section ? 'active' : null, attrs: { href: link(id) } }, label)));
  await show(main, (view, error) => replace(view, errorBox(error)));
}

window.addEventListener('console:signed-out', () => start());
start().catch((error) => replace(main, errorBox(error)));
