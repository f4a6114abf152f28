import { describe, expect, it } from 'vitest';
import { compactDeliveryKey } from '../../../src/app/run-loop.js';

describe('compactDeliveryKey', () => {
  it('keeps short keys (timer ids) as they are', () => {
    expect(compactDeliveryKey('t-rt-ve-mwwnczuo')).toBe('t-rt-ve-mwwnczuo');
  });

  it('turns a long delivery key into 22 stable base64url characters, distinct per key', () => {
    const a = compactDeliveryKey('zen:01F1KRFQ6BG29CNWFR60NK5FNY:5c1a6f6e-9d7e-4a53-8f0e-4c1f2b3a4d5e');
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(compactDeliveryKey('zen:01F1KRFQ6BG29CNWFR60NK5FNY:5c1a6f6e-9d7e-4a53-8f0e-4c1f2b3a4d5e')).toBe(a);
    expect(compactDeliveryKey('zen:01F1KRFQ6BG29CNWFR60NK5FNY:5c1a6f6e-9d7e-4a53-8f0e-4c1f2b3a4d5f')).not.toBe(a);
  });
});
