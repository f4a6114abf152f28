import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/core/classify/classifier.js';
import { defaultClassifier } from '../../support/default-classifier.js';

/**
 * The precedence mechanisms of the rules (weigh-evidence.ts and classifier.ts), each in every
 * language it applies to. The sentences are made up for these tests.
 */
type Row = readonly [language: string, text: string];

function classify(text: string, subject = ''): Decision {
  return defaultClassifier.classify({ subject, description: text });
}

const sentimentEvidence = (decision: Decision) => decision.evidence.filter((item) => item.for === 'sentiment_experience');

describe('greetings, thanks and sign-offs are not feedback', () => {
  const ROWS: readonly Row[] = [
    ['en', 'Dear customer service team,\nI was charged twice for my subscription this month.\nThank you for your help,\nKind regards'],
    ['de', 'Sehr geehrter Kundenservice,\nmir wurde das Abo diesen Monat doppelt abgebucht.\nVielen Dank für Ihre Hilfe!\nMit freundlichen Grüßen'],
    ['es', 'Estimado servicio al cliente,\nme han cobrado dos veces la suscripción este mes.\nMuchas gracias por su ayuda.\nSaludos'],
    ['fr', "Bonjour service client,\nj'ai été facturé deux fois pour mon abonnement ce mois-ci.\nMerci beaucoup pour votre aide.\nCordialement"],
    ['pt', 'Olá atendimento ao cliente,\nfui cobrado duas vezes pela assinatura este mês.\nMuito obrigado pela ajuda.\nAtenciosamente'],
    ['it', "Gentile servizio clienti,\nmi avete addebitato due volte l'abbonamento questo mese.\nGrazie mille per l'aiuto.\nCordiali saluti"],
    ['nl', 'Beste klantenservice,\nmijn abonnement is deze maand twee keer afgeschreven.\nAlvast bedankt voor de hulp.\nMet vriendelijke groet'],
    ['tr', 'Merhaba müşteri hizmetleri,\naboneliğim için bu ay iki kez ücret alındı.\nYardımınız için teşekkürler.\nSaygılarımla'],
    ['ru', 'Здравствуйте, служба поддержки!\nС меня дважды списали оплату за подписку в этом месяце.\nЗаранее спасибо за помощь.\nС уважением'],
    ['pl', 'Dzień dobry, obsługa klienta,\npobrano ode mnie podwójną opłatę za subskrypcję w tym miesiącu.\nZ góry dziękuję za pomoc.\nPozdrawiam'],
    ['cs', 'Dobrý den, zákaznický servis,\npředplatné mi bylo tento měsíc strženo dvakrát.\nPředem děkuji za pomoc.\nS pozdravem'],
  ];

  it.each(ROWS)('[%s] a billing problem inside a polite letter is billing, with no sentiment evidence', (_language, text) => {
    const decision = classify(text);
    expect(decision.category, decision.summary).toBe('billing_issue');
    expect(sentimentEvidence(decision)).toEqual([]);
  });

  it('counts a ticket that is only thanks as feedback, and a salutation with thanks as nothing', () => {
    expect(classify('Thank you so much!').category).toBe('sentiment_experience');
    expect(classify('Sehr geehrter Kundenservice, vielen Dank.').category).toBe('other');
  });

  it('keeps strong praise inside a thanks clause', () => {
    expect(classify('Thank you for this amazing app, it has made my life so much easier').category).toBe('sentiment_experience');
  });
});

