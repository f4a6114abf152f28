import { describe, expect, it } from 'vitest';
import { collectManifestUrls, manifestUrlPaths, readManifestJson, readManifestYaml, type Manifest } from '../../support/slack-manifest.js';

// Constraints of slackapi/manifest-schema, schemas/manifest.schema.1.0.0.json.
// Every object there is additionalProperties:false; each allow-list below is that object's
// `properties`, so a typo or a key Slack does not know fails here instead of at "Create App".
const ALLOWED = {
  top: ['$schema', '_metadata', 'app_directory', 'display_information', 'features', 'oauth_config', 'settings', 'functions', 'workflows', 'datastores', 'outgoing_domains', 'types', 'external_auth_providers'],
  metadata: ['schema_version', 'min_version', 'major_version', 'minor_version'],
  display_information: ['name', 'description', 'background_color', 'long_description'],
  features: ['app_home', 'bot_user', 'functions', 'shortcuts', 'slash_commands', 'workflow_steps', 'unfurl_domains', 'assistant_view'],
  app_home: ['home_tab_enabled', 'messages_tab_enabled', 'messages_tab_read_only_enabled'],
  bot_user: ['display_name', 'always_online'],
  slash_command: ['command', 'url', 'description', 'usage_hint', 'should_escape'],
  oauth_config: ['redirect_urls', 'scopes', 'token_management_enabled', 'pkce_enabled'],
  scopes: ['user', 'bot', 'user_optional', 'bot_optional'],
  settings: ['allowed_ip_address_ranges', 'event_subscriptions', 'incoming_webhooks', 'interactivity', 'org_deploy_enabled', 'socket_mode_enabled', 'is_hosted', 'token_rotation_enabled', 'siws_links', 'hermes_app_type', 'function_runtime', 'is_mcp_enabled'],
  event_subscriptions: ['request_url', 'user_events', 'bot_events', 'metadata_subscriptions'],
  interactivity: ['is_enabled', 'request_url', 'message_menu_options_url'],
} as const;

const HOST = 'cxloop.example.com';

function object(value: unknown, what: string): Record<string, unknown> {
  expect(value, `${what} is an object`).toBeTypeOf('object');
  expect(value, `${what} is not null or an array`).not.toBeNull();
  expect(Array.isArray(value), `${what} is not an array`).toBe(false);
  return value as Record<string, unknown>;
}

function expectOnlyKeys(value: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  expect(unknown, `unknown keys in ${what}`).toEqual([]);
}

function text(value: unknown, what: string): string {
  expect(value, what).toBeTypeOf('string');
  return value as string;
}

const manifest: Manifest = readManifestYaml();
const display = object(manifest.display_information, 'display_information');
const features = object(manifest.features, 'features');
const settings = object(manifest.settings, 'settings');
const oauth = object(manifest.oauth_config, 'oauth_config');

