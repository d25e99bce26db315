/**
 * Paraphrase → note: developer notes (decisions, errors, learnings, context) written for this
 * benchmark, each with a query that asks for it in other words than the note uses, the way one
 * remembers a thing weeks later. Notes alternate between the dev and test splits.
 */
import type { QualitySet } from './qualityBench';
import type { Split } from './qualityCorpus';

type NoteType = 'decision' | 'error' | 'learning' | 'context';

const NOTES: [NoteType, string, string][] = [
  [
    'decision',
    'We picked PostgreSQL over MongoDB for the billing service because invoices need transactions across tables.',
    'which database stores payments and why',
  ],
  [
    'error',
    'ECONNRESET from the payment gateway when the keep-alive socket sat idle longer than 60 seconds; disabled ' +
      'agent keepAlive.',
    'connection dropped by the card processor after idle time',
  ],
  [
    'learning',
    'Debounce the search box by 150 ms, otherwise every keystroke fires a request and the API rate limiter kicks in.',
    'typing in the filter field triggers too many calls',
  ],
  [
    'decision',
    'Release builds are tagged vX.Y.Z on main and the CI pipeline publishes them to the marketplace automatically.',
    'how do we ship a new version',
  ],
  [
    'error',
    "TypeError: Cannot read properties of undefined (reading 'map') in OrderList when the API returns null items.",
    'crash rendering purchases when the list is empty',
  ],
  [
    'learning',
    'Passwords are hashed with bcrypt cost 12; never store them reversibly or log them.',
    'how are user credentials kept safe',
  ],
  [
    'context',
    'The staging cluster runs in eu-west-1 and is torn down every night at 02:00 UTC to save money.',
    'why is the test environment gone in the morning',
  ],
  [
    'decision',
    'Amounts are integers in cents; formatting to euros happens only in the view layer with Intl.NumberFormat.',
    'how to display prices in local currency',
  ],
  [
    'error',
    'Jest hangs after tests finish because the Redis client keeps the event loop alive; call quit() in afterAll.',
    'test runner never exits',
  ],
  [
    'learning',
    'SQLite WAL mode lets readers continue while one writer commits; checkpoint after bulk imports.',
    'concurrent reads during writes in the embedded database',
  ],
  [
    'context',
    'Feature flags live in LaunchDarkly; the kill switch for checkout is called checkout-v2-enabled.',
    'turn off the new payment flow quickly',
  ],
  [
    'decision',
    'We retry webhook deliveries with exponential backoff up to 24 hours, then mark them failed.',
    'what happens when a callback to a customer endpoint keeps failing',
  ],
  [
    'error',
    'Docker build fails with "no space left on device" on the runner; prune images before building.',
    'container image creation runs out of disk',
  ],
  [
    'learning',
    'Time zones: store timestamps in UTC and convert at the edge; cron jobs are defined in UTC too.',
    'dates shift by an hour for some users',
  ],
  [
    'context',
    'The mobile app talks to the GraphQL gateway, never directly to the microservices.',
    'which API does the phone client call',
  ],
  [
    'decision',
    'Logs go to stdout as JSON lines; the platform ships them to Loki, so no file logging in services.',
    'where do service messages end up',
  ],
  [
    'error',
    'CORS preflight rejected because the Authorization header was missing from Access-Control-Allow-Headers.',
    'browser blocks cross-origin request with a token',
  ],
  [
    'learning',
    'Use AbortController to cancel stale fetches when the user navigates away, or responses arrive out of order.',
    'old responses overwrite newer results',
  ],
  [
    'context',
    'Ownership: the search team owns indexing; questions about ranking go to #search-help.',
    'who to ask about result ordering',
  ],
  [
    'decision',
    'Monorepo with pnpm workspaces; shared types live in packages/contracts and are versioned together.',
    'how the repository is organised and where common definitions are',
  ],
  [
    'error',
    'Out of memory in the CSV export for large tenants: stream rows instead of building the whole file in memory.',
    'spreadsheet download crashes for big customers',
  ],
  [
    'learning',
    'Index the foreign key on order_items.order_id; without it deleting an order scans the whole table.',
    'removing a purchase is very slow',
  ],
  [
    'context',
    'Production database backups run hourly with point-in-time recovery kept for 14 days.',
    'how far back can we restore data',
  ],
  [
    'decision',
    'Access tokens expire after 15 minutes; refresh tokens rotate on every use and are revoked on logout.',
    'how long does a login session last',
  ],
  [
    'error',
    'Deadlock between the invoice job and the refund handler because they lock rows in opposite order.',
    'two background tasks block each other',
  ],
  [
    'learning',
    'Memoize expensive selectors with reselect, otherwise the dashboard re-renders on every store update.',
    'charts page redraws too often',
  ],
  [
    'context',
    'Customer support can impersonate a user from the admin panel; every impersonation is audited.',
    'can helpdesk staff log in as someone else',
  ],
  [
    'decision',
    'Images are resized on upload into three widths and served from the CDN with immutable cache headers.',
    'how are pictures made smaller for the web',
  ],
  [
    'error',
    'Flaky end-to-end test: the modal animation was still running when the click happened; wait for it to settle.',
    'browser test fails randomly on dialogs',
  ],
  [
    'learning',
    'Git bisect found the regression quickly: mark a known good commit and let it binary search.',
    'find which change introduced a bug',
  ],
  [
    'context',
    'The legacy PHP admin is read-only since March; all edits go through the new React console.',
    'can we still change things in the old back office',
  ],
  [
    'decision',
    'Emails are sent through a queue worker, never inside the HTTP request, so a slow SMTP server cannot block ' +
      'checkout.',
    'why mail is delivered asynchronously',
  ],
  [
    'error',
    'Segmentation fault in the image library on Alpine because of musl; switched the base image to Debian slim.',
    'native module crashes in the small container',
  ],
  [
    'learning',
    'Feature branches older than two weeks cause painful merges; rebase daily or split the work.',
    'long lived branches conflict a lot',
  ],
  [
    'context',
    'Load tests use k6 against the perf environment; target is 500 requests per second at p95 under 200 ms.',
    'what throughput must the system handle',
  ],
  [
    'decision',
    'Translations are kept in JSON per locale and loaded lazily; missing keys fall back to English.',
    'how is the interface localised into other languages',
  ],
  [
    'error',
    'Migration 0042 failed halfway on production because it added a NOT NULL column without a default.',
    'schema change broke the deploy',
  ],
  [
    'learning',
    'Rate limiting per API key with a token bucket in Redis; limits are returned in X-RateLimit headers.',
    'throttle clients that call us too often',
  ],
  [
    'context',
    'Secrets are stored in Vault and injected as environment variables at container start.',
    'where do passwords and keys for services come from',
  ],
  [
    'decision',
    'Soft delete for customer records: a deleted_at column, purged after 30 days to meet GDPR.',
    'what happens to user data when an account is removed',
  ],
];

export function notePairs(split: Split): QualitySet {
  const docs = NOTES.map(([type, text], i) => ({ id: `note-${i}`, text, type }));
  const want = split === 'test' ? 1 : 0;
  const queries = NOTES.flatMap(([, , query], i) =>
    i % 2 === want && split !== 'train' ? [{ text: query, target: `note-${i}` }] : [],
  );
  return { name: 'paraphrase → note, hand-written developer notes', docs, queries };
}
