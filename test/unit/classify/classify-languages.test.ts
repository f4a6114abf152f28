import { describe, expect, it } from 'vitest';
import type { CategoryId } from '../../../src/core/taxonomy.js';
import { defaultClassifier } from '../../support/default-classifier.js';

type Row = readonly [language: string, subject: string, description: string, expected: CategoryId];

/** Tickets as customers write them, one or more per category in every supported language. */
const TICKETS: readonly Row[] = [
  ['en', 'App crashes on login', 'Since the last update the app crashes every time I try to log in.', 'bug_report'],
  ['en', 'Charged twice', 'I was charged twice for my subscription this month, please refund one payment.', 'billing_issue'],
  ['en', 'Idea: dark mode', 'It would be great if you could add a dark mode to the dashboard.', 'feature_request'],
  ['en', 'How do I invite my team?', 'I am new here and not sure how to invite colleagues to my workspace.', 'onboarding_help'],
  ['en', 'Dashboard is very slow', 'Reports take forever to load, sometimes more than a minute.', 'performance_issue'],
  ['en', '', 'I love this app, it has made my life so much easier. Thank you!', 'sentiment_experience'],
  ['en', 'Typo in the help article', 'The help article about exports has a typo and a broken link.', 'content_communication'],

  ['de', 'App stürzt ab', 'Seit dem letzten Update stürzt die App beim Öffnen sofort ab.', 'bug_report'],
  ['de', 'Rechnung falsch', 'Auf meiner Rechnung wurde das Abo doppelt abgebucht, bitte erstatten Sie den Betrag.', 'billing_issue'],
  ['de', 'Funktionswunsch', 'Es wäre schön, wenn man die Berichte als Excel exportieren könnte.', 'feature_request'],
  ['de', 'Wie richte ich das ein?', 'Wie kann ich mein Team einladen? Ich finde die Einstellung nicht.', 'onboarding_help'],
  ['de', 'Sehr langsam', 'Das Dashboard ist extrem langsam und lädt ewig.', 'performance_issue'],

  ['es', 'La aplicación no funciona', 'Desde la actualización la aplicación se cierra sola y me sale un error.', 'bug_report'],
  ['es', 'Cobro duplicado', 'Me han cobrado dos veces la suscripción, necesito un reembolso.', 'billing_issue'],
  ['es', 'Sugerencia', 'Sería genial poder exportar los informes a Excel, ¿podrían añadir esa opción?', 'feature_request'],
  ['es', 'Muy lento', 'La aplicación es muy lenta, tarda mucho en cargar cada página.', 'performance_issue'],

  ['fr', "L'application plante", "Depuis la mise à jour, l'application plante au démarrage.", 'bug_report'],
  ['fr', 'Facture', "J'ai été facturé deux fois pour mon abonnement, merci de me rembourser.", 'billing_issue'],
  ['fr', 'Comment inviter mon équipe ?', "Bonjour, comment puis-je ajouter des collègues à mon compte ?", 'onboarding_help'],
  ['fr', 'Suggestion', "Ce serait bien d'avoir un mode sombre dans l'application.", 'feature_request'],

  ['pt', 'Erro ao salvar', 'O aplicativo não funciona, aparece um erro sempre que tento salvar.', 'bug_report'],
  ['pt', 'Cobrança indevida', 'Fui cobrado duas vezes na assinatura, quero o reembolso.', 'billing_issue'],
  ['pt', 'Sistema lento', 'O painel está muito lento, demora mais de um minuto para carregar.', 'performance_issue'],

  ['it', "L'app non funziona", "Dopo l'aggiornamento l'app si blocca e va in crash.", 'bug_report'],
  ['it', 'Rimborso', 'Mi avete addebitato due volte l’abbonamento, chiedo il rimborso.', 'billing_issue'],
  ['it', 'Suggerimento', 'Sarebbe bello poter esportare i dati in Excel.', 'feature_request'],

  ['nl', 'App werkt niet', 'Sinds de update werkt de app niet meer en krijg ik een foutmelding.', 'bug_report'],
  ['nl', 'Factuur', 'Mijn abonnement is twee keer afgeschreven, graag een terugbetaling.', 'billing_issue'],
  ['nl', 'Erg traag', 'Het dashboard is erg traag en laden duurt eeuwig.', 'performance_issue'],

  ['tr', 'Uygulama çalışmıyor', 'Güncellemeden sonra uygulama açılmıyor, sürekli hata veriyor.', 'bug_report'],
  ['tr', 'İade talebi', 'Aboneliğim için iki kez ücret alındı, iade istiyorum.', 'billing_issue'],
  ['tr', 'Çok yavaş', 'Sayfalar çok yavaş yükleniyor, sürekli donuyor.', 'performance_issue'],

  ['ru', 'Не работает приложение', 'После обновления приложение вылетает при запуске, выдаёт ошибку.', 'bug_report'],
  ['ru', 'Возврат денег', 'С меня дважды списали оплату за подписку, верните деньги.', 'billing_issue'],
  ['ru', 'Как пригласить коллег?', 'Подскажите, пожалуйста, как добавить коллег в мой аккаунт?', 'onboarding_help'],

  ['pl', 'Aplikacja nie działa', 'Po aktualizacji aplikacja się zawiesza i pokazuje błąd.', 'bug_report'],
  ['pl', 'Faktura', 'Pobrano ode mnie podwójną opłatę za subskrypcję, proszę o zwrot.', 'billing_issue'],
  ['pl', 'Propozycja', 'Byłoby super, gdyby można było eksportować raporty do Excela.', 'feature_request'],

  ['cs', 'Aplikace nefunguje', 'Po aktualizaci aplikace padá a zobrazuje chybu.', 'bug_report'],
  ['cs', 'Faktura', 'Předplatné mi bylo strženo dvakrát, prosím o vrácení peněz.', 'billing_issue'],
  ['cs', 'Pomalé načítání', 'Stránky se načítají strašně pomalu.', 'performance_issue'],
];