describe('a concrete defect outranks strongly negative wording', () => {
  const ROWS: readonly Row[] = [
    ['en', "Terrible, the document won't open."],
    ['de', 'Schrecklich, das Dokument lässt sich nicht öffnen.'],
    ['es', 'Horrible, el documento no se abre.'],
    ['fr', "C'est horrible, le document ne s'ouvre pas."],
    ['pt', 'Horrível, o documento não abre.'],
    ['it', 'Terribile, il documento non si apre.'],
    ['nl', 'Verschrikkelijk, het document opent niet.'],
    ['tr', 'Berbat, belge açılmıyor.'],
    ['ru', 'Ужасно, документ не открывается.'],
    ['pl', 'Okropne, dokument się nie otwiera.'],
    ['cs', 'Otřesné, dokument se neotevře.'],
  ];

  it.each(ROWS)('[%s] %s -> bug_report', (_language, text) => {
    const decision = classify(text);
    expect(decision.category, decision.summary).toBe('bug_report');
  });

  it('still reads negative wording without a defect as feedback', () => {
    expect(classify('Terrible experience, worst service I ever had.').category).toBe('sentiment_experience');
    expect(classify('Schrecklicher Service, ich bin sehr enttäuscht.').category).toBe('sentiment_experience');
  });
});

describe('an install, activation or sign-up failure is a bug, not a how-to question', () => {
  const ROWS: readonly Row[] = [
    ['en', 'How do I get past this? The installation fails with an error every time.'],
    ['de', 'Wie kann ich das lösen? Die Installation schlägt jedes Mal mit einer Fehlermeldung fehl.'],
    ['es', '¿Cómo lo soluciono? La instalación falla con un error cada vez.'],
    ['fr', "Comment faire ? L'installation échoue à chaque fois avec une erreur."],
    ['pt', 'Como resolvo isso? A instalação falha com um erro toda vez.'],
    ['it', "Come posso fare? L'installazione non riesce e dà un errore ogni volta."],
    ['nl', 'Hoe los ik dit op? De installatie mislukt elke keer met een foutmelding.'],
    ['tr', 'Ne yapmalıyım? Kurulum her seferinde hata veriyor.'],
    ['ru', 'Как быть? Установка каждый раз завершается ошибкой.'],
    ['pl', 'Co mam zrobić? Instalacja za każdym razem kończy się błędem.'],
    ['cs', 'Co mám dělat? Instalace pokaždé skončí chybou.'],
  ];

  it.each(ROWS)('[%s] %s -> bug_report', (_language, text) => {
    const decision = classify(text);
    expect(decision.category, decision.summary).toBe('bug_report');
  });

  it.each([
    ['en', 'My licence key is not accepted, the activation keeps failing.'],
    ['de', 'Die Aktivierung ist fehlgeschlagen, mein Lizenzschlüssel wird als ungültig abgelehnt.'],
    ['es', 'No puedo activar la licencia, la clave de licencia da error.'],
  ])('[%s] an activation failure is a bug: %s', (_language, text) => {
    expect(classify(text).category).toBe('bug_report');
  });

  it('leaves an install question without a failure to onboarding', () => {
    expect(classify('How do I install the desktop app on a second computer?').category).toBe('onboarding_help');
    expect(classify('Wie installiere ich die App auf einem zweiten Rechner?').category).toBe('onboarding_help');
  });
});

describe('asking what one is doing wrong about a defect is a how-to question', () => {
  const ROWS: readonly Row[] = [
    ['en', 'I get an error message when I export the report. What am I doing wrong?'],
    ['de', 'Beim Exportieren des Berichts bekomme ich eine Fehlermeldung. Was mache ich falsch?'],
    ['fr', "J'ai un message d'erreur quand j'exporte le rapport. Qu'est-ce que je fais mal ?"],
    ['it', 'Ricevo un messaggio di errore quando esporto il report. Cosa sbaglio?'],
    ['nl', 'Ik krijg een foutmelding als ik het rapport exporteer. Wat doe ik verkeerd?'],
    ['tr', 'Raporu dışa aktarırken hata mesajı alıyorum. Neyi yanlış yapıyorum?'],
    ['ru', 'При экспорте отчёта я получаю сообщение об ошибке. Что я делаю не так?'],
    ['pl', 'Przy eksporcie raportu dostaję komunikat o błędzie. Co robię źle?'],
    ['cs', 'Při exportu sestavy se mi zobrazí chybová hláška. Co dělám špatně?'],
  ];

  it.each(ROWS)('[%s] %s -> onboarding_help', (_language, text) => {
    const decision = classify(text);
    expect(decision.category, decision.summary).toBe('onboarding_help');
  });

  it('leaves the same defect without that question, asked with "??", or with a plain plea for help, a bug', () => {
    expect(classify('I get an error message when I export the report.').category).toBe('bug_report');
    expect(classify('The export crashes every time, why??').category).toBe('bug_report');
    // A ticket that reports a defect and asks what to do about it is about the defect.
    expect(classify('The app crashes when I open it, what can I do?', 'App crashes').category).toBe('bug_report');
    expect(classify('Die App stürzt beim Öffnen ab, was kann ich tun?', 'Absturz').category).toBe('bug_report');
    expect(classify('Uygulama açılmıyor, ne yapmalıyım?').category).toBe('bug_report');
  });
});

