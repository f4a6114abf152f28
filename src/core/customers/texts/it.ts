import type { CustomerLanguage } from '../customer-texts.js';

export const it: CustomerLanguage = {
  code: 'it',
  updates: {
    acknowledged: [
      'Buongiorno,',
      '',
      'uno specialista si sta occupando della sua richiesta #{ticket}.',
      'Contiamo di risolverla entro il {eta}.',
      'Le daremo nuove notizie entro il {next_update}.',
      "Può seguirne l'avanzamento qui: {status_link}",
    ].join('\n'),
    revised_eta: [
      'Buongiorno,',
      '',
      "stiamo ancora lavorando alla sua richiesta #{ticket}, ma ci vuole più tempo del previsto. Ci scusiamo per l'attesa.",
      'La nostra nuova stima per la risoluzione è il {eta}.',
      'Le daremo nuove notizie entro il {next_update}.',
      "Può seguirne l'avanzamento qui: {status_link}",
    ].join('\n'),
    solved: [
      'Buongiorno,',
      '',
      "la sua richiesta #{ticket} è stata risolta. La terremo d'occhio ancora per qualche giorno per assicurarci che il problema non si ripresenti; se qualcosa non va ancora, risponda semplicemente a questo messaggio.",
      'Lo stato: {status_link}',
    ].join('\n'),
  },
  page: {
    title: 'Richiesta #{ticket}',
    stage: 'Stato',
    lastUpdate: 'Ultimo aggiornamento',
    nextUpdate: 'Prossima notizia entro il',
    eta: 'Risoluzione prevista',
    none: 'non ancora prevista',
    footer: "Questa pagina mostra lo stato della sua richiesta e cambia mentre ci lavoriamo. Per aggiungere qualcosa, risponda alla nostra e-mail.",
    notFound: 'Questo link non è valido o è scaduto.',
    tooMany: 'Troppe richieste. Riprovi tra un minuto.',
    stages: {
      routed: 'Ricevuta: stiamo cercando lo specialista giusto',
      acknowledged: 'Uno specialista ci sta lavorando',
      acted: 'Risolta: verifichiamo che resti così',
      verified: 'Conclusa',
      follow_up: 'La ricontatteremo',
      closed: 'Chiusa',
    },
  },
};