describe('classification in every supported language', () => {
  it.each(TICKETS)('[%s] %s -> %s', (_language, subject, description, expected) => {
    const decision = defaultClassifier.classify({ subject, description });
    expect(decision.category, decision.summary).toBe(expected);
    expect(decision.confidence).toBeGreaterThan(0);
  });

  it('covers all eleven languages', () => {
    expect(new Set(TICKETS.map(([language]) => language)).size).toBe(11);
  });
});

/**
 * An app that keeps closing, said the way app reviews and short tickets say it (a progressive or
 * reflexive form, a word between the verb's parts), after a thank-you: a defect, not feedback on the app.
 */
const KEEPS_CLOSING: ReadonlyArray<readonly [string, string]> = [
  ['en', 'Thanks, but the app keeps shutting down'],
  ['es', 'Gracias por la ayuda, pero la aplicación sigue cerrándose al abrir'],
  ['fr', "Merci, mais l'application continue de se fermer"],
  ['it', "Grazie, ma l'app continua a chiudersi"],
  ['pt', 'Obrigado, mas o app continua fechando'],
  ['nl', 'Bedankt, maar de app blijft afsluiten'],
  ['pl', 'Dziękuję, ale aplikacja ciągle się zamyka'],
  ['ru', 'Спасибо, но приложение постоянно закрывается'],
  ['tr', 'Teşekkürler ama uygulama sürekli kapanıyor'],
];

describe('an app that keeps closing', () => {
  it.each(KEEPS_CLOSING)('[%s] %s', (_language, description) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe('bug_report');
  });
});

/** A complaint about the person who answered: feedback on the experience, in every language. */
const RUDE_SUPPORT: ReadonlyArray<readonly [string, string]> = [
  ['en', 'Your support agent was rude and unhelpful'],
  ['de', 'Ihr Support-Mitarbeiter war unhöflich und wenig hilfreich'],
  ['es', 'Su agente de soporte fue grosero y poco útil'],
  ['fr', 'Votre agent du support a été impoli et inutile'],
  ['pt', 'O atendente do suporte foi grosseiro e não ajudou'],
  ['it', "L'operatore dell'assistenza è stato scortese e inutile"],
  ['nl', 'Uw supportmedewerker was onbeleefd en hielp niet'],
  ['tr', 'Destek temsilciniz kaba ve yardımcı değildi'],
  ['ru', 'Ваш сотрудник поддержки был груб и бесполезен'],
  ['pl', 'Wasz konsultant był niegrzeczny i nie pomógł'],
  ['cs', 'Váš pracovník podpory byl nezdvořilý a nepomohl'],
];

describe('rude or unhelpful support', () => {
  it.each(RUDE_SUPPORT)('[%s] %s', (_language, description) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe('sentiment_experience');
  });
});

describe('asking where a setting is, and a billing question', () => {
  it.each([
    ['en', "I can't find where to change my email address", 'onboarding_help'],
    ['de', 'Ich finde nicht, wo ich meine E-Mail-Adresse ändern kann', 'onboarding_help'],
    ['nl', 'Ik kan niet vinden waar ik mijn e-mailadres kan wijzigen', 'onboarding_help'],
    ['tr', 'Bu ay neden iki kez ücret alındı?', 'billing_issue'],
  ] as const)('[%s] %s -> %s', (_language, description, expected) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe(expected);
  });
});

/**
 * A wish asked as a question, pages slow to load, a control that does nothing: each in every
 * supported language, the way customers put it.
 */
