import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerOf, readBody, type Route } from '../../app/http-route.js';
import type { DashboardSession, DashboardSessions, Logger, PeopleDirectory } from '../../app/ports.js';
import { checkSignInToken } from '../../app/dashboard/sign-in-link.js';
import { personName } from '../../core/loop/person-ref.js';
import { html } from './html.js';
import { messagePage, type PageViewer } from './layout.js';
import { sendPage, type PageSender } from './send-page.js';
import { authorizeUrl, checkOidcState, OIDC_STATE_TTL_MS, oidcState, signInWithCode, type SlackOidcConfig } from './slack-oidc.js';

export const SESSION_COOKIE = 'cxloop_session';
/** The OIDC nonce of a sign-in under way, which the signed state must carry: binds the state to this browser. */
export const OIDC_COOKIE = 'cxloop_oidc';
/** A sign-in or sign-out form is a few hundred bytes. */
const MAX_FORM_BYTES = 4096;

export interface DashboardAuthDeps {
  readonly sessions: DashboardSessions;
  readonly people: PeopleDirectory;
  /** The teams a Slack user may see: null for an admin (every team). */
  readonly viewerTeams: (user: string) => Promise<readonly string[] | null>;
  readonly sessionMs: number;
  /** Cookies get `Secure` (always, when the public URL is https; else when the request came over https). */
  readonly secureCookies: boolean;
  /** The public URL's origin, accepted as the Origin of a form post besides the request's own. */
  readonly publicOrigin: string | null;
  /** "Sign in with Slack" (OpenID Connect), or null when SLACK_CLIENT_ID and its pair are not set. */
  readonly oidc: SlackOidcConfig | null;
  readonly logger: Logger;
  readonly now: () => number;
}

export interface SignedIn {
  readonly sessionId: string;
  readonly session: DashboardSession;
  readonly viewer: PageViewer;
}

const NEEDS_SIGN_IN = 'The dashboard shows ticket data, so it needs you to sign in first.';
const SIGN_IN_WITH_SLACK = html`<a class="button" href="/dashboard/login">Sign in with Slack</a>`;
const SIGN_IN_LINK =
  html`In Slack, run <code>/cxloop dashboard</code> or open cxloop's <strong>Home</strong> tab, and follow the link it gives you (it works once, for 10 minutes).`;

/** Sign-in by signed link, sign-out, and the session every other dashboard request is checked against. */
export class DashboardAuth {
  constructor(private readonly deps: DashboardAuthDeps) {}

  /** The signed-in viewer, or null after answering 401 with how to sign in. */
  async require(request: IncomingMessage, response: ServerResponse, send: PageSender = sendPage): Promise<SignedIn | null> {
    const sessionId = cookieOf(request, SESSION_COOKIE);
    const session = sessionId === null ? null : await this.deps.sessions.get(sessionId);
    if (sessionId === null || session === null) {
      const lines = this.deps.oidc === null ? [NEEDS_SIGN_IN, SIGN_IN_LINK] : [NEEDS_SIGN_IN, SIGN_IN_WITH_SLACK, html`Or: ${SIGN_IN_LINK}`];
      send(response, 401, messagePage({ title: sessionId === null ? 'Sign in to the cxloop dashboard' : 'Your dashboard session has ended', lines, viewer: null, now: this.deps.now() }));
      return null;
    }
    const [teams, names] = await Promise.all([this.deps.viewerTeams(session.user), this.deps.people.namesOf([session.user])]);
    return { sessionId, session, viewer: { name: personName(session.user, names), csrf: session.csrf, teams } };
  }

  routes(): Route[] {
    return [
      { method: 'GET', path: '/dashboard/login', handler: (request, response) => this.confirm(request, response) },
      { method: 'GET', path: '/dashboard/oidc/callback', handler: (request, response) => this.oidcCallback(request, response) },
      { method: 'POST', path: '/dashboard/login', handler: (request, response) => this.signIn(request, response) },
      { method: 'POST', path: '/dashboard/logout', handler: (request, response) => this.signOut(request, response) },
    ];
  }

