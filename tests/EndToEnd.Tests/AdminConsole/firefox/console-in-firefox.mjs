// Walks the admin console in Firefox as a person would: signs in, opens every page, and watches the live debugger
// receive an event sent meanwhile. Prints one JSON line of what it saw; the NUnit test judges it.
// Settings: CONSOLE_URL, ADMIN_TOKEN, FIREFOX_PATH, INGESTION_URL, WRITE_KEY, SOURCE_ID.
import puppeteer from 'puppeteer-core';

const env = (name) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
const base = env('CONSOLE_URL').replace(/\/$/, '');
const pages = ['overview', 'sources', `sources/${env('SOURCE_ID')}`, 'profiles', 'segments', 'segments/new', 'discovery', 'models', 'journeys'];
const seen = { browser: '', pages: {}, debugger: null, pageErrors: [] };

const browser = await puppeteer.launch({ browser: 'firefox', executablePath: env('FIREFOX_PATH'), headless: true });
try {
  seen.browser = await browser.version();
  const page = await browser.newPage();
  await page.setViewport({ width: 1366, height: 850 });
  page.on('pageerror', (error) => seen.pageErrors.push(error.message));
  await page.goto(`${base}/`);
  await page.waitForSelector('input[name=token]');
  await page.type('input[name=token]', env('ADMIN_TOKEN'));
  await page.click('button[type=submit]');
  await page.waitForSelector('#who button');

  for (const hash of pages) {
    await page.goto(`${base}/#/${hash}`);
    try {
      // A page is shown when its title is up; an error box means it could not load.
      await page.waitForFunction(() => document.querySelector('main h1') || document.querySelector('main .error'), { timeout: 15000 });
      seen.pages[hash] = await page.evaluate(() => document.querySelector('main .error')?.textContent ?? `ok: ${document.querySelector('main h1').textContent}`);
    } catch (error) {
      seen.pages[hash] = `not shown: ${error.message}`;
    }
  }

  await page.goto(`${base}/#/debugger/${encodeURIComponent(env('SOURCE_ID'))}`);
  await page.waitForFunction(() => document.querySelector('.stream-status')?.textContent === 'live', { timeout: 15000 });
  const name = `Firefox Check ${Date.now()}`;
  const sent = await fetch(`${env('INGESTION_URL').replace(/\/$/, '')}/v1/track`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`${env('WRITE_KEY')}:`).toString('base64')}` },
    body: JSON.stringify({ type: 'track', event: name, userId: 'firefox-user' }),
  });
  seen.debugger = { sent: sent.status };
  await page.waitForFunction((expected) => [...document.querySelectorAll('.entry.stored .event-name')].some((e) => e.textContent === expected), { timeout: 15000 }, name);
  seen.debugger.shown = true;
} catch (error) {
  seen.failure = error.message;
} finally {
  await browser.close();
  console.log(JSON.stringify(seen));
}