const EVERYDAY: ReadonlyArray<readonly [language: string, description: string, expected: CategoryId]> = [
  ['en', 'Would it be possible to add a dark mode?', 'feature_request'],
  ['de', 'Wäre es möglich, einen Dunkelmodus hinzuzufügen?', 'feature_request'],
  ['es', '¿Sería posible añadir un modo oscuro?', 'feature_request'],
  ['fr', 'Serait-il possible d\'ajouter un mode sombre ?', 'feature_request'],
  ['pt', 'Seria possível adicionar um modo escuro?', 'feature_request'],
  ['it', 'Sarebbe possibile aggiungere una modalità scura?', 'feature_request'],
  ['tr', 'Karanlık mod eklemeniz mümkün mü?', 'feature_request'],
  ['ru', 'Можно ли добавить тёмную тему?', 'feature_request'],
  ['pl', 'Czy można dodać tryb ciemny?', 'feature_request'],
  ['cs', 'Bylo by možné přidat tmavý režim?', 'feature_request'],
  ['nl', 'Zou het mogelijk zijn om een donkere modus toe te voegen?', 'feature_request'],
  ['en', 'Pages take a very long time to load since yesterday', 'performance_issue'],
  ['de', 'Die Seiten brauchen seit gestern sehr lange zum Laden', 'performance_issue'],
  ['es', 'Las páginas tardan muchísimo en cargar desde ayer', 'performance_issue'],
  ['fr', 'Les pages mettent énormément de temps à charger depuis hier', 'performance_issue'],
  ['pt', 'As páginas demoram muito para carregar desde ontem', 'performance_issue'],
  ['it', 'Le pagine ci mettono tantissimo a caricarsi da ieri', 'performance_issue'],
  ['tr', 'Sayfaların yüklenmesi dünden beri çok uzun sürüyor', 'performance_issue'],
  ['ru', 'Страницы со вчерашнего дня очень долго загружаются', 'performance_issue'],
  ['pl', 'Strony od wczoraj bardzo długo się ładują', 'performance_issue'],
  ['cs', 'Stránky se od včerejška načítají strašně dlouho', 'performance_issue'],
  ['nl', 'De pagina\'s laden sinds gisteren heel langzaam', 'performance_issue'],
  ['en', 'The export button does nothing when I click it', 'bug_report'],
  ['de', 'Der Export-Button reagiert nicht, wenn ich darauf klicke', 'bug_report'],
  ['es', 'El botón de exportar no hace nada cuando lo pulso', 'bug_report'],
  ['fr', 'Le bouton d\'export ne fait rien quand je clique dessus', 'bug_report'],
  ['pt', 'O botão de exportar não faz nada quando clico', 'bug_report'],
  ['it', 'Il pulsante di esportazione non fa nulla quando lo clicco', 'bug_report'],
  ['tr', 'Dışa aktar düğmesine tıkladığımda hiçbir şey olmuyor', 'bug_report'],
  ['ru', 'Кнопка экспорта ничего не делает при нажатии', 'bug_report'],
  ['pl', 'Przycisk eksportu nic nie robi po kliknięciu', 'bug_report'],
  ['cs', 'Tlačítko exportu po kliknutí nic nedělá', 'bug_report'],
  ['nl', 'De exportknop doet niets als ik erop klik', 'bug_report'],
];

describe('everyday tickets in every language', () => {
  it.each(EVERYDAY)('[%s] %s -> %s', (_language, description, expected) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe(expected);
  });
});