  /**
   * GET with the link's token: checked, not used yet, and answered with a form that posts it (the
   * page's script submits it at once). Link previews (Slack unfurls links) only GET, so they
   * cannot use up the link.
   */
  private async confirm(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const token = new URL(request.url ?? '/', 'http://x').searchParams.get('t') ?? '';
    if (token === '' && this.deps.oidc !== null) return this.toSlack(request, response, this.deps.oidc);
    const check = checkSignInToken(await this.deps.sessions.linkSecret(), token, this.deps.now());
    if (!check.ok) return this.refuseLink(response, check.reason);
    const names = await this.deps.people.namesOf([check.user]);
    sendPage(
      response,
      200,
      messagePage({
        title: 'Open the cxloop dashboard',
        lines: [
          html`<form method="post" action="/dashboard/login" data-autosubmit="1"><input type="hidden" name="t" value="${token}"><button type="submit" autofocus>Continue as ${personName(check.user, names)}</button></form>`,
        ],
        viewer: null,
        now: this.deps.now(),
      }),
    );
  }

  private async signIn(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = await this.readForm(request, response);
    if (form === null) return;
    const now = this.deps.now();
    const check = checkSignInToken(await this.deps.sessions.linkSecret(), form.get('t') ?? '', now);
    if (!check.ok) return this.refuseLink(response, check.reason);
    if (!(await this.deps.sessions.useLink(check.nonce, check.expiresAt))) return this.refuseLink(response, 'used');
    await this.startSession(request, response, check.user, 'link');
  }

  /** The same session for a signed link and for Sign in with Slack; the permission rule decides what it sees. */
  private async startSession(request: IncomingMessage, response: ServerResponse, user: string, via: 'link' | 'slack', extraCookies: string[] = []): Promise<void> {
    const session: DashboardSession = { user, csrf: randomBytes(18).toString('base64url'), expiresAt: this.deps.now() + this.deps.sessionMs };
    const id = await this.deps.sessions.create(session);
    this.deps.logger.log('info', 'dashboard sign-in', { user, via });
    response.writeHead(303, { location: '/dashboard', 'set-cookie': [this.cookie(request, id, Math.floor(this.deps.sessionMs / 1000)), ...extraCookies], 'cache-control': 'no-store' });
    response.end();
  }

  /** To Slack's authorize page, with a signed expiring state whose nonce this browser keeps in a cookie. */
  private async toSlack(request: IncomingMessage, response: ServerResponse, oidc: SlackOidcConfig): Promise<void> {
    const { state, nonce } = oidcState(await this.deps.sessions.linkSecret(), this.deps.now() + OIDC_STATE_TTL_MS);
    response.writeHead(302, { location: authorizeUrl(oidc, state, nonce), 'set-cookie': this.cookie(request, nonce, OIDC_STATE_TTL_MS / 1000, OIDC_COOKIE), 'cache-control': 'no-store' });
    response.end();
  }

  private async oidcCallback(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const oidc = this.deps.oidc;
    const query = new URL(request.url ?? '/', 'http://x').searchParams;
    const refuse = (why: string): void =>
      sendPage(response, 401, messagePage({ title: 'Sign in with Slack did not work', lines: [why, html`<a href="/dashboard/login">Try again</a>, or run <code>/cxloop dashboard</code> in Slack for a sign-in link.`], viewer: null, now: this.deps.now() }));
    if (oidc === null) return refuse('Sign in with Slack is not set up on this cxloop (SLACK_CLIENT_ID).');
    if (query.get('error') !== null) return refuse(`Slack did not sign you in (${query.get('error') ?? ''}).`);
    const state = checkOidcState(await this.deps.sessions.linkSecret(), query.get('state') ?? '', cookieOf(request, OIDC_COOKIE), this.deps.now());
    if (!state.ok) return refuse(state.reason === 'expired' ? 'The sign-in took longer than 10 minutes.' : 'This sign-in was not started from this browser.');
    const result = await signInWithCode(oidc, query.get('code') ?? '', state.nonce, this.deps.now()).catch((error: unknown) => ({ ok: false as const, reason: `Slack could not be reached (${(error as Error).message})` }));
    if (!result.ok) {
      this.deps.logger.log('warn', 'dashboard sign-in with Slack refused', { reason: result.reason });
      return refuse(result.reason.startsWith('the Slack account is in another workspace') ? 'That Slack account is in another workspace: sign in with your account of the workspace cxloop is installed in.' : `The sign-in was refused: ${result.reason}.`);
    }
    await this.startSession(request, response, result.identity.user, 'slack', [this.cookie(request, '', 0, OIDC_COOKIE)]);
  }