describe('asking to be told how is a how-to question, not a request', () => {
  it('reads "we would like to know" and a request for guidance as the question they are', () => {
    const decision = classify('Hello, could you provide guidance on how to integrate your API with our CRM system? We would like to know the required steps.');
    expect(decision.category, decision.summary).toBe('onboarding_help');
  });

  it('leaves a wish that names what it would like a feature request', () => {
    expect(classify('We would like the export to support Parquet files.').category).toBe('feature_request');
  });
});

describe('a denied billing word is still about billing', () => {
  it('counts a refund not received, and a charge denied, as billing', () => {
    expect(classify("I still haven't received my refund").category).toBe('billing_issue');
    expect(classify('Ich wurde nicht belastet, aber die Rechnung zeigt eine Zahlung.').category).toBe('billing_issue');
  });

  it('still lets negation take a weak billing word used otherwise', () => {
    expect(classify('Do not upgrade on iPad, it crashes on open.').category).toBe('bug_report');
  });
});

describe("a billing topic outranks a question's form", () => {
  const ROWS: readonly Row[] = [
    ['en', 'How do I change the credit card for my subscription?'],
    ['de', 'Wie kann ich die Kreditkarte für mein Abo ändern?'],
    ['es', '¿Cómo puedo cambiar la tarjeta de crédito de mi suscripción?'],
    ['fr', 'Comment puis-je changer la carte bancaire de mon abonnement ?'],
    ['pt', 'Como posso mudar o cartão de crédito da minha assinatura?'],
    ['it', "Come posso cambiare la carta di credito dell'abbonamento?"],
    ['nl', 'Hoe kan ik de creditcard van mijn abonnement wijzigen?'],
    ['tr', 'Aboneliğimin kredi kartını nasıl değiştirebilirim?'],
    ['ru', 'Как изменить банковскую карту для оплаты подписки?'],
    ['pl', 'Jak mogę zmienić kartę kredytową dla mojej subskrypcji?'],
    ['cs', 'Jak mohu změnit platební kartu u svého předplatného?'],
  ];

  it.each(ROWS)('[%s] %s -> billing_issue', (_language, text) => {
    const decision = classify(text, text);
    expect(decision.category, decision.summary).toBe('billing_issue');
  });

  it('keeps a how-to question without a billing topic as onboarding', () => {
    expect(classify('How do I invite my colleagues to the workspace?', 'How do I invite colleagues?').category).toBe('onboarding_help');
  });
});