/** Signing in fails although the password is right, the data is gone, a lukewarm rating: in every language. */
const ACCOUNT_AND_RATINGS: ReadonlyArray<readonly [language: string, description: string, expected: CategoryId]> = [
  ['en', 'I can\'t log in, it says my password is wrong but it\'s correct', 'bug_report'],
  ['de', 'Ich kann mich nicht einloggen, obwohl das Passwort stimmt', 'bug_report'],
  ['es', 'No puedo iniciar sesión aunque la contraseña es correcta', 'bug_report'],
  ['fr', 'Je n\'arrive pas à me connecter alors que mon mot de passe est bon', 'bug_report'],
  ['pt', 'Não consigo fazer login mesmo com a senha certa', 'bug_report'],
  ['it', 'Non riesco ad accedere anche se la password è giusta', 'bug_report'],
  ['tr', 'Şifrem doğru olmasına rağmen giriş yapamıyorum', 'bug_report'],
  ['ru', 'Не могу войти, хотя пароль правильный', 'bug_report'],
  ['pl', 'Nie mogę się zalogować, chociaż hasło jest poprawne', 'bug_report'],
  ['cs', 'Nemůžu se přihlásit, i když heslo je správně', 'bug_report'],
  ['nl', 'Ik kan niet inloggen terwijl mijn wachtwoord klopt', 'bug_report'],
  ['en', 'All my data is gone after the sync', 'bug_report'],
  ['de', 'Alle meine Daten sind nach der Synchronisierung weg', 'bug_report'],
  ['es', 'Todos mis datos desaparecieron después de sincronizar', 'bug_report'],
  ['fr', 'Toutes mes données ont disparu après la synchronisation', 'bug_report'],
  ['pt', 'Todos os meus dados sumiram depois da sincronização', 'bug_report'],
  ['it', 'Tutti i miei dati sono spariti dopo la sincronizzazione', 'bug_report'],
  ['tr', 'Senkronizasyondan sonra tüm verilerim kayboldu', 'bug_report'],
  ['ru', 'После синхронизации пропали все мои данные', 'bug_report'],
  ['pl', 'Po synchronizacji zniknęły wszystkie moje dane', 'bug_report'],
  ['cs', 'Po synchronizaci zmizela všechna moje data', 'bug_report'],
  ['nl', 'Na de synchronisatie zijn al mijn gegevens verdwenen', 'bug_report'],
  ['en', 'Meh, it\'s okay I guess', 'sentiment_experience'],
  ['de', 'Ganz okay, nichts Besonderes', 'sentiment_experience'],
  ['es', 'Está bien, nada especial', 'sentiment_experience'],
  ['fr', 'Pas mal, sans plus', 'sentiment_experience'],
  ['pt', 'É razoável, nada demais', 'sentiment_experience'],
  ['it', 'Carina, niente di speciale', 'sentiment_experience'],
  ['tr', 'Fena değil, idare eder', 'sentiment_experience'],
  ['ru', 'Нормально, ничего особенного', 'sentiment_experience'],
  ['pl', 'Może być, nic specjalnego', 'sentiment_experience'],
  ['cs', 'Ujde to, nic extra', 'sentiment_experience'],
  ['nl', 'Gaat wel, niets bijzonders', 'sentiment_experience'],
];

describe('failed sign-ins, lost data and lukewarm ratings in every language', () => {
  it.each(ACCOUNT_AND_RATINGS)('[%s] %s -> %s', (_language, description, expected) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe(expected);
  });
});

/** A translation error, a wish said as "it would be nice", a battery drained: in every language. */
const CONTENT_WISHES_BATTERY: ReadonlyArray<readonly [language: string, description: string, expected: CategoryId]> = [
  ['en', 'The email you sent me has a broken unsubscribe link', 'content_communication'],
  ['de', 'In Ihrer Newsletter-E-Mail funktioniert der Abmeldelink nicht', 'content_communication'],
  ['es', 'Hay un error de traducción en la página de precios', 'content_communication'],
  ['fr', 'Il y a une faute de traduction sur la page des tarifs', 'content_communication'],
  ['pt', 'Há um erro de tradução na página de preços', 'content_communication'],
  ['it', 'C\'è un errore di traduzione nella pagina dei prezzi', 'content_communication'],
  ['tr', 'Fiyat sayfasında çeviri hatası var', 'content_communication'],
  ['ru', 'На странице с ценами ошибка в переводе', 'content_communication'],
  ['pl', 'Na stronie z cenami jest błąd w tłumaczeniu', 'content_communication'],
  ['cs', 'Na stránce s cenami je chyba v překladu', 'content_communication'],
  ['nl', 'Er staat een vertaalfout op de prijspagina', 'content_communication'],
  ['en', 'It would be nice to have a calendar view', 'feature_request'],
  ['de', 'Es wäre schön, eine Kalenderansicht zu haben', 'feature_request'],
  ['es', 'Estaría bien tener una vista de calendario', 'feature_request'],
  ['fr', 'Ce serait bien d\'avoir une vue calendrier', 'feature_request'],
  ['pt', 'Seria bom ter uma visualização de calendário', 'feature_request'],
  ['it', 'Sarebbe bello avere una vista calendario', 'feature_request'],
  ['tr', 'Takvim görünümü olsa güzel olurdu', 'feature_request'],
  ['ru', 'Было бы неплохо иметь вид календаря', 'feature_request'],
  ['pl', 'Fajnie byłoby mieć widok kalendarza', 'feature_request'],
  ['cs', 'Bylo by fajn mít zobrazení kalendáře', 'feature_request'],
  ['nl', 'Het zou fijn zijn om een kalenderweergave te hebben', 'feature_request'],
  ['en', 'The app drains my battery and gets very hot', 'performance_issue'],
  ['de', 'Die App frisst extrem viel Akku', 'performance_issue'],
  ['es', 'La app consume mucha batería', 'performance_issue'],
  ['fr', 'L\'application consomme beaucoup de batterie', 'performance_issue'],
  ['pt', 'O app gasta muita bateria', 'performance_issue'],
  ['it', 'L\'app consuma troppa batteria', 'performance_issue'],
  ['tr', 'Uygulama çok fazla pil tüketiyor', 'performance_issue'],
  ['ru', 'Приложение сильно сажает батарею', 'performance_issue'],
  ['pl', 'Aplikacja bardzo szybko rozładowuje baterię', 'performance_issue'],
  ['cs', 'Aplikace hodně vybíjí baterii', 'performance_issue'],
  ['nl', 'De app verbruikt heel veel batterij', 'performance_issue'],
];

