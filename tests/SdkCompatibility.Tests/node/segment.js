'use strict';

// Drives the unmodified @segment/analytics-node SDK against SDK_HOST with write key SDK_WRITE_KEY, makes every
// call in calls.js, closes the client the documented way (closeAndFlush), and prints one JSON line: the
// messages the SDK reports delivered (from each call's callback), every failure, and every HTTP status it saw.
const fs = require('fs');
const path = require('path');
const { Analytics } = require('@segment/analytics-node');
const { plan, summary, report, setting } = require('./calls');

async function main() {
  const httpRequestTimeout = Number(setting('SDK_HTTP_TIMEOUT_MS', '0'));
  const client = new Analytics({
    writeKey: setting('SDK_WRITE_KEY'),
    host: setting('SDK_HOST'),
    ...(httpRequestTimeout > 0 ? { httpRequestTimeout } : {}),
  });

  const statuses = [];
  const failures = [];
  const delivered = new Map();
  client.on('http_response', (response) => statuses.push(response.status));
  client.on('error', (error) => failures.push(`error event ${error.code}: ${error.reason?.message ?? error.reason}`));

  const calls = plan({ numericIds: false });
  const callbacks = calls.map(([type, message]) => new Promise((resolve) => {
    client[type](message, (error, ctx) => {
      if (error) failures.push(`${type} ${ctx?.event?.messageId}: ${error.message ?? error}`);
      else delivered.set(ctx.event.messageId, summary(ctx.event));
      resolve();
    });
  }));

  await client.closeAndFlush({ timeout: 30_000 });
  await Promise.all(callbacks);

  const version = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/@segment/analytics-node/package.json'), 'utf8')).version;
  report({
    sdk: '@segment/analytics-node',
    version,
    calls: calls.length,
    delivered: [...delivered.values()],
    failures,
    statuses,
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