describe('short praise and ratings are feedback', () => {
  const ROWS: ReadonlyArray<readonly [string, string]> = [
    ['en', 'ok'], ['en', 'not bad'], ['en', 'Love it!'], ['en', 'Decent app'],
    ['de', 'Geht so'], ['de', 'Nicht schlecht'], ['de', 'Ganz gut'],
    ['es', 'No está mal'], ['es', 'Regular'], ['es', 'Me encanta'],
    ['fr', 'Pas mal'], ['fr', 'Bof'], ['fr', "J'adore"],
    ['pt', 'Nada mal'], ['pt', 'Mais ou menos'], ['pt', 'Adorei'],
    ['it', 'Niente male'], ['it', 'Così così'], ['it', 'La adoro'],
    ['nl', 'Niet slecht'], ['nl', 'Gaat wel'], ['nl', 'Prima'],
    ['tr', 'Fena değil'], ['tr', 'İdare eder'], ['tr', 'Bayıldım'],
    ['ru', 'Неплохо'], ['ru', 'Так себе'], ['ru', 'Обожаю'],
    ['pl', 'Nieźle'], ['pl', 'Może być'], ['pl', 'Uwielbiam'],
    ['cs', 'Ujde'], ['cs', 'Nic moc'], ['cs', 'Miluju'],
    ['any', '★★★★☆'], ['any', '👍'], ['any', '4/5'],
  ];

  it.each(ROWS)('[%s] %s -> sentiment_experience', (_language, text) => {
    const decision = classify(text);
    expect(decision.category, decision.summary).toBe('sentiment_experience');
  });

  it('counts rating words only in a short ticket', () => {
    const decision = classify('ok so I opened the settings and then the export page and clicked the button');
    expect(decision.evidence.find((item) => item.value === 'ok')).toBeUndefined();
  });

  it.each([
    ['en', 'The new version is not good at all, I am not happy with it.'],
    ['de', 'Ich bin mit der neuen Version überhaupt nicht zufrieden.'],
    ['es', 'No estoy satisfecho con la nueva versión.'],
  ])('[%s] a denied feeling is still feedback: %s', (_language, text) => {
    expect(classify(text).category).toBe('sentiment_experience');
  });
});

describe('accent-aware matching', () => {
  it('does not read German "schon" (already) as "schön" (nice) from a writer who types umlauts', () => {
    const decision = classify('Ich habe schon alles versucht, die Überweisung ist immer noch nicht da.');
    expect(decision.evidence.map((item) => item.value)).not.toContain('schön');
  });

  it('still reads "schön" written with its umlaut', () => {
    const decision = classify('Die neue Oberfläche ist wirklich schön, gefällt mir.');
    expect(decision.evidence.map((item) => item.value)).toContain('schön');
  });

  it('matches a writer who types no diacritics at all folded, as before', () => {
    const decision = classify('Die App ist wirklich schoen und schön einfach', 'Super');
    expect(decision.category).toBe('sentiment_experience');
    expect(classify('Die neue Oberflaeche ist wirklich schon toll').evidence.map((item) => item.value)).toContain('schön');
  });

  it('does not read Spanish "esta bien" as the rating "está bien" from a writer who types accents', () => {
    expect(classify('Está bien').category).toBe('sentiment_experience');
    expect(classify('Esta bien, pero ¿cómo?').evidence.map((item) => item.value)).not.toContain('está bien');
  });

  it('matches a stem across its accented forms ("paramétr*": paramètres)', () => {
    const decision = classify("Je ne trouve pas l'option dans les paramètres, comment faire ?");
    expect(decision.evidence.some((item) => item.words?.includes('paramètres'))).toBe(true);
  });
});

describe('a rhetorical "??" or "?!" is not a question', () => {
  it.each([
    ['en', 'Why does it crash again??', 'Why does it crash again?'],
    ['de', 'Warum stürzt die App schon wieder ab?!', 'Warum stürzt die App schon wieder ab?'],
    ['es', '¿Por qué se cierra otra vez la aplicación??', '¿Por qué se cierra otra vez la aplicación?'],
    ['tr', 'Uygulama neden yine çöktü??', 'Uygulama neden yine çöktü?'],
    ['ru', 'Почему приложение опять вылетает?!', 'Почему приложение опять вылетает?'],
  ])('[%s] %s asks nothing, %s does', (_language, rhetorical, question) => {
    const asked = (text: string) => classify('', text).evidence.filter((item) => item.for === 'onboarding_help');
    expect(asked(rhetorical)).toEqual([]);
    expect(asked(question).length).toBeGreaterThan(0);
    expect(classify('', rhetorical).category).toBe('bug_report');
  });
});