describe('content errors, wishes and battery drain in every language', () => {
  it.each(CONTENT_WISHES_BATTERY)('[%s] %s -> %s', (_language, description, expected) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe(expected);
  });
});

/** A billing address to change, an account to delete, a refund not received, a wrong date shown: in every language. */
const ACCOUNT_BILLING_WRONG_VALUES: ReadonlyArray<readonly [language: string, description: string, expected: CategoryId]> = [
  ['en', 'How do I change the billing address on my invoices?', 'billing_issue'],
  ['de', 'Wie kann ich die Rechnungsadresse ändern?', 'billing_issue'],
  ['es', '¿Cómo cambio la dirección de facturación?', 'billing_issue'],
  ['fr', 'Comment modifier l\'adresse de facturation ?', 'billing_issue'],
  ['pt', 'Como altero o endereço de cobrança?', 'billing_issue'],
  ['it', 'Come posso cambiare l\'indirizzo di fatturazione?', 'billing_issue'],
  ['tr', 'Fatura adresimi nasıl değiştirebilirim?', 'billing_issue'],
  ['ru', 'Как изменить адрес для счетов?', 'billing_issue'],
  ['pl', 'Jak zmienić adres na fakturze?', 'billing_issue'],
  ['cs', 'Jak změním fakturační adresu?', 'billing_issue'],
  ['nl', 'Hoe wijzig ik het factuuradres?', 'billing_issue'],
  ['en', 'How do I delete my account?', 'onboarding_help'],
  ['de', 'Wie lösche ich mein Konto?', 'onboarding_help'],
  ['es', '¿Cómo elimino mi cuenta?', 'onboarding_help'],
  ['fr', 'Comment supprimer mon compte ?', 'onboarding_help'],
  ['pt', 'Como excluo minha conta?', 'onboarding_help'],
  ['it', 'Come elimino il mio account?', 'onboarding_help'],
  ['tr', 'Hesabımı nasıl silebilirim?', 'onboarding_help'],
  ['ru', 'Как удалить аккаунт?', 'onboarding_help'],
  ['pl', 'Jak usunąć konto?', 'onboarding_help'],
  ['cs', 'Jak smažu svůj účet?', 'onboarding_help'],
  ['nl', 'Hoe verwijder ik mijn account?', 'onboarding_help'],
  ['en', 'I still haven\'t received my refund', 'billing_issue'],
  ['de', 'Ich habe meine Rückerstattung immer noch nicht erhalten', 'billing_issue'],
  ['es', 'Todavía no he recibido mi reembolso', 'billing_issue'],
  ['fr', 'Je n\'ai toujours pas reçu mon remboursement', 'billing_issue'],
  ['pt', 'Ainda não recebi meu reembolso', 'billing_issue'],
  ['it', 'Non ho ancora ricevuto il rimborso', 'billing_issue'],
  ['tr', 'İadem hâlâ gelmedi', 'billing_issue'],
  ['ru', 'Я до сих пор не получил возврат денег', 'billing_issue'],
  ['pl', 'Nadal nie otrzymałem zwrotu pieniędzy', 'billing_issue'],
  ['cs', 'Pořád jsem nedostal vrácení peněz', 'billing_issue'],
  ['nl', 'Ik heb mijn terugbetaling nog steeds niet ontvangen', 'billing_issue'],
  ['en', 'The app shows the wrong date on my reports', 'bug_report'],
  ['de', 'Die App zeigt in den Berichten das falsche Datum an', 'bug_report'],
  ['es', 'La app muestra la fecha incorrecta en los informes', 'bug_report'],
  ['fr', 'L\'application affiche la mauvaise date dans les rapports', 'bug_report'],
  ['pt', 'O app mostra a data errada nos relatórios', 'bug_report'],
  ['it', 'L\'app mostra la data sbagliata nei report', 'bug_report'],
  ['tr', 'Uygulama raporlarda yanlış tarih gösteriyor', 'bug_report'],
  ['ru', 'Приложение показывает неправильную дату в отчётах', 'bug_report'],
  ['pl', 'Aplikacja pokazuje złą datę w raportach', 'bug_report'],
  ['cs', 'Aplikace ukazuje v přehledech špatné datum', 'bug_report'],
  ['nl', 'De app toont de verkeerde datum in de rapporten', 'bug_report'],
];

