import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { startFakeSlack, type FakeSlack } from '../../bench/fake-slack.js';
import { ZENDESK_ADMIN_SCOPES, ZENDESK_SERVE_SCOPES } from '../../src/adapters/zendesk/zendesk-auth.js';
import { signSlackRequest } from '../../src/adapters/slack/slack-events-route.js';
import { DOCTOR_CHECKS } from '../../src/cli/commands/doctor/run-doctor-checks.js';
import { CATEGORY_IDS, type CategoryId } from '../../src/core/taxonomy.js';
import { AdminWalk, type CommandOutput, type RunningCommand } from '../support/admin-walk.js';
import { buildCxloopIfStale, ROOT } from '../support/build-cxloop.js';
import { startFakeZendeskAccount, type FakeZendeskAccount } from '../support/fake-zendesk-account.js';
import { startHttpsTunnel, type HttpsTunnel } from '../support/https-tunnel.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { readManifestYaml } from '../support/slack-manifest.js';
import { waitFor } from '../support/zendesk-fixtures.js';

const TRANSCRIPT = join(ROOT, 'test-output', 'go-live-walk.txt');
const CLIENT_ID = 'cxloop';
const CLIENT_SECRET = randomBytes(32).toString('hex');
const SLACK_BOT_TOKEN = `xoxb-1111-2222-${randomBytes(12).toString('hex')}`;
const SLACK_SIGNING_SECRET = randomBytes(16).toString('hex');
/** The account's groups (Admin Center > People > Groups) and which owns each category, as the admin decides. */
const GROUPS = { Engineering: 360_000_000_101, Billing: 360_000_000_102, Product: 360_000_000_103, Support: 360_000_000_104, 'CX insights': 360_000_000_105, Content: 360_000_000_106, Operations: 360_000_000_107 };
const GROUP_OF: Record<CategoryId, number> = {
  bug_report: GROUPS.Engineering,
  billing_issue: GROUPS.Billing,
  feature_request: GROUPS.Product,
  onboarding_help: GROUPS.Support,
  performance_issue: GROUPS.Engineering,
  sentiment_experience: GROUPS['CX insights'],
  content_communication: GROUPS.Content,
  other: GROUPS.Operations,
};
const LEAD = 'U0ACMELEAD';
const MEMBERS = ['U0ACMEANA1', 'U0ACMEBEN1'];
const ADMIN = 'U0ACMEADMN';
const TICKET_ID = 4242;

/** A port nothing listens on now: the admin's PORT, which the tunnel forwards to. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The doctor's check lines (`ok    redis   ...`) by check name, and its summary line. */
function doctorLines(run: CommandOutput): { status: Record<string, string>; summary: string } {
  const status: Record<string, string> = {};
  for (const line of run.out.split('\n')) {
    const match = /^(ok|warn|FAIL|skip)\s+(\S+)\s/.exec(line);
    if (match) status[match[2]!] = match[1]!;
  }
  return { status, summary: run.out.trim().split('\n').at(-1) ?? '' };
}

/**
 * Done when of issue 14: a new admin follows README's "Going live" step by step, on the built
 * cxloop (child processes of bin/cxloop.js, as `npx cxloop` and `npm start` run), in a working
 * directory with only the .env they fill in, against a Zendesk account with an OAuth client and a
 * Slack workspace faked on loopback (ZENDESK_API_URL, SLACK_API_URL), an https tunnel to cxloop's
 * PORT and a Redis with the append-only file on; `cxloop doctor` ends all green, and a ticket
 * opened in Zendesk reaches cxloop through the webhook install registered and its card appears in
 * the team channel. The transcript goes to test-output/go-live-walk.txt, secrets redacted.
 */