describe('manifests/slack-app.yaml and .json', () => {
  it('are the same manifest', () => {
    expect(readManifestJson()).toEqual(manifest);
  });

  it('is manifest format 1.1 with only known top-level keys', () => {
    expectOnlyKeys(manifest, ALLOWED.top, 'the manifest');
    const metadata = object(manifest._metadata, '_metadata');
    expectOnlyKeys(metadata, ALLOWED.metadata, '_metadata');
    expect(metadata).toEqual({ major_version: 1, minor_version: 1 });
  });

  it('display_information: name required <= 35, description <= 140, long_description 175..4000, colour', () => {
    expectOnlyKeys(display, ALLOWED.display_information, 'display_information');
    const name = text(display.name, 'name');
    expect(name).toBe('cxloop');
    expect(name.length).toBeGreaterThan(0);
    expect(name.length).toBeLessThanOrEqual(35);
    expect(text(display.description, 'description').length).toBeLessThanOrEqual(140);
    const long = text(display.long_description, 'long_description');
    expect(long.length).toBeGreaterThanOrEqual(175);
    expect(long.length).toBeLessThanOrEqual(4000);
    const colour = text(display.background_color, 'background_color');
    expect(colour).toBe('#1d4f91');
    expect(colour).toMatch(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/);
    expect(colour.length).toBeGreaterThanOrEqual(4);
    expect(colour.length).toBeLessThanOrEqual(7);
  });

  it('features: only known keys, App Home tab on, bot user <= 80 chars', () => {
    expectOnlyKeys(features, ALLOWED.features, 'features');
    const home = object(features.app_home, 'features.app_home');
    expectOnlyKeys(home, ALLOWED.app_home, 'features.app_home');
    expect(home).toEqual({ home_tab_enabled: true, messages_tab_enabled: false, messages_tab_read_only_enabled: false });
    const bot = object(features.bot_user, 'features.bot_user');
    expectOnlyKeys(bot, ALLOWED.bot_user, 'features.bot_user');
    const displayName = text(bot.display_name, 'bot_user.display_name');
    expect(displayName.length).toBeGreaterThan(0);
    expect(displayName.length).toBeLessThanOrEqual(80);
    expect(bot.always_online).toBe(true);
  });

  it('slash commands: ^/ and 2..32 chars, a description, an http(s) url; /cxloop is one of them', () => {
    const commands = features.slash_commands;
    expect(Array.isArray(commands)).toBe(true);
    const list = commands as unknown[];
    expect(list.length).toBeGreaterThan(0);
    expect(list.length).toBeLessThanOrEqual(50);
    for (const [index, entry] of list.entries()) {
      const command = object(entry, `slash_commands[${index}]`);
      expectOnlyKeys(command, ALLOWED.slash_command, `slash_commands[${index}]`);
      const name = text(command.command, 'command');
      expect(name).toMatch(/^\//);
      expect(name.length).toBeGreaterThanOrEqual(2);
      expect(name.length).toBeLessThanOrEqual(32);
      const description = text(command.description, 'command description');
      expect(description.length).toBeGreaterThan(0);
      expect(description.length).toBeLessThanOrEqual(2000);
      const url = text(command.url, 'command url');
      expect(url).toMatch(/^https?:\/\//);
      expect(url.length).toBeLessThanOrEqual(3000);
      if (command.should_escape !== undefined) expect(command.should_escape).toBeTypeOf('boolean');
    }
    expect(list).toContainEqual({
      command: '/cxloop',
      url: `https://${HOST}/slack/events`,
      description: expect.any(String),
      usage_hint: 'status|ack|snooze|report|help [ticket] [duration]',
      should_escape: false,
    });
  });

  it('oauth_config: Sign in with Slack redirects to the dashboard callback with the openid user scopes', () => {
    expect(oauth.redirect_urls).toEqual(['https://cxloop.example.com/dashboard/oidc/callback']);
    expect(object(oauth.scopes, 'oauth_config.scopes').user).toEqual(['openid', 'profile', 'email']);
  });

  it('oauth_config: exactly the bot scopes cxloop uses, each <= 50 chars', () => {
    expectOnlyKeys(oauth, ALLOWED.oauth_config, 'oauth_config');
    const scopes = object(oauth.scopes, 'oauth_config.scopes');
    expectOnlyKeys(scopes, ALLOWED.scopes, 'oauth_config.scopes');
    const bot = scopes.bot as unknown[];
    expect(Array.isArray(bot)).toBe(true);
    expect(bot.length).toBeLessThanOrEqual(255);
    for (const scope of bot) expect(text(scope, 'scope').length).toBeLessThanOrEqual(50);
    expect([...bot].sort()).toEqual(['channels:read', 'chat:write', 'chat:write.public', 'commands', 'groups:read', 'pins:write', 'usergroups:read', 'users:read']);
  });

  it('settings: HTTP mode, events with app_home_opened, interactivity.is_enabled present', () => {
    expectOnlyKeys(settings, ALLOWED.settings, 'settings');
    const events = object(settings.event_subscriptions, 'settings.event_subscriptions');
    expectOnlyKeys(events, ALLOWED.event_subscriptions, 'settings.event_subscriptions');
    expect(events.bot_events).toContain('app_home_opened');
    const interactivity = object(settings.interactivity, 'settings.interactivity');
    expectOnlyKeys(interactivity, ALLOWED.interactivity, 'settings.interactivity');
    expect(interactivity).toHaveProperty('is_enabled');
    expect(interactivity.is_enabled).toBe(true);
    expect(settings.socket_mode_enabled).toBe(false);
    expect(settings.org_deploy_enabled).toBe(false);
    expect(settings.token_rotation_enabled).toBe(false);
  });

  it('every URL is https on the placeholder host', () => {
    const urls = collectManifestUrls(manifest);
    expect(urls.map(({ at }) => at).sort()).toEqual([
      'features.slash_commands[0].url',
      'oauth_config.redirect_urls[0]',
      'settings.event_subscriptions.request_url',
      'settings.interactivity.request_url',
    ]);
    for (const { at, url } of urls) {
      const parsed = new URL(url);
      expect(parsed.protocol, at).toBe('https:');
      expect(parsed.host, at).toBe(HOST);
    }
  });

  it('the key allow-lists catch a typo (the check can fail)', () => {
    expect(() => expectOnlyKeys({ ...settings, interactivty: { is_enabled: true } }, ALLOWED.settings, 'settings')).toThrow(/interactivty/);
    expect(() => expectOnlyKeys({ ...features, slash_command: [] }, ALLOWED.features, 'features')).toThrow(/slash_command/);
  });

  it('sends Slack requests to the Bolt endpoint /slack/events, and people signing in to the dashboard callback', () => {
    expect(manifestUrlPaths(manifest)).toEqual(['/dashboard/oidc/callback', '/slack/events']);
  });
});

describe('collectManifestUrls', () => {
  it('finds URLs under *_url(s) keys and URL-looking strings anywhere, not $schema', () => {
    const urls = collectManifestUrls({
      $schema: 'https://example.com/manifest.schema.json',
      a: { request_url: 'https://h/x', message_menu_options_url: 'https://h/y' },
      oauth_config: { redirect_urls: ['https://h/z'] },
      list: [{ url: 'https://h/w' }, { note: 'see http://h/v' }, { other: 'ftp://h/u' }],
    });
    expect(urls).toEqual([
      { at: 'a.request_url', url: 'https://h/x' },
      { at: 'a.message_menu_options_url', url: 'https://h/y' },
      { at: 'oauth_config.redirect_urls[0]', url: 'https://h/z' },
      { at: 'list[0].url', url: 'https://h/w' },
      { at: 'list[2].other', url: 'ftp://h/u' },
    ]);
  });
});