describe('account and billing questions, missing refunds and wrong values in every language', () => {
  it.each(ACCOUNT_BILLING_WRONG_VALUES)('[%s] %s -> %s', (_language, description, expected) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe(expected);
  });
});

/** A price asked, notifications that stopped arriving, a payment the app does not show: in every language. */
const PRICES_NOTIFICATIONS_PAYMENTS: ReadonlyArray<readonly [language: string, description: string, expected: CategoryId]> = [
  ['en', 'How much does the pro plan cost per user?', 'billing_issue'],
  ['de', 'Was kostet der Pro-Tarif pro Nutzer?', 'billing_issue'],
  ['es', '¿Cuánto cuesta el plan pro por usuario?', 'billing_issue'],
  ['fr', 'Combien coûte l\'offre pro par utilisateur ?', 'billing_issue'],
  ['pt', 'Quanto custa o plano pro por usuário?', 'billing_issue'],
  ['it', 'Quanto costa il piano pro per utente?', 'billing_issue'],
  ['tr', 'Pro planın kullanıcı başına fiyatı nedir?', 'billing_issue'],
  ['ru', 'Сколько стоит тариф Pro за пользователя?', 'billing_issue'],
  ['pl', 'Ile kosztuje plan Pro za użytkownika?', 'billing_issue'],
  ['cs', 'Kolik stojí tarif Pro za uživatele?', 'billing_issue'],
  ['nl', 'Wat kost het pro-abonnement per gebruiker?', 'billing_issue'],
  ['en', 'Notifications don\'t arrive anymore', 'bug_report'],
  ['de', 'Benachrichtigungen kommen nicht mehr an', 'bug_report'],
  ['es', 'Las notificaciones ya no llegan', 'bug_report'],
  ['fr', 'Les notifications n\'arrivent plus', 'bug_report'],
  ['pt', 'As notificações não chegam mais', 'bug_report'],
  ['it', 'Le notifiche non arrivano più', 'bug_report'],
  ['tr', 'Bildirimler artık gelmiyor', 'bug_report'],
  ['ru', 'Уведомления больше не приходят', 'bug_report'],
  ['pl', 'Powiadomienia już nie przychodzą', 'bug_report'],
  ['cs', 'Oznámení už nechodí', 'bug_report'],
  ['nl', 'Meldingen komen niet meer binnen', 'bug_report'],
  ['en', 'I paid for premium but the app still shows the free plan', 'billing_issue'],
  ['de', 'Ich habe Premium bezahlt, aber die App zeigt noch den kostenlosen Tarif', 'billing_issue'],
  ['es', 'Pagué el premium pero la app sigue mostrando el plan gratuito', 'billing_issue'],
  ['fr', 'J\'ai payé le premium mais l\'appli affiche toujours l\'offre gratuite', 'billing_issue'],
  ['pt', 'Paguei o premium mas o app ainda mostra o plano grátis', 'billing_issue'],
  ['it', 'Ho pagato il premium ma l\'app mostra ancora il piano gratuito', 'billing_issue'],
  ['tr', 'Premium için ödeme yaptım ama uygulama hâlâ ücretsiz planı gösteriyor', 'billing_issue'],
  ['ru', 'Я оплатил премиум, но приложение показывает бесплатный тариф', 'billing_issue'],
  ['pl', 'Zapłaciłem za premium, ale aplikacja nadal pokazuje darmowy plan', 'billing_issue'],
  ['cs', 'Zaplatil jsem prémium, ale aplikace pořád ukazuje bezplatný tarif', 'billing_issue'],
  ['nl', 'Ik heb voor premium betaald maar de app toont nog het gratis abonnement', 'billing_issue'],
];

describe('prices, notifications and payments in every language', () => {
  it.each(PRICES_NOTIFICATIONS_PAYMENTS)('[%s] %s -> %s', (_language, description, expected) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe(expected);
  });
});

