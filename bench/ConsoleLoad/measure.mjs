// How long each page of the admin console takes to show in Chromium and Firefox, on the platform ./run.sh started:
// from the hash change to the page's title (its data loaded and drawn), five times each; prints median and worst; and
// a cold load of the console (a new page: scripts, session, overview).
// node measure.mjs [console-url] [admin-token]   (defaults: http://127.0.0.1:5500, demo-admin-token)
import puppeteer from 'puppeteer-core';

const [base = 'http://127.0.0.1:5500', token = 'demo-admin-token'] = process.argv.slice(2);
const pages = ['overview', 'sources', 'debugger/default', 'profiles/demo-user-000', 'segments', 'segments/cart-abandoners', 'segments/new', 'discovery', 'models',
  'journeys', 'journeys/cart-abandonment'];
const browsers = {
  chromium: { browser: 'chrome', executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'] },
  firefox: { browser: 'firefox', executablePath: '/usr/bin/firefox-esr' },
};

for (const [name, options] of Object.entries(browsers)) {
  const browser = await puppeteer.launch({ ...options, headless: true });
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 850 });
  await page.goto(`${base}/`);
  await page.waitForSelector('input[name=token]');
  await page.type('input[name=token]', token);
  await page.click('button[type=submit]');
  await page.waitForSelector('#who button');
  console.log(`\n${name} ${await browser.version()}`);
  const cold = await browser.newPage();
  const coldStart = performance.now();
  await cold.goto(`${base}/#/overview`);
  await cold.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Overview');
  console.log(`  cold load of the overview    ${(performance.now() - coldStart).toFixed(0).padStart(4)} ms`);
  await cold.close();
  for (const hash of pages) {
    const times = [];
    for (let run = 0; run < 5; run++) {
      await page.goto(`${base}/#/blank`);
      const started = performance.now();
      await page.evaluate((h) => { location.hash = h; }, `#/${hash}`);
      await page.waitForFunction((h) => document.querySelector('main > div')?.dataset.page === h && document.querySelector('main h1'), {}, `#/${hash}`);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`  ${hash.padEnd(28)} median ${times[2].toFixed(0).padStart(4)} ms   worst ${times[4].toFixed(0).padStart(4)} ms`);
  }
  await browser.close();
}