  private async signOut(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = await this.readForm(request, response);
    if (form === null) return;
    const sessionId = cookieOf(request, SESSION_COOKIE);
    const session = sessionId === null ? null : await this.deps.sessions.get(sessionId);
    if (sessionId !== null && session !== null) {
      if (!sameSecret(form.get('csrf') ?? '', session.csrf)) {
        return sendPage(response, 403, messagePage({ title: 'Sign-out refused', lines: ['The form did not come from your dashboard page. Reload the page and sign out again.'], viewer: null, now: this.deps.now() }));
      }
      await this.deps.sessions.destroy(sessionId);
    }
    response.writeHead(303, { location: '/dashboard', 'set-cookie': this.cookie(request, '', 0), 'cache-control': 'no-store' });
    response.end();
  }

  /** A form post from this origin within MAX_FORM_BYTES, or null after answering 403/413/415. */
  private async readForm(request: IncomingMessage, response: ServerResponse): Promise<URLSearchParams | null> {
    if (!this.sameOrigin(request)) {
      sendPage(response, 403, messagePage({ title: 'Request refused', lines: ['This form was posted from another site. Open the dashboard and try again from there.'], viewer: null, now: this.deps.now() }));
      return null;
    }
    if (!(headerOf(request, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      sendPage(response, 415, messagePage({ title: 'Request refused', lines: ['Expected a form post.'], viewer: null, now: this.deps.now() }));
      return null;
    }
    const body = await readBody(request, MAX_FORM_BYTES);
    if (!body.ok) {
      response.setHeader('connection', 'close');
      sendPage(response, 413, messagePage({ title: 'Request refused', lines: ['The form is larger than a sign-in form can be.'], viewer: null, now: this.deps.now() }));
      return null;
    }
    return new URLSearchParams(body.body.toString('utf8'));
  }

  /** CSRF: a state-changing request must come from a page of this server (its Origin, else its Referer). */
  sameOrigin(request: IncomingMessage): boolean {
    const origin = headerOf(request, 'origin') ?? originOfReferer(headerOf(request, 'referer'));
    if (origin === null || origin === undefined) return false;
    const host = headerOf(request, 'host');
    const proto = headerOf(request, 'x-forwarded-proto') === 'https' ? 'https' : 'http';
    return origin === `${proto}://${host}` || (proto === 'http' && origin === `https://${host}`) || origin === this.deps.publicOrigin;
  }

  private cookie(request: IncomingMessage, value: string, maxAgeSeconds: number, name = SESSION_COOKIE): string {
    const secure = this.deps.secureCookies || headerOf(request, 'x-forwarded-proto') === 'https';
    return `${name}=${value}; Path=/dashboard; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  }

  private refuseLink(response: ServerResponse, reason: 'malformed' | 'signature' | 'expired' | 'used'): void {
    const why = {
      malformed: 'This sign-in link is incomplete (was it cut when it was copied?).',
      signature: 'This sign-in link is not one cxloop made.',
      expired: 'This sign-in link has expired: links work for 10 minutes.',
      used: 'This sign-in link was used already: each link signs in once.',
    }[reason];
    sendPage(response, 401, messagePage({ title: 'Sign-in link not accepted', lines: [why, html`Run <code>/cxloop dashboard</code> in Slack, or open cxloop's <strong>Home</strong> tab, for a new one.`], viewer: null, now: this.deps.now() }));
  }
}

export function cookieOf(request: IncomingMessage, name: string): string | null {
  for (const part of (headerOf(request, 'cookie') ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=') || null;
  }
  return null;
}

function originOfReferer(referer: string | undefined): string | null {
  if (referer === undefined) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
