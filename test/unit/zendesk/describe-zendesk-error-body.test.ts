import { describe, expect, it } from 'vitest';
import { describeZendeskErrorBody } from '../../../src/adapters/zendesk/describe-zendesk-error-body.js';

describe('describeZendeskErrorBody', () => {
  it.each([
    { name: 'no body', body: undefined, expected: '' },
    { name: 'a string body', body: 'Bad Gateway', expected: '' },
    { name: 'Support API: error and description', body: { error: 'Forbidden', description: 'You do not have access to this page.' }, expected: 'Forbidden: You do not have access to this page.' },
    {
      name: 'Support API: RecordInvalid with details per field',
      body: {
        error: 'RecordInvalid',
        description: 'Record validation errors',
        details: { actions: [{ description: 'Actions: webhook is invalid', error: 'InvalidValue' }], title: [{ description: 'Title: cannot be blank' }] },
      },
      expected: 'RecordInvalid: Record validation errors; actions: Actions: webhook is invalid; title: Title: cannot be blank',
    },
    { name: 'Support API: error object', body: { error: { title: 'Invalid attribute', message: 'You passed an invalid value' } }, expected: 'Invalid attribute: You passed an invalid value' },
    {
      name: 'Webhooks API: errors with a pointer',
      body: { errors: [{ code: 'InvalidValue', title: 'Invalid value', detail: 'endpoint must use https', source: { pointer: '/webhook/endpoint' } }] },
      expected: 'Invalid value: endpoint must use https (at /webhook/endpoint)',
    },
    {
      name: 'Webhooks API: several errors, one repeated',
      body: { errors: [{ title: 'Too many webhooks' }, { title: 'Too many webhooks' }, { title: 'Name taken', detail: 'cxloop-events exists' }] },
      expected: 'Too many webhooks; Name taken: cxloop-events exists',
    },
  ])('$name', ({ body, expected }) => {
    expect(describeZendeskErrorBody(body)).toBe(expected);
  });

  it('is shortened to maxLength', () => {
    expect(describeZendeskErrorBody({ error: 'x'.repeat(1_000) }, 50)).toHaveLength(50);
  });
});
