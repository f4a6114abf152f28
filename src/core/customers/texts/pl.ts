import type { CustomerLanguage } from '../customer-texts.js';

export const pl: CustomerLanguage = {
  code: 'pl',
  updates: {
    acknowledged: [
      'Dzień dobry,',
      '',
      'Twoim zgłoszeniem #{ticket} zajmuje się już specjalista.',
      'Spodziewamy się rozwiązać je do {eta}.',
      'Kolejną wiadomość od nas otrzymasz najpóźniej {next_update}.',
      'Postęp możesz śledzić tutaj: {status_link}',
    ].join('\n'),
    revised_eta: [
      'Dzień dobry,',
      '',
      'Nadal pracujemy nad Twoim zgłoszeniem #{ticket}, ale trwa to dłużej, niż planowaliśmy. Przepraszamy za oczekiwanie.',
      'Nowy przewidywany termin rozwiązania: {eta}.',
      'Kolejną wiadomość od nas otrzymasz najpóźniej {next_update}.',
      'Postęp możesz śledzić tutaj: {status_link}',
    ].join('\n'),
    solved: [
      'Dzień dobry,',
      '',
      'Twoje zgłoszenie #{ticket} zostało rozwiązane. Przez kilka dni będziemy je jeszcze obserwować, aby upewnić się, że problem nie wróci; jeśli coś nadal jest nie tak, po prostu odpowiedz na tę wiadomość.',
      'Status: {status_link}',
    ].join('\n'),
  },
  page: {
    title: 'Zgłoszenie #{ticket}',
    stage: 'Stan',
    lastUpdate: 'Ostatnia zmiana',
    nextUpdate: 'Kolejna wiadomość do',
    eta: 'Przewidywane rozwiązanie',
    none: 'jeszcze nie zaplanowano',
    footer: 'Ta strona pokazuje stan Twojego zgłoszenia i zmienia się w miarę naszej pracy. Aby coś dodać, odpowiedz na naszego e-maila.',
    notFound: 'Ten link jest nieprawidłowy lub wygasł.',
    tooMany: 'Zbyt wiele żądań. Spróbuj ponownie za minutę.',
    stages: {
      routed: 'Przyjęte: szukamy właściwego specjalisty',
      acknowledged: 'Specjalista nad nim pracuje',
      acted: 'Rozwiązane: sprawdzamy, czy tak zostanie',
      verified: 'Zakończone',
      follow_up: 'Skontaktujemy się z Tobą ponownie',
      closed: 'Zamknięte',
    },
  },
};