/** Notes that do not sync, a search that finds nothing: in every language. */
const SYNC_AND_SEARCH: ReadonlyArray<readonly [language: string, description: string, expected: CategoryId]> = [
  ['en', 'My notes don\'t sync between my phone and laptop', 'bug_report'],
  ['de', 'Meine Notizen synchronisieren sich nicht zwischen Handy und Laptop', 'bug_report'],
  ['es', 'Mis notas no se sincronizan entre el móvil y el portátil', 'bug_report'],
  ['fr', 'Mes notes ne se synchronisent pas entre mon téléphone et mon ordinateur', 'bug_report'],
  ['pt', 'Minhas notas não sincronizam entre o celular e o notebook', 'bug_report'],
  ['it', 'Le mie note non si sincronizzano tra telefono e portatile', 'bug_report'],
  ['tr', 'Notlarım telefon ile dizüstü arasında senkronize olmuyor', 'bug_report'],
  ['ru', 'Заметки не синхронизируются между телефоном и ноутбуком', 'bug_report'],
  ['pl', 'Moje notatki nie synchronizują się między telefonem a laptopem', 'bug_report'],
  ['cs', 'Moje poznámky se nesynchronizují mezi telefonem a notebookem', 'bug_report'],
  ['nl', 'Mijn notities synchroniseren niet tussen telefoon en laptop', 'bug_report'],
  ['en', 'The search returns no results even for exact titles', 'bug_report'],
  ['de', 'Die Suche liefert keine Ergebnisse, selbst bei exakten Titeln', 'bug_report'],
  ['es', 'La búsqueda no devuelve resultados ni con el título exacto', 'bug_report'],
  ['fr', 'La recherche ne renvoie aucun résultat, même avec le titre exact', 'bug_report'],
  ['pt', 'A busca não retorna resultados nem com o título exato', 'bug_report'],
  ['it', 'La ricerca non restituisce risultati nemmeno con il titolo esatto', 'bug_report'],
  ['tr', 'Arama tam başlıkla bile sonuç getirmiyor', 'bug_report'],
  ['ru', 'Поиск не находит ничего даже по точному названию', 'bug_report'],
  ['pl', 'Wyszukiwarka nie zwraca wyników nawet dla dokładnego tytułu', 'bug_report'],
  ['cs', 'Vyhledávání nevrací žádné výsledky ani pro přesný název', 'bug_report'],
  ['nl', 'De zoekfunctie geeft geen resultaten, zelfs niet met de exacte titel', 'bug_report'],
];

describe('sync and search failures in every language', () => {
  it.each(SYNC_AND_SEARCH)('[%s] %s -> %s', (_language, description, expected) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe(expected);
  });
});

/** Signed out again and again, video that buffers and stutters: in every language. */
const LOGOUTS_AND_STUTTER: ReadonlyArray<readonly [language: string, description: string, expected: CategoryId]> = [
  ['en', 'The app keeps logging me out every few minutes', 'bug_report'],
  ['es', 'La app me cierra la sesión cada pocos minutos', 'bug_report'],
  ['fr', 'L\'appli me déconnecte toutes les quelques minutes', 'bug_report'],
  ['pt', 'O app fica me deslogando a cada poucos minutos', 'bug_report'],
  ['it', 'L\'app mi disconnette ogni pochi minuti', 'bug_report'],
  ['tr', 'Uygulama birkaç dakikada bir oturumumu kapatıyor', 'bug_report'],
  ['ru', 'Приложение каждые несколько минут выкидывает из аккаунта', 'bug_report'],
  ['pl', 'Aplikacja co kilka minut mnie wylogowuje', 'bug_report'],
  ['en', 'Videos keep buffering and freezing', 'performance_issue'],
  ['de', 'Videos laden ständig nach und frieren ein', 'performance_issue'],
  ['es', 'Los vídeos se quedan cargando y se congelan', 'performance_issue'],
  ['fr', 'Les vidéos n\'arrêtent pas de charger et se figent', 'performance_issue'],
  ['pt', 'Os vídeos ficam carregando e travam', 'performance_issue'],
  ['it', 'I video continuano a caricare e si bloccano', 'performance_issue'],
  ['tr', 'Videolar sürekli takılıyor ve donuyor', 'performance_issue'],
  ['ru', 'Видео постоянно подвисает и тормозит', 'performance_issue'],
  ['pl', 'Filmy ciągle się buforują i zacinają', 'performance_issue'],
  ['cs', 'Videa se pořád načítají a sekají', 'performance_issue'],
  ['nl', 'Video\'s blijven bufferen en lopen vast', 'performance_issue'],
];

describe('repeated sign-outs and stuttering video in every language', () => {
  it.each(LOGOUTS_AND_STUTTER)('[%s] %s -> %s', (_language, description, expected) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe(expected);
  });
});

/**
 * German and Dutch separable verbs with words between their parts (terms with a gap, "meldet … ab"):
 * read whatever stands between, denied by a negator between them, never across a clause.
 */
const SEPARABLE_VERBS: ReadonlyArray<readonly [language: string, description: string, expected: CategoryId]> = [
  ['de', 'Die App meldet mich seit dem Update ständig ab', 'bug_report'],
  ['de', 'Das Programm loggt mich alle paar Minuten aus', 'bug_report'],
  ['de', 'Die App startet beim Öffnen immer wieder neu', 'bug_report'],
  ['de', 'Die Videos frieren nach ein paar Sekunden ein', 'performance_issue'],
  ['de', 'Die Seite hängt sich beim Speichern jedes Mal auf', 'performance_issue'],
  ['de', 'Der Server fällt seit heute Morgen immer wieder aus', 'performance_issue'],
  ['nl', 'De app logt me elke paar minuten uit', 'bug_report'],
  ['nl', 'De app loopt bij het opstarten steeds vast', 'bug_report'],
  ['nl', 'De verbinding valt de hele dag uit', 'bug_report'],
  // A negator between the parts denies the defect: praise, not a bug.
  ['de', 'Seit dem Update friert die App nicht mehr ein, danke!', 'sentiment_experience'],
  ['nl', 'De app loopt gelukkig nooit vast, echt een fijne app', 'sentiment_experience'],
];

