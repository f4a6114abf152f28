import type { CustomerLanguage } from '../customer-texts.js';

export const cs: CustomerLanguage = {
  code: 'cs',
  updates: {
    acknowledged: [
      'Dobrý den,',
      '',
      'vaším požadavkem #{ticket} se už zabývá specialista.',
      'Vyřešení očekáváme do {eta}.',
      'Další zprávu od nás dostanete nejpozději {next_update}.',
      'Průběh můžete sledovat zde: {status_link}',
    ].join('\n'),
    revised_eta: [
      'Dobrý den,',
      '',
      'na vašem požadavku #{ticket} stále pracujeme, ale trvá to déle, než jsme plánovali. Omlouváme se za čekání.',
      'Nový odhad vyřešení: {eta}.',
      'Další zprávu od nás dostanete nejpozději {next_update}.',
      'Průběh můžete sledovat zde: {status_link}',
    ].join('\n'),
    solved: [
      'Dobrý den,',
      '',
      'váš požadavek #{ticket} je vyřešen. Ještě několik dní ho budeme sledovat, abychom se ujistili, že se problém nevrátí; pokud něco stále není v pořádku, stačí na tuto zprávu odpovědět.',
      'Stav: {status_link}',
    ].join('\n'),
  },
  page: {
    title: 'Požadavek #{ticket}',
    stage: 'Stav',
    lastUpdate: 'Poslední změna',
    nextUpdate: 'Další zpráva do',
    eta: 'Očekávané vyřešení',
    none: 'zatím neplánováno',
    footer: 'Tato stránka ukazuje stav vašeho požadavku a mění se, jak na něm pracujeme. Chcete-li něco doplnit, odpovězte na náš e-mail.',
    notFound: 'Tento odkaz je neplatný nebo vypršel.',
    tooMany: 'Příliš mnoho požadavků. Zkuste to prosím za minutu znovu.',
    stages: {
      routed: 'Přijato: hledáme správného specialistu',
      acknowledged: 'Pracuje na něm specialista',
      acted: 'Vyřešeno: ověřujeme, že to tak zůstane',
      verified: 'Dokončeno',
      follow_up: 'Ještě se vám ozveme',
      closed: 'Uzavřeno',
    },
  },
};
