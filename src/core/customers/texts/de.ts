import type { CustomerLanguage } from '../customer-texts.js';

export const de: CustomerLanguage = {
  code: 'de',
  updates: {
    acknowledged: [
      'Guten Tag,',
      '',
      'wir kümmern uns darum: Ihre Anfrage #{ticket} wird von einer Fachkraft bearbeitet.',
      'Wir rechnen mit einer Lösung bis {eta}.',
      'Sie hören spätestens bis {next_update} wieder von uns.',
      'Den Stand sehen Sie jederzeit hier: {status_link}',
    ].join('\n'),
    revised_eta: [
      'Guten Tag,',
      '',
      'wir arbeiten weiter an Ihrer Anfrage #{ticket}; es dauert leider länger als geplant. Bitte entschuldigen Sie die Wartezeit.',
      'Unsere neue Einschätzung für eine Lösung: {eta}.',
      'Sie hören spätestens bis {next_update} wieder von uns.',
      'Den Stand sehen Sie jederzeit hier: {status_link}',
    ].join('\n'),
    solved: [
      'Guten Tag,',
      '',
      'Ihre Anfrage #{ticket} ist gelöst. Wir behalten sie noch einige Tage im Blick, damit das Problem nicht wiederkehrt; falls doch noch etwas nicht stimmt, antworten Sie einfach auf diese Nachricht.',
      'Zum Stand: {status_link}',
    ].join('\n'),
  },
  page: {
    title: 'Anfrage #{ticket}',
    stage: 'Stand',
    lastUpdate: 'Letzte Änderung',
    nextUpdate: 'Nächste Nachricht bis',
    eta: 'Voraussichtliche Lösung',
    none: 'noch nicht geplant',
    footer: 'Diese Seite zeigt den Stand Ihrer Anfrage und ändert sich, während wir daran arbeiten. Um etwas zu ergänzen, antworten Sie auf unsere E-Mail.',
    notFound: 'Dieser Link ist ungültig oder abgelaufen.',
    tooMany: 'Zu viele Anfragen. Bitte versuchen Sie es in einer Minute noch einmal.',
    stages: {
      routed: 'Eingegangen: wir suchen die passende Fachkraft',
      acknowledged: 'Eine Fachkraft bearbeitet sie',
      acted: 'Gelöst: wir prüfen, ob es so bleibt',
      verified: 'Erledigt',
      follow_up: 'Wir melden uns noch einmal bei Ihnen',
      closed: 'Geschlossen',
    },
  },
};