describe('separable verbs with words between their parts', () => {
  it.each(SEPARABLE_VERBS)('[%s] %s -> %s', (_language, description, expected) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe(expected);
  });

  it('reads no gap across a clause: "meldet sich. Ab morgen ..." is no sign-out', () => {
    const decision = defaultClassifier.classify({ subject: '', description: 'Der Kollege meldet sich. Ab morgen bin ich im Urlaub.' });
    expect(decision.evidence.map((item) => item.value)).not.toContain('meldet … ab');
  });
});

/** Negated defect wording must not make a ticket a bug report. */
const NEGATIONS: ReadonlyArray<readonly [string, string, string]> = [
  ['en', 'This is not a bug, but could you add an export to CSV?', 'bug'],
  ['de', 'Das ist kein Fehler, aber es wäre schön, wenn man Berichte exportieren könnte.', 'fehler'],
  ['es', 'No es un error, pero sería genial poder exportar los informes.', 'error'],
  ['fr', "Ce n'est pas un bug, mais ce serait bien de pouvoir exporter les rapports.", 'bug'],
  ['pt', 'Não é um erro, mas seria ótimo poder exportar os relatórios.', 'erro'],
  ['it', 'Non è un errore, ma sarebbe bello poter esportare i report.', 'errore'],
  ['nl', 'Het is geen fout, maar het zou fijn zijn als je rapporten kunt exporteren.', 'fout'],
  ['tr', 'Bu bir hata değil, ama raporları dışa aktarabilmek harika olurdu.', 'hata'],
  ['ru', 'Это не ошибка, но было бы здорово экспортировать отчёты.', 'ошибк'],
  ['pl', 'To nie błąd, ale byłoby super, gdyby można było eksportować raporty.', 'błąd'],
  ['cs', 'Není to chyba, ale bylo by skvělé moci exportovat přehledy.', 'chyb'],
];

describe('negation', () => {
  it.each(NEGATIONS)('[%s] %s', (_language, description, negatedWord) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe('feature_request');
    expect(decision.scores.bug_report).toBe(0);
    const folded = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace('ł', 'l');
    expect(decision.negated.map((item) => folded(item.value)).join(' ')).toContain(folded(negatedWord).slice(0, 3));
  });

  it('counts a denied defect as experience feedback', () => {
    const decision = defaultClassifier.classify({ subject: '', description: 'I have never had any problems with this app, it never crashes.' });
    expect(decision.category).toBe('sentiment_experience');
  });

  it('does not let a negation reach across a clause', () => {
    const decision = defaultClassifier.classify({ subject: '', description: "It doesn't work. Crash on every start." });
    expect(decision.category).toBe('bug_report');
    expect(decision.negated).toEqual([]);
  });
});

describe('quoted replies and signatures are stripped before matching', () => {
  it.each([
    ['en', 'Thanks, the invoice is correct now.\n\nOn Tue, 4 Jun 2024, Support <help@example.com> wrote:\n> The app crashes because of a bug we fixed.', 'billing_issue'],
    ['de', 'Danke, die Rechnung stimmt jetzt.\n\nAm 04.06.2024 um 10:00 schrieb Support <help@example.com>:\n> Die App stürzt wegen eines Fehlers ab.', 'billing_issue'],
    ['es', 'Gracias, la factura ya está bien.\n\nEl mar, 4 jun 2024 a las 10:00, Soporte <help@example.com> escribió:\n> La aplicación falla por un error.', 'billing_issue'],
    ['fr', 'Merci, la facture est correcte maintenant.\n\nLe mar. 4 juin 2024 à 10:00, Support <help@example.com> a écrit :\n> L’application plante à cause d’un bug.', 'billing_issue'],
    ['en', 'How do I add a second admin?\n\nBest regards,\nAnna Crash\nSenior bug hunter, Broken Ltd.', 'onboarding_help'],
    ['en', 'How do I add a second admin?\n> Our app keeps crashing', 'onboarding_help'],
  ] as const)('[%s] %j', (_language, description, expected) => {
    const decision = defaultClassifier.classify({ subject: '', description });
    expect(decision.category, decision.summary).toBe(expected);
    expect(decision.scores.bug_report).toBe(0);
  });
});