describe('going live as README says, from .env.example to a card in Slack', () => {
  let redis: RedisServer;
  let zendesk: FakeZendeskAccount;
  let slack: FakeSlack;
  let tunnel: HttpsTunnel;
  let walk: AdminWalk;
  let serve: RunningCommand | undefined;
  let port: number;
  const webhookSecrets: string[] = [];

  beforeAll(async () => {
    await buildCxloopIfStale();
    redis = await startRedisServer(['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec']);
    port = await freePort();
    tunnel = await startHttpsTunnel(port);
    zendesk = await startFakeZendeskAccount({
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, expiresInSeconds: 7_200 },
      groups: Object.entries(GROUPS).map(([name, id]) => ({ id, name })),
      pageSize: 4, // two pages of groups: doctor follows the cursor
      legacyCsat: false, // the account uses Zendesk's current CSAT (survey responses)
      deliver: (endpoint, headers, body) => tunnel.post(endpoint, headers, body),
    });
    const scopes = (readManifestYaml() as { oauth_config: { scopes: { bot: string[] } } }).oauth_config.scopes.bot;
    slack = await startFakeSlack({ token: SLACK_BOT_TOKEN, scopes, burst: 10 });
    const dir = mkdtempSync(join(tmpdir(), 'cxloop-go-live-'));
    // Only what any shell has, and the tunnel's certificate: a real tunnel's is publicly trusted.
    walk = new AdminWalk(dir, { PATH: process.env.PATH ?? '', HOME: dir, NODE_EXTRA_CA_CERTS: tunnel.caFile }, () => [
      CLIENT_SECRET,
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET,
      ...webhookSecrets,
      ...zendesk.zendesk.grants.map((grant) => grant.token),
    ]);
    walk.note(`Working directory ${dir}; \`npx cxloop\` is node ${join(ROOT, 'bin/cxloop.js')} (built dist/), \`npm start\` is node bin/cxloop.js serve.`);
    walk.note(`Zendesk account (fake, loopback) ${zendesk.url}; Slack (fake, loopback) ${slack.apiUrl}; tunnel ${tunnel.url} -> localhost:${port}; Redis ${redis.url} (appendonly yes).`);
    walk.note(`Child processes see PATH, HOME and NODE_EXTRA_CA_CERTS=${tunnel.caFile} (the tunnel's self-signed certificate), nothing else but .env.`);
  }, 240_000);

  afterAll(async () => {
    await serve?.stop(); // a walk that failed half-way: its output goes into the transcript too
    if (walk) {
      mkdirSync(join(ROOT, 'test-output'), { recursive: true });
      writeFileSync(TRANSCRIPT, walk.transcript());
    }
    await Promise.all([zendesk?.close(), slack?.close(), tunnel?.close()]);
    await redis?.remove();
  });

  it('reaches a live configuration with an OAuth client, doctor all green, and a test ticket carded in the team channel', async () => {
    walk.note('README "Going live", step by step. 1. A public https URL: the tunnel to cxloop\'s PORT');
    walk.copy(join(ROOT, '.env.example'), '.env', 'cp .env.example .env');
    walk.setEnv({ PORT: String(port), CXLOOP_PUBLIC_URL: tunnel.url });

    walk.note('2. Redis, with the append-only file on');
    walk.setEnv({ REDIS_URL: redis.url, CXLOOP_REDIS_PREFIX: 'acme' });

    walk.note('3. The Zendesk OAuth client (confidential, created by an admin in Admin Center); ZENDESK_API_URL only points this walk at the fake account');
    walk.setEnv({ ZENDESK_SUBDOMAIN: 'acme', ZENDESK_OAUTH_CLIENT_ID: CLIENT_ID, ZENDESK_OAUTH_CLIENT_SECRET: CLIENT_SECRET, ZENDESK_API_URL: zendesk.url });

    walk.note('4. Zendesk webhooks and triggers');
    const preview = await walk.cxloop(['install', 'zendesk', '--dry-run']);
    expect(preview.code).toBe(0);
    expect(preview.out).toContain('Dry run: 4 request(s) would be sent');
    expect(zendesk.admin.webhooks).toEqual([]); // a dry run writes nothing
    const install = await walk.cxloop(['install', 'zendesk']);
    expect(install.code).toBe(0);
    expect(zendesk.admin.webhooks.map((webhook) => [webhook.name, webhook.endpoint, webhook.status])).toEqual([
      ['cxloop-events', `${tunnel.url}/webhooks/zendesk`, 'active'],
      ['cxloop-csat', `${tunnel.url}/webhooks/zendesk`, 'active'],
    ]);
    expect(zendesk.admin.triggers.map((trigger) => trigger.title)).toEqual(['cxloop: CSAT rated good', 'cxloop: CSAT rated bad']);
    const secretLine = /^ZENDESK_WEBHOOK_SECRET=(.+)$/m.exec(install.out)?.[1];
    expect(secretLine?.split(',')).toEqual(zendesk.admin.webhooks.map((webhook) => zendesk.admin.secretOf(webhook.id)));
    webhookSecrets.push(...secretLine!.split(','));
    expect(install.out).toContain(`CXLOOP_PUBLIC_URL=${tunnel.url}\n`);
    walk.setEnv({ ZENDESK_WEBHOOK_SECRET: secretLine! });

    walk.note('5. Groups: a copy of config/policy.yaml with each category\'s zendesk_group_id');
    walk.copy(join(ROOT, 'config/policy.yaml'), 'policy.yaml', 'cp config/policy.yaml policy.yaml');
    walk.setEnv({ CXLOOP_CONFIG: 'policy.yaml' });
    walk.editFile('policy.yaml', CATEGORY_IDS.map((id) => `categories.${id}.zendesk_group_id: ${GROUP_OF[id]}`), (text) => {
      const policy = parseDocument(text);
      for (const id of CATEGORY_IDS) policy.setIn(['categories', id, 'zendesk_group_id'], GROUP_OF[id]);
      return policy.toString();
    });

    walk.note('6. The Slack app from manifests/slack-app.yaml: its token and signing secret (SLACK_API_URL only points this walk at the fake workspace), and the lead, members and admins in the policy');
    walk.setEnv({ SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL: slack.apiUrl });
    // The shipped teams share one block (&default_team): set there, every team gets the same lead and members.
    const slackEdits = [`teams.engineering.escalation.lead_user_id: ${LEAD} (the &default_team block every team shares)`, `teams.engineering.members: [${MEMBERS.join(', ')}] (the same block)`, `slack.admins: [${ADMIN}]`];
    walk.editFile('policy.yaml', slackEdits, (text) => {
      const policy = parseDocument(text);
      policy.setIn(['teams', 'engineering', 'escalation', 'lead_user_id'], LEAD);
      policy.setIn(['teams', 'engineering', 'members'], policy.createNode(MEMBERS, { flow: true }));
      policy.setIn(['slack', 'admins'], policy.createNode([ADMIN], { flow: true }));
      return policy.toString();
    });
    const check = await walk.cxloop(['config', 'check']);
    expect(check.code).toBe(0);

    walk.note('8, run before step 7: doctor says what is still missing');
    const before = await walk.cxloop(['doctor']);
    const beforeLines = doctorLines(before);
    expect(Object.keys(beforeLines.status)).toEqual([...DOCTOR_CHECKS]);
    expect(Object.entries(beforeLines.status).filter(([, status]) => status !== 'ok')).toEqual([['workers', 'warn'], ['public-url', 'FAIL']]);
    expect(before.code).toBe(1);

    walk.note('7. npm start: the banner says LIVE; Slack verifies the Event Subscriptions request URL (a signed url_verification challenge, through the tunnel)');
    serve = walk.start(['serve'], 'npm start  (node bin/cxloop.js serve)');
    await serve.waitForOutput('LIVE: connected to Zendesk and Slack.');
    const challenge = JSON.stringify({ token: 'legacy', challenge: 'c-3a9f', type: 'url_verification' });
    const verified = await tunnel.post(`${tunnel.url}/slack/events`, { 'content-type': 'application/json', ...signSlackRequest(challenge, Math.floor(Date.now() / 1000), SLACK_SIGNING_SECRET) }, challenge);
    walk.note(`Slack: POST ${tunnel.url}/slack/events (url_verification) -> ${verified.status} ${verified.body}`);
    expect(verified).toEqual({ status: 200, body: JSON.stringify({ challenge: 'c-3a9f' }) });

    walk.note('8. doctor again, cxloop running: all green');
    const after = await walk.cxloop(['doctor']);
    const afterLines = doctorLines(after);
    expect(Object.entries(afterLines.status).filter(([, status]) => status !== 'ok')).toEqual([]);
    expect(Object.keys(afterLines.status)).toEqual([...DOCTOR_CHECKS]);
    expect(afterLines.summary).toBe(`${DOCTOR_CHECKS.length} ok, 0 warnings, 0 failed, 0 skipped: everything checked is fine`);
    expect(after.code).toBe(0);

    walk.note(`9. A test ticket opened in Zendesk (#${TICKET_ID}): the account sends ticket.created to the installed webhook, signed with its secret`);
    const opened = await zendesk.openTicket({ id: TICKET_ID, subject: 'Charged twice for my subscription', description: 'I was charged twice this month, please refund the duplicate payment.' });
    for (const delivery of opened.deliveries) walk.note(`Zendesk -> webhook ${delivery.webhook}: POST ${delivery.endpoint} -> ${delivery.status} ${delivery.body}`);
    expect(opened.deliveries).toEqual([{ webhook: 'cxloop-events', endpoint: `${tunnel.url}/webhooks/zendesk`, status: 200, body: JSON.stringify({ status: 'accepted' }) }]);
    const card = await waitFor(() => slack.posts.find((post) => post.sentTo === '#cx-billing' && post.text.startsWith(`Ticket #${TICKET_ID} `)), 30_000, 'the card in #cx-billing');
    walk.note(`Slack ${card.sentTo} (${card.channel}) received: ${card.text}`);
    const ticket = zendesk.zendesk.tickets.get(TICKET_ID)!;
    await waitFor(() => ticket.group_id === GROUPS.Billing, 10_000, 'the routing write');
    expect(ticket.tags).toEqual(expect.arrayContaining(['cxloop_billing_issue']));
    walk.note(`Zendesk #${TICKET_ID} now: group ${ticket.group_id} (Billing), tags ${ticket.tags.join(' ')}; note: ${ticket.comments.at(-1)?.body.split('\n')[0] ?? '(none)'}`);

    expect(await serve.stop()).toBe(0);
    walk.note(`The tunnel forwarded: ${tunnel.forwarded.join('; ')}`);
    walk.note(`Slack received: ${slack.posts.map((post) => `${post.sentTo}${post.threadTs ? ' (thread)' : ''} "${post.text}"`).join('; ')}`);

    // With the OAuth client only: install asked for the admin scopes, serve and doctor for serve's, and Zendesk refused nothing.
    const scopes = new Set(zendesk.zendesk.grants.map((grant) => grant.scope));
    expect(scopes).toEqual(new Set([ZENDESK_ADMIN_SCOPES.join(' '), ZENDESK_SERVE_SCOPES.join(' ')]));
    expect(zendesk.zendesk.requests.filter((request) => request.status === 401)).toEqual([]);
    // Each doctor run read both pages of groups.
    const groupPages = ['page[size]=100', 'page[size]=100&page[after]=4'];
    expect(zendesk.zendesk.requests.filter((request) => request.path === '/api/v2/groups.json').map((request) => decodeURIComponent(request.query))).toEqual([...groupPages, ...groupPages]);

    // No secret in any output: the webhook secrets only on install's ZENDESK_WEBHOOK_SECRET line, as README says.
    const never = [CLIENT_SECRET, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, ...zendesk.zendesk.grants.map((grant) => grant.token)];
    const leaks = walk.outputs.flatMap((output) => {
      const text = output === install ? `${output.out.replace(/^ZENDESK_WEBHOOK_SECRET=.*$/m, '')}${output.err}` : `${output.out}${output.err}`;
      return [...never, ...webhookSecrets].filter((secret) => text.includes(secret)).map((secret) => `${output.command}: ${secret.slice(0, 4)}...`);
    });
    expect(leaks).toEqual([]);
    expect(walk.outputs.length).toBeGreaterThanOrEqual(6);
    const transcript = walk.transcript();
    for (const secret of [...never, ...webhookSecrets]) expect(transcript).not.toContain(secret);
    expect(readFileSync(join(walk.dir, '.env'), 'utf8')).toContain(`ZENDESK_WEBHOOK_SECRET=${secretLine}\n`);
  }, 180_000);
});
