import type { CustomerLanguage } from '../customer-texts.js';

export const nl: CustomerLanguage = {
  code: 'nl',
  updates: {
    acknowledged: [
      'Hallo,',
      '',
      'Een specialist is met uw verzoek #{ticket} bezig.',
      'We verwachten het uiterlijk {eta} op te lossen.',
      'U hoort uiterlijk {next_update} weer van ons.',
      'Volg de voortgang hier: {status_link}',
    ].join('\n'),
    revised_eta: [
      'Hallo,',
      '',
      'We werken nog aan uw verzoek #{ticket}, maar het duurt langer dan gepland. Excuses voor het wachten.',
      'Onze nieuwe inschatting voor een oplossing is {eta}.',
      'U hoort uiterlijk {next_update} weer van ons.',
      'Volg de voortgang hier: {status_link}',
    ].join('\n'),
    solved: [
      'Hallo,',
      '',
      'Uw verzoek #{ticket} is opgelost. We houden het nog een paar dagen in de gaten om zeker te zijn dat het probleem niet terugkomt; is er toch nog iets mis, beantwoord dan gewoon dit bericht.',
      'De stand van zaken: {status_link}',
    ].join('\n'),
  },
  page: {
    title: 'Verzoek #{ticket}',
    stage: 'Stand van zaken',
    lastUpdate: 'Laatste wijziging',
    nextUpdate: 'Volgend bericht uiterlijk',
    eta: 'Verwachte oplossing',
    none: 'nog niet gepland',
    footer: 'Deze pagina toont de stand van uw verzoek en verandert terwijl we eraan werken. Wilt u iets toevoegen, beantwoord dan onze e-mail.',
    notFound: 'Deze link is ongeldig of verlopen.',
    tooMany: 'Te veel verzoeken. Probeer het over een minuut opnieuw.',
    stages: {
      routed: 'Ontvangen: we zoeken de juiste specialist',
      acknowledged: 'Een specialist werkt eraan',
      acted: 'Opgelost: we controleren of het zo blijft',
      verified: 'Afgehandeld',
      follow_up: 'We nemen nog contact met u op',
      closed: 'Gesloten',
    },
  },
};
