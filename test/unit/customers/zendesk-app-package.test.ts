import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateZendeskAppSecrets, zendeskAppFiles, zendeskAppZip } from '../../../src/adapters/zendesk/zendesk-app-package.js';
import { SUBSCRIBED_EVENT_TYPES } from '../../../src/adapters/zendesk/zendesk-install-definitions.js';
import { CATEGORY_IDS } from '../../../src/core/taxonomy.js';

const SECRETS = { app: 'app-secret', events: 'events-secret', csat: 'csat-secret' };
const OPTIONS = { publicUrl: 'https://cxloop.acme.test', version: '1.0.0', authorEmail: 'ops@acme.test', secrets: SECRETS, withRequirements: true };

/** Every file of a ZIP, read from its central directory (what an unzip does), each CRC checked. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let index = 0; index < count; index += 1) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const content = inflateRawSync(zip.subarray(local, local + size));
    expect(method).toBe(8);
    expect(crc32(content)).toBe(crc);
    files.set(name, content);
    at += 46 + nameLength;
  }
  return files;
}

describe('the cxloop Zendesk app package', () => {
  it('zips exactly its files, readable back byte for byte, the same bytes every time', () => {
    const zip = zendeskAppZip(OPTIONS);
    const files = zendeskAppFiles(OPTIONS);
    expect([...unzip(zip).entries()].sort()).toEqual([...files.entries()].sort());
    expect([...files.keys()].sort()).toEqual(['assets/iframe.html', 'assets/logo-small.png', 'assets/logo.png', 'assets/sidebar.css', 'assets/sidebar.js', 'manifest.json', 'requirements.json', 'translations/en.json']);
    expect(zendeskAppZip(OPTIONS).equals(zip)).toBe(true);
  });

  it('is a private ZAF v2 ticket sidebar app whose only setting is the secure shared secret, calling only cxloop', () => {
    const files = zendeskAppFiles(OPTIONS);
    expect(JSON.parse(files.get('manifest.json')!.toString())).toEqual({
      name: 'cxloop',
      author: { name: 'cxloop', email: 'ops@acme.test', url: 'https://cxloop.acme.test' },
      defaultLocale: 'en',
      private: true,
      location: { support: { ticket_sidebar: { url: 'assets/iframe.html', flexible: true } } },
      version: '1.0.0',
      frameworkVersion: '2.0',
      domainWhitelist: ['cxloop.acme.test'],
      parameters: [{ name: 'shared_secret', type: 'text', secure: true, required: true }],
    });
    expect(files.get('assets/iframe.html')!.toString()).toContain('data-cxloop-url="https://cxloop.acme.test"');
    // No secret ships in the page: the sidebar names the secure setting for Zendesk's proxy to fill in.
    const sidebar = files.get('assets/sidebar.js')!.toString();
    expect(sidebar).toContain("secret_key: '{{setting.shared_secret}}'");
    expect(sidebar).not.toContain('app-secret');
    expect(sidebar).not.toMatch(/innerHTML/);
    const png = files.get('assets/logo.png')!;
    expect([png.subarray(1, 4).toString(), png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(['PNG', 320, 320]);
  });

  it('requires what `install zendesk` creates: both webhooks with their signing secrets, both CSAT triggers, a category field', () => {
    const requirements = JSON.parse(zendeskAppFiles(OPTIONS).get('requirements.json')!.toString()) as {
      webhooks: Record<string, { endpoint: string; subscriptions: string[]; signing_secret: unknown }>;
      triggers: Record<string, { actions: { field: string; value: string[] }[] }>;
      ticket_fields: Record<string, { type: string; custom_field_options: { value: string }[] }>;
    };
    expect(Object.keys(requirements.webhooks)).toEqual(['cxloop_events', 'cxloop_csat']);
    expect(requirements.webhooks.cxloop_events).toMatchObject({ endpoint: 'https://cxloop.acme.test/webhooks/zendesk', subscriptions: SUBSCRIBED_EVENT_TYPES, signing_secret: { algorithm: 'sha256', secret: 'events-secret' } });
    expect(requirements.webhooks.cxloop_csat).toMatchObject({ subscriptions: ['conditional_ticket_events'], signing_secret: { algorithm: 'sha256', secret: 'csat-secret' } });
    expect(Object.keys(requirements.triggers)).toEqual(['cxloop_csat_good', 'cxloop_csat_bad']);
    // A trigger names the webhook by its requirement key; Zendesk puts the created webhook's id in.
    expect(requirements.triggers.cxloop_csat_good!.actions[0]).toMatchObject({ field: 'notification_webhook', value: ['cxloop_csat', expect.stringContaining('"score":"good"')] });
    expect(requirements.ticket_fields.cxloop_category!.type).toBe('tagger');
    expect(requirements.ticket_fields.cxloop_category!.custom_field_options.map((option) => option.value)).toEqual(CATEGORY_IDS.map((id) => `cxloop_${id}`));
    expect(zendeskAppFiles({ ...OPTIONS, withRequirements: false }).has('requirements.json')).toBe(false);
  });

  it('makes new random secrets each time', () => {
    const [a, b] = [generateZendeskAppSecrets(), generateZendeskAppSecrets()];
    expect(a.app).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([a.app, a.events, a.csat, b.app]).size).toBe(4);
  });
});