describe('outage wording makes a ticket a critical performance issue, in every language', () => {
  const ROWS: readonly Row[] = [
    ['en', 'The whole site is down since 9:00, we get 503 errors.'],
    ['de', 'Die Plattform ist komplett ausgefallen, wir bekommen nur Fehler 503.'],
    ['es', 'El servicio está caído desde esta mañana, sale error 503.'],
    ['fr', 'Le site est en panne depuis ce matin, erreur 503.'],
    ['pt', 'O sistema caiu e está fora do ar, erro 503.'],
    ['it', 'Il servizio non è raggiungibile da stamattina, errore 503.'],
    ['nl', 'Het platform ligt plat, we krijgen een 503 foutmelding.'],
    ['tr', 'Sistem tamamen çöktü, 503 hatası alıyoruz.'],
    ['ru', 'Сайт лежит с утра, выдаёт ошибку 503.'],
    ['pl', 'Serwer padł, dostajemy błąd 503.'],
    ['cs', 'Server spadl, dostáváme chybu 503.'],
  ];

  it.each(ROWS)('[%s] %s -> performance_issue, critical', (_language, text) => {
    const decision = classify(text);
    expect(decision.category, decision.summary).toBe('performance_issue');
    expect(decision.tier).toBe('critical');
  });

  it('reads a service that has been unavailable, in a formal ticket without a status code, as an outage', () => {
    const decision = classify('Hello, our services have been unavailable since this morning. Users report that the platform is not reachable and connections time out.');
    expect(decision).toMatchObject({ category: 'performance_issue', tier: 'critical' });
    expect(decision.tierReasons).toEqual(['outage wording: "have been unavailable"']);
  });

  it('reads nobody able to sign in during an outage as the outage, not as a failed sign-in', () => {
    const decision = classify('Hallo, seit heute Morgen ist der Dienst nicht erreichbar. Unsere Mitarbeiter können sich nicht anmelden und die Seite lädt nicht.');
    expect(decision).toMatchObject({ category: 'performance_issue', tier: 'critical' });
    expect(classify('Ich kann mich nicht anmelden, obwohl das Passwort stimmt.').category).toBe('bug_report');
  });

  it('reads a gateway status code and its error page as an outage in any language', () => {
    const decision = classify('Bugün sabahtan beri sayfa açılmıyor: 502 Bad Gateway');
    expect(decision).toMatchObject({ category: 'performance_issue', tier: 'critical' });
  });

  it('does not read a number as a status code without a failure around it', () => {
    const decision = classify('Please send me a copy of invoice 503.');
    expect(decision.category).toBe('billing_issue');
    expect(decision.tier).toBe('normal');
  });

  it('raises the tier on urgency wording without changing the category', () => {
    const decision = classify('Dringend: die Rechnung ist doppelt abgebucht worden.');
    expect(decision).toMatchObject({ category: 'billing_issue', tier: 'critical' });
    expect(decision.tierReasons[0]).toMatch(/^urgent wording: "dringend\*"/);
  });
});

describe('French "ne … plus" and "ne … pas": a defect stated with its own negation', () => {
  it.each([
    "L'application ne s'ouvre plus",
    'Je ne peux plus envoyer de photos',
    "Je n'arrive plus à me connecter",
    "L'appli ne démarre plus",
    'Ça ne charge plus',
  ])('%s -> bug_report', (text) => {
    const decision = classify(text);
    expect(decision.category, decision.summary).toBe('bug_report');
    expect(decision.negated).toEqual([]);
  });

  it('still reads "ne" before a defect word as its negation', () => {
    const decision = classify("L'appli ne plante plus depuis la mise à jour, merci !");
    expect(decision.category, decision.summary).not.toBe('bug_report');
    expect(decision.negated.map((item) => item.value)).toContain('plante');
  });
});

