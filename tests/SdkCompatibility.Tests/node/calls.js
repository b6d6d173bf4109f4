'use strict';

// The calls both SDK drivers make, in the SDKs' shared Node API shape (`client[type](message, callback)`):
// every call type, for a known user, an anonymous visitor and both, with traits, properties, context and
// integrations. Two rounds, so each SDK fills more than one batch (Segment sends 15 a batch, Rudder 20).
// Anonymous ids sent alone are never sent next to a user id: Ingestion links an identify's anonymousId and an
// alias's previousId to the user and files later anonymous-only events under that user, which these tests leave aside.
const EXPLICIT_TIMESTAMP = '2025-01-02T03:04:05.678Z';

function plan({ numericIds }) {
  const calls = [];
  for (const round of [1, 2]) {
    const user = (n) => `user-${round}-${n}`;
    const anon = (n) => `anon-${round}-${n}`;
    const linked = (n) => `linked-${round}-${n}`;
    const context = {
      ip: '203.0.113.7',
      locale: 'de-DE',
      userAgent: 'sdk-compatibility',
      page: { path: '/cart', referrer: 'https://example.com/' },
      campaign: { name: 'spring', source: 'newsletter' },
    };
    calls.push(
      ['identify', { userId: user(1), traits: { email: `one-${round}@example.com`, plan: 'pro', logins: 3, vip: true } }],
      ['identify', { anonymousId: anon(1), traits: { locale: 'de' } }],
      ['identify', { userId: user(2), anonymousId: linked(2), traits: { name: 'Two', address: { city: 'Berlin' } }, context }],
      ['track', { userId: user(1), event: 'Product Viewed', properties: { sku: 'SKU-1', price: 19.99, tags: ['a', 'b'], nested: { depth: 1 } } }],
      ['track', { anonymousId: anon(1), event: 'Product Added', properties: { sku: 'SKU-1', quantity: 2 }, context }],
      ['track', {
        userId: user(2),
        event: 'Order Completed',
        properties: { total: 39.98, currency: 'EUR' },
        timestamp: new Date(EXPLICIT_TIMESTAMP),
        integrations: { All: false, Mixpanel: true },
      }],
      ['track', { userId: user(3), anonymousId: linked(3), event: 'Signed Up' }],
      // Text PostgreSQL cannot store as sent: half an emoji (cut by a slice) and a NUL; JSON.stringify escapes both.
      ['track', { userId: user(3), event: 'Review Written', properties: { title: 'Great \u{1F600}'.slice(0, 7), note: 'nul\u0000inside' } }],
      ['page', { userId: user(1), name: 'Home', category: 'Landing', properties: { url: 'https://shop.example.com/' } }],
      ['page', { anonymousId: anon(1) }],
      ['page', { anonymousId: anon(2), name: 'Cart', context }],
      ['screen', { userId: user(2), name: 'Checkout', properties: { step: 2 } }],
      ['screen', { anonymousId: anon(3), name: 'Launch' }],
      ['group', { userId: user(1), groupId: 'acme', traits: { name: 'Acme', employees: 42 } }],
      ['group', { anonymousId: anon(1), groupId: numericIds ? 1000 + round : `initech-${round}` }],
      ['alias', { userId: user(1), previousId: linked(1) }],
      // Rudder takes numbers for ids and turns user ids (not previous ids) into strings; Segment wants strings.
      ['alias', { userId: numericIds ? 4200 + round : user(4), previousId: numericIds ? 98700 + round : linked(4) }],
    );
  }
  // SDK_WITH_INVALID: one call the SDK sends as given but Ingestion cannot take, to show a batch holding it is
  // taken in part: the SDK sees a 200, retries nothing and drops nothing else. Each SDK checks other fields itself:
  // Segment's passes a timestamp that is no date-time, Rudder's (which wants a Date) properties that are no object.
  if (setting('SDK_WITH_INVALID', '') === '1')
    calls.splice(3, 0, ['track', numericIds
      ? { userId: 'user-1-1', event: 'Bad Properties', properties: ['not', 'an', 'object'] }
      : { userId: 'user-1-1', event: 'Bad Time', timestamp: 'yesterday' }]);
  return calls;
}

// What the test needs to find each message in the event store.
function summary(message) {
  return {
    messageId: message.messageId,
    type: message.type,
    userId: message.userId ?? null,
    anonymousId: message.anonymousId ?? null,
    // The time the event happened: Rudder sends originalTimestamp, and timestamp only when the caller gave one.
    // (A time that is no date-time, as SDK_WITH_INVALID sends through Segment's SDK, is reported as none.)
    timestamp: dateTimeOrNull(message.timestamp ?? message.originalTimestamp),
  };
}

function dateTimeOrNull(value) {
  if (value === undefined || value === null) return null;
  return Number.isNaN(new Date(value).getTime()) ? null : value;
}

// Prints the run's report as the one JSON line the test reads, and sets the exit code.
function report(fields) {
  process.stdout.write(JSON.stringify(fields) + '\n');
  process.exitCode = 0;
}

function setting(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    if (fallback === undefined) throw new Error(`${name} is not set`);
    return fallback;
  }
  return value;
}

module.exports = { plan, summary, report, setting, EXPLICIT_TIMESTAMP };
