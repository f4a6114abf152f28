import { describe, expect, it } from 'vitest';
import { parsePublicUrl } from '../../../src/cli/parse-public-url.js';

describe('parsePublicUrl', () => {
  it.each([
    { text: 'https://cxloop.example.com', url: 'https://cxloop.example.com' },
    { text: 'https://cxloop.example.com/', url: 'https://cxloop.example.com' },
    { text: ' https://CXLOOP.example.com:8443/cx/ ', url: 'https://cxloop.example.com:8443/cx' },
    { text: 'https://cxloop.example.com/prefix//', url: 'https://cxloop.example.com/prefix' },
  ])('accepts $text as $url', ({ text, url }) => {
    expect(parsePublicUrl(text)).toEqual({ ok: true, url });
  });

  it.each(['http://localhost:3000', 'http://127.0.0.1:3000/', 'http://[::1]:3000'])('accepts %s with a warning', (text) => {
    const result = parsePublicUrl(text);
    expect(result).toEqual({ ok: true, url: text.replace(/\/$/, ''), warning: expect.stringContaining('Zendesk cannot call it') });
  });

  it.each([
    { text: 'http://cxloop.example.com', reason: /must be https/ },
    { text: 'http://127.0.0.2', reason: /must be https/ },
    { text: 'ftp://cxloop.example.com', reason: /must be https/ },
    { text: 'cxloop.example.com', reason: /is not a URL/ },
    { text: '', reason: /is not a URL/ },
    { text: 'https://user:pw@cxloop.example.com', reason: /user name or password/ },
    { text: 'https://cxloop.example.com/?a=1', reason: /query/ },
    { text: 'https://cxloop.example.com/#top', reason: /fragment/ },
  ])('refuses "$text"', ({ text, reason }) => {
    expect(parsePublicUrl(text)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });
});