describe('a verb-first question asks only at the start of a clause (German, Dutch)', () => {
  it.each([
    ['de', 'Seit dem Update kann ich keine Fotos mehr hochladen', 'bug_report'],
    ['nl', "Sinds de update kan ik geen foto's meer uploaden", 'bug_report'],
    ['de', 'Kann ich mein Passwort ändern?', 'onboarding_help'],
    ['de', 'Hallo, muss ich die App neu installieren?', 'onboarding_help'],
    ['nl', 'Hallo, kan ik mijn wachtwoord wijzigen?', 'onboarding_help'],
  ] as const)('[%s] %s -> %s', (_language, text, expected) => {
    const decision = classify(text);
    expect(decision.category, decision.summary).toBe(expected);
  });
});

/** A feature that stopped working after an update, as people write it in every supported language. */
describe('"since the update I can no longer upload photos", in every language', () => {
  const ROWS: readonly Row[] = [
    ['en', 'Since the update I can not see my photos anymore'],
    ['de', 'Seit dem Update kann ich keine Fotos mehr hochladen'],
    ['es', 'Desde la actualización no puedo subir fotos'],
    ['fr', 'Depuis la mise à jour je ne peux plus envoyer de photos'],
    ['pt', 'Desde a atualização não consigo enviar fotos'],
    ['it', "Dall'aggiornamento non riesco più a caricare le foto"],
    ['nl', "Sinds de update kan ik geen foto's meer uploaden"],
    ['tr', 'Güncellemeden beri fotoğraf yükleyemiyorum'],
    ['ru', 'После обновления не могу загрузить фото'],
    ['pl', 'Od aktualizacji nie mogę przesłać zdjęć'],
    ['cs', 'Od aktualizace nemůžu nahrát fotky'],
  ];

  it.each(ROWS)('[%s] %s -> bug_report', (_language, text) => {
    const decision = classify(text);
    expect(decision.category, decision.summary).toBe('bug_report');
  });
});

describe('identifiers are code, not words', () => {
  it('does not read the words inside an under_score identifier as evidence ("unstable_batchedUpdates" is no defect)', () => {
    const decision = classify('How do unstable_batchedUpdates and unstable_createRoot differ from the stable ones?', 'Question about unstable_batchedUpdates');
    expect(decision.evidence.filter((item) => item.for === 'bug_report')).toEqual([]);
    expect(decision.category).toBe('onboarding_help');
    // The same word standing alone still counts.
    expect(classify('The app is unstable since the update and crashes every hour.').category).toBe('bug_report');
  });
});

describe('one piece of evidence per category on the same words', () => {
  it('counts two lexicons\' terms on one word once ("error*" en and es, "erro*" pt in a ticket too short to tell its language)', () => {
    const defect = classify('Error').evidence.filter((item) => item.for === 'bug_report');
    expect(defect).toHaveLength(1);
    expect(defect[0]?.weight).toBe(1);
  });

  it('counts a subject opener once ("Cannot" is both "cannot" and "can not")', () => {
    const openers = classify('', 'Cannot save my settings').evidence.filter((item) => item.rule === 'opener');
    expect(openers).toHaveLength(1);
  });

  it('reads the words of a rating as that one verdict ("está bien", not also "bien")', () => {
    const decision = classify('Está bien.');
    expect(decision.category).toBe('sentiment_experience');
    expect(sentimentEvidence(decision).map((item) => item.words)).toEqual([['está bien']]);
  });
});

describe('a change request titled as a fix is a bug report', () => {
  it.each(['Fixed the export option in the settings', 'Fixes the export option in the settings', '[ui] Fixing the export option in the settings', 'Hotfix: export option in the settings'])('%s', (subject) => {
    expect(classify('', subject).category).toBe('bug_report');
  });
});
