import type { CustomerLanguage } from '../customer-texts.js';

export const en: CustomerLanguage = {
  code: 'en',
  updates: {
    acknowledged: [
      'Hello,',
      '',
      'A specialist is on it: your request #{ticket} is being worked on.',
      'We expect to resolve it by {eta}.',
      'You will hear from us again by {next_update}.',
      'Follow its progress here: {status_link}',
    ].join('\n'),
    revised_eta: [
      'Hello,',
      '',
      'We are still working on your request #{ticket}, and it is taking longer than we planned. We are sorry for the wait.',
      'Our new estimate for a resolution is {eta}.',
      'You will hear from us again by {next_update}.',
      'Follow its progress here: {status_link}',
    ].join('\n'),
    solved: [
      'Hello,',
      '',
      'Your request #{ticket} is solved. We will keep an eye on it for a few days to make sure it stays fixed; if anything is still wrong, just reply to this message.',
      'Where it stands: {status_link}',
    ].join('\n'),
  },
  page: {
    title: 'Request #{ticket}',
    stage: 'Where it stands',
    lastUpdate: 'Last update',
    nextUpdate: 'Next update by',
    eta: 'Expected resolution',
    none: 'not planned yet',
    footer: 'This page shows where your request stands and changes as we work on it. To add something, reply to our email.',
    notFound: 'This link is not valid, or it has expired.',
    tooMany: 'Too many requests. Please try again in a minute.',
    stages: {
      routed: 'Received: we are finding the right specialist',
      acknowledged: 'A specialist is working on it',
      acted: 'Solved: we are checking that it stays fixed',
      verified: 'Resolved',
      follow_up: 'We are following up with you',
      closed: 'Closed',
    },
  },
};
