import { describe, expect, it } from 'vitest';
import { LEXICONS } from '../../../src/core/classify/lexicons/index.js';
import { stripMarkup } from '../../../src/core/classify/strip-markup.js';
import { compileReplyStripper } from '../../../src/core/classify/strip-replies.js';

const strip = compileReplyStripper(LEXICONS);

describe('compileReplyStripper', () => {
  it.each([
    ['quoted lines', 'Thanks, it works now.\n> The app crashes\n> on login', 'Thanks, it works now.'],
    ['an English reply header', 'Works now!\n\nOn Mon, 3 Jun 2024 at 10:00, Support <s@x.io> wrote:\nThe app crashes', 'Works now!\n'],
    ['an Outlook original message', 'Fine.\n-----Original Message-----\nFrom: x\nbug report', 'Fine.'],
    ['a signature delimiter', 'Please refund me.\n-- \nAna\nACME crash-test dummies', 'Please refund me.'],
    ['a closing near the end', 'The export is slow.\n\nBest regards,\nAna Bug', 'The export is slow.\n'],
    ['a German closing', 'Bitte um Rückerstattung.\n\nMit freundlichen Grüßen\nAnna Fehler', 'Bitte um Rückerstattung.\n'],
  ])('drops %s', (_name, text, expected) => {
    expect(strip(text)).toBe(expected);
  });

  it.each([
    ['de', 'Geht wieder.\nAnna Schmidt <anna@example.de> schrieb am Mo., 3. Juni 2024, 10:00:\nDie App stürzt ab'],
    ['nl', 'Werkt weer.\nJan de Vries schreef op 3 juni 2024 om 10:00:\nDe app crasht'],
    ['pl', 'Działa.\nJan Kowalski <jan@example.pl> napisał:\nAplikacja się zawiesza'],
    ['cs', 'Funguje.\nDne 3. 6. 2024 v 10:00 Jan Novák napsal:\nAplikace padá'],
    ['ru', 'Работает.\n3 июня 2024 г., в 10:00, Иван <ivan@example.ru> пишет:\nПриложение падает'],
  ])('drops a %s reply header that opens with the sender and ends in a colon', (_language, text) => {
    expect(strip(text)).toBe(text.slice(0, text.indexOf('\n')));
  });

  it('keeps a line that ends in a colon but is no reply header', () => {
    const text = 'The export fails.\nSteps to reproduce, as written on 3 June at 10:00:\nOpen the report';
    expect(strip(text)).toBe(text);
  });

  it('keeps everything when it would leave nothing', () => {
    const forwarded = '> only a quote\n> crash';
    expect(strip(forwarded)).toBe(forwarded);
  });

  it('keeps a closing word that is part of a sentence', () => {
    const text = 'Thanks for the quick reply.\nStill broken.';
    expect(strip(text)).toBe(text);
  });
});

describe('stripMarkup', () => {
  it.each([
    ['HTML comments', 'Real text <!-- Describe the bug here --> more', 'Real text   more'],
    ['fenced code', 'Before\n```\nthrow new Error("crash")\n```\nAfter', 'Before\n\n\nAfter'],
    ['URLs', 'See https://github.com/x/wiki/Submitting-Bugs please', 'See   please'],
    ['HTML tags', 'Type: <b>Bug</b>', 'Type:  Bug '],
    ["a form's bold question", '**What is the current behavior?**\nThe menu stays open', '\n\nThe menu stays open'],
    ["a form's bold prompt ending in a colon", '**If the current behavior is a bug, please provide the steps to reproduce:**\nOpen the menu', '\n\nOpen the menu'],
    ['Markdown headings, keeping what is written under them', '### Issue Type\n\nFeature Request\n\n## Standalone code to reproduce the issue\nx', '\n\n\nFeature Request\n\n\n\nx'],
  ])('removes %s', (_name, text, expected) => {
    expect(stripMarkup(text)).toBe(expected);
  });

  it.each([
    ['bold words inside a sentence', 'It is **really** broken: **the menu** stays open'],
    ['a ticket number or a hash tag', '#1234 is open again\n#urgent please look'],
  ])('keeps %s', (_name, text) => {
    expect(stripMarkup(text)).toBe(text);
  });
});
