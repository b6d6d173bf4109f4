'use strict';

// Drives the unmodified @rudderstack/rudder-sdk-node SDK against SDK_HOST with write key SDK_WRITE_KEY, with its
// default batching and gzip, makes every call in calls.js, flushes until every call's callback has fired, and
// prints one JSON line: the messages the SDK reports delivered (from the batches handed to the callbacks) and
// every failure. An errorHandler is set so a rejected batch is reported instead of crashing this process, which
// is what the SDK does to its host app by default.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const Analytics = require('@rudderstack/rudder-sdk-node');
const { plan, summary, report, setting } = require('./calls');

// The callback gets the request body as sent: gzipped bytes by default, the object when gzip is off.
function batchOf(data) {
  const body = Buffer.isBuffer(data) ? JSON.parse(zlib.gunzipSync(data).toString('utf8')) : data;
  return body.batch;
}

async function main() {
  const failures = [];
  const delivered = new Map();
  const timeout = Number(setting('SDK_HTTP_TIMEOUT_MS', '0'));
  const client = new Analytics(setting('SDK_WRITE_KEY'), {
    dataPlaneUrl: setting('SDK_HOST'),
    logLevel: 'error',
    errorHandler: (error) => failures.push(`errorHandler: ${error.response ? `HTTP ${error.response.status}` : error.code ?? error.message}`),
    ...(timeout > 0 ? { timeout } : {}),
  });

  const calls = plan({ numericIds: true });
  let pending = calls.length;
  const callbacks = calls.map(([type, message]) => new Promise((resolve) => {
    client[type](message, (error, data) => {
      if (error) failures.push(`${type}: ${error.response ? `HTTP ${error.response.status}` : error.code ?? error.message}`);
      else for (const sent of batchOf(data)) delivered.set(sent.messageId, summary(sent));
      pending--;
      resolve();
    });
  }));

  // flush() sends at most flushAt (20) messages and returns before later enqueued batches finish, so flush
  // until every callback has fired.
  const deadline = Date.now() + 30_000;
  while (pending > 0 && Date.now() < deadline) {
    await client.flush();
    await Promise.race([Promise.all(callbacks), new Promise((resolve) => setTimeout(resolve, 50))]);
  }
  if (pending > 0) failures.push(`${pending} callbacks never fired within 30 s`);

  const version = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/@rudderstack/rudder-sdk-node/package.json'), 'utf8')).version;
  report({
    sdk: '@rudderstack/rudder-sdk-node',
    version,
    calls: calls.length,
    delivered: [...delivered.values()],
    failures,
    statuses: [],
  });
  // The SDK leaves keep-alive sockets and timers behind; the report is written, so end here.
  process.exit();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
