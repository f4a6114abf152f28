import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS, parseEnv } from '../../../src/config/env-schema.js';

const lines = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8').split('\n');

describe('.env.example', () => {
  const keys = lines.filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split('=')[0]);

  it('lists exactly the keys of the env schema', () => {
    expect([...keys].sort()).toEqual([...ENV_KEYS].sort());
  });

  it('has a one-line comment above every key', () => {
    for (const key of keys) {
      const index = lines.findIndex((line) => line.startsWith(`${key}=`));
      expect(lines[index - 1], `comment above ${key}`).toMatch(/^# \S/);
    }
  });

  it('parses as a valid environment when copied as is', () => {
    const copied = Object.fromEntries(lines.filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
    const result = parseEnv(copied);
    expect(result.ok).toBe(true);
  });
});
