import type { LanguageLexicon } from '../lexicon.js';

/**
 * Polish. "nie działa" and friends are bug_report phrases; "nie" itself negates what follows
 * ("nie ma błędu", "nie jest to bug"). Of żaden only the oblique forms are negators ("nie widzę
 * żadnych błędów", "bez żadnego problemu"): the nominative starts double negations such as
 * "żadna funkcja nie działa", which must stay a bug. Czech "žádná" folds to the same token, so the
 * usual double-negation subjects are also weak bug terms (a negator inside a longer match does
 * not negate). Stems avoid known collisions: `pomysł*` (pomyślałem), `prost*` (po prostu),
 * `napraw*` (naprawdę), `współprac*` (współpracownik), `wywal*` (wywalczyć), `cen*` (centrum),
 * `dobr*` (dzień dobry), `stron*` (English "strong"), `blog*` (błogi, folded to "blogi").
 */
export const pl: LanguageLexicon = {
  language: 'pl',
  negators: ['nie', 'bez', 'żadnych', 'żadnego', 'żadnej', 'żadnym', 'żadnymi', 'żadnemu'],
  postNegators: [],
  categories: {
    bug_report: {
      strong: [
        'wylogowuje', 'mnie wylogowuje', 'wylogowuje mnie',
        'nie synchronizuj*', 'nie synchronizuje się',
        'nie zwraca wyników', 'brak wyników', 'nic nie znajduje', 'wyszukiwarka nie działa',
        'nie przychodzą', 'już nie przychodzą', 'nie przychodzi', 'przestały przychodzić',
        'złą datę', 'zła data', 'błędną datę', 'błędna data', 'złe dane', 'błędne dane',
        'nic nie robi', 'nic się nie dzieje',
        'nie działa', 'nie działają', 'nie działało', 'nie działał*', 'przestał* działać',
        'przestało działać', 'nie uruchamia*', 'nie otwiera*', 'nie włącza*', 'nie ładuje*',
        'nie zapisuje*', 'nie wysyła*', 'nie mogę się zalogować', 'nie da się zalogować',
        'nie da się', 'bug*', 'wywala*', 'wywaliło', 'wywaliła', 'wywalił', 'wysypuj*', 'wysypał*',
        'crash*', 'zamyka się', 'się zamyka', 'wyłącza się sama', 'sama się wyłącza', 'sama się zamyka', 'wyrzuca mnie', 'wyskakuje błąd', 'pojawia się błąd',
        'komunikat o błędzie', 'komunikat błędu', 'kod błędu', 'coś poszło nie tak',
        'poszło nie tak', 'nieoczekiwany błąd', 'błąd serwera', 'wewnętrzny błąd serwera',
        'zepsuł*', 'zepsut*', 'popsuł*', 'popsut*', 'usterk*', 'glitch*', 'kroki do odtworzenia',
        'jak odtworzyć', 'oczekiwane zachowanie', 'oczekiwany rezultat', 'oczekiwany wynik',
        'rzeczywisty wynik', 'źle liczy',
      ],
      weak: [
        'błąd', 'błęd*', 'problem*', 'wyjątek', 'nieprawidłow*', 'niepoprawn*', 'źle', 'nie mogę',
        'po aktualizacji', 'od aktualizacji', 'od ostatniej aktualizacji', 'ostatnia aktualizacja',
        'reinstal*', 'przeinstal*', 'odinstal*', 'restart*', 'znikn*', 'znika*', 'biały ekran',
        'czarny ekran', 'pusty ekran', 'nie wyświetla*', 'nie pokazuje*', 'wylogowuje*',
        'nie synchronizuje*', 'synchroniz*', 'naprawcie', 'naprawić', 'naprawa', 'naprawy',
        'proszę naprawić', 'wersj*', 'utracon*', 'zgubił*', 'żaden przycisk', 'żadne przyciski',
        'żadna funkcja', 'żadna opcja', 'żaden link',
      ],
    },
    billing_issue: {
      strong: [
        'ile kosztuje', 'ile kosztują',
        'faktur*', 'zwrot pieniędzy', 'zwrot środków', 'zwrotu pieniędzy', 'zwrotu środków',
        'zwrot kosztów', 'oddajcie pieniądze', 'zwróćcie pieniądze', 'opłat*', 'płatnoś*',
        'zapłaci*', 'zapłacon*', 'pobrano opłatę', 'pobrano pieniądze', 'pobrano środki',
        'pobrał* opłat*', 'pobrał* pieniądze', 'obciążono', 'obciążeni* kart*', 'subskrypcj*',
        'abonament*', 'automatyczn* odnowieni*', 'kart* kredytow*', 'kart* płatnicz*', 'z karty',
        'paragon*', 'rachunek', 'rachunku', 'vat', 'nip', 'przelew*', 'blik', 'paypal', 'cennik*',
        'podwyżk*', 'kupił*', 'zakup*', 'reklamacj*',
      ],
      weak: [
        'zwrot*', 'płaci*', 'płatn*', 'anulow*', 'rezygnacj*', 'odnowieni*', 'dwukrotnie', 'cena',
        'ceny', 'cenę', 'drogo', 'za drogo', 'pieniądz*', 'pieniędz*', 'złotych', 'zł', 'pln',
        'plan', 'pakiet*', 'okres próbny', 'wersja próbna', 'darmow*', 'premium', 'kod rabatowy',
        'rabat*', 'zniżk*', 'promocj*', 'licencj*', 'reklam*',
      ],
    },
    feature_request: {
      strong: [
        'byłoby fajnie', 'byłoby super', 'byłoby miło', 'byłoby dobrze', 'byłoby świetnie',
        'byłoby wygodnie', 'byłoby przydatn*', 'fajnie by było', 'fajnie byłoby', 'super by było',
        'przydałby się', 'przydałaby się', 'przydałoby się', 'przydałyby się', 'prośba o dodanie',
        'proszę o dodanie', 'proszę dodać', 'dodajcie', 'dodać opcję', 'dodanie opcji',
        'dodanie możliwości', 'brakuje mi', 'brak opcji', 'brak możliwości', 'nie ma opcji',
        'nie ma możliwości', 'czy można dodać', 'czy możecie dodać', 'czy planujecie', 'sugesti*',
        'propozycj*', 'pomysł', 'pomysłu', 'pomysły', 'pomysłem', 'pomysłów', 'proponuję',
        'marzy mi się', 'now* funkcj*', 'tryb* ciemn*', 'ciemn* tryb*', 'motyw* ciemn*',
        'ciemn* motyw*', 'dark mode', 'wsparcie dla', 'żeby można było', 'aby można było',
        'lepiej gdyby', 'szkoda że nie ma',
      ],
      weak: [
        'funkcj*', 'opcj*', 'ustawieni*', 'możliwoś*', 'dodać', 'dodanie', 'ulepsz*', 'usprawn*',
        'rozbudow*', 'integracj*', 'widżet*', 'widget*', 'eksport*', 'import*', 'api', 'brakuje',
        'gdyby', 'chciałbym', 'chciałabym', 'kiedy będzie', 'czy będzie', 'planujecie',
      ],
    },
    onboarding_help: {
      strong: [
        'jak mogę', 'jak można', 'jak to zrobić', 'jak zrobić', 'jak ustawić', 'jak skonfigurować',
        'jak dodać', 'jak zmienić', 'jak się zalogować', 'jak zaprosić', 'jak założyć',
        'jak włączyć', 'jak wyłączyć', 'jak działa', 'jak korzystać', 'jak używać',
        'czy jest możliwe', 'czy jest możliwość', 'czy można', 'czy da się', 'czy jest sposób',
        'czy istnieje', 'gdzie znajdę', 'gdzie znaleźć', 'gdzie mogę', 'nie mogę znaleźć',
        'nie wiem jak', 'nie rozumiem', 'nie jestem pewien', 'nie jestem pewna', 'pytani*',
        'mam pytanie', 'chciałbym zapytać', 'chciałabym zapytać', 'chciałbym się dowiedzieć',
        'proszę o pomoc', 'pomóżcie', 'potrzebuję pomocy', 'wyjaśni*', 'wytłumacz*',
        'pierwsze kroki', 'pierwszy raz', 'początkując*', 'nowy użytkownik',
        'co robię źle', 'co robię nie tak',
      ],
      weak: [
        'jak', 'gdzie', 'dlaczego', 'czemu', 'który', 'która', 'pomoc', 'pomocy', 'instrukcj*',
        'poradnik*', 'samouczek', 'konfiguracj*', 'skonfigur*', 'instalacj*', 'zainstal*',
        'zalogow*', 'logowani*', 'rejestracj*', 'zarejestr*', 'hasł*', 'konto', 'konta', 'koncie',
        'zaprosz*', 'zaprosić', 'krok po kroku', 'przykład',
      ],
    },
    performance_issue: {
      strong: [
        'buforuj*', 'przycina*',
        'długo się ładują', 'długo ładują', 'wolno się ładuj*', 'długo się wczytują',
        'działa wolno', 'bardzo wolno', 'wolno działa', 'powoli', 'spowolni*', 'muli', 'laguje',
        'lagi', 'lagów', 'przycina się', 'zacina*', 'zawiesza*', 'zawiesił*',
        'ładuje się w nieskończoność', 'w nieskończoność', 'długo się ładuje', 'długo ładuje',
        'długo się wczytuje', 'ładowanie trwa', 'trwa wieki', 'trwa wieczność', 'trwa bardzo długo',
        'kręci się', 'timeout*', 'przekroczono limit czasu', 'aplikacja nie odpowiada',
        'serwer nie odpowiada', 'wyciek pamięci', 'zużyci*', 'zjada baterię', 'żre baterię',
        'grzeje się', 'nagrzewa się', 'wydajnoś*', 'opóźnieni*', 'awari*', 'niedostępn*',
        'serwer leży', 'strona leży', 'przerw* w działaniu', 'obciążeni* serwera',
      ],
      weak: [
        'wolno', 'zwalnia', 'lag', 'nie odpowiada', 'limit czasu', 'szybk*', 'szybciej',
        'ładowani*', 'wczytywani*', 'bateri*', 'pamięć', 'pamięci', 'ram', 'procesor*', 'cpu',
        'sekund*', 'minut*', 'czeka*', 'optymaliz*', 'przeciąż*', 'leży', 'padł',
        'przerwa techniczna',
      ],
    },
    sentiment_experience: {
      strong: [
        'niegrzeczn*', 'opryskliw*', 'nie pomógł', 'nie pomogła',
        'świetn*', 'super aplikacja', 'rewelac*', 'genialn*', 'wspaniał*', 'doskonał*',
        'fantastyczn*', 'niesamowit*', 'najlepsz*', 'polecam', 'nie polecam', 'gorąco polecam',
        'kocham', 'uwielbiam', 'nienawidzę', 'beznadziejn*', 'tragedi*', 'tragiczn*', 'fataln*',
        'okropn*', 'koszmar*', 'najgorsz*', 'rozczarowan*', 'rozczarował*', 'zawiedzion*',
        'frustruj*', 'irytuj*', 'wkurza', 'denerwuj*', 'pięć gwiazdek', '5 gwiazdek', 'jedna gwiazdka', '1 gwiazdka',
        'zadowolon*', 'niezadowolon*', 'nie jestem zadowolon*', 'doświadczeni*',
        'bezużyteczn*', 'strata czasu', 'strata pieniędzy', 'chamsk*', 'nieuprzejm*', 'brawo',
        'gratulacj*', 'tak trzymać', 'dobra robota', 'ulubion*', 'uzależni*', 'dobra aplikacja',
      ],
      weak: [
        'obsługa klienta',
        'fajn*', 'dobra', 'dobre', 'dobrze', 'słab*', 'kiepsk*', 'ładn*', 'łatw*', 'prosta',
        'prosty', 'proste', 'intuicyjn*', 'wygodn*', 'przydatn*', 'pomocn*', 'straszn*', 'zawód',
        'szkoda', 'smutn*', 'gwiazd*', 'opini*', 'recenzj*', 'ocen*', 'aplikacja', 'gra', 'zawsze',
        'codziennie', 'naprawdę', 'bardzo',
      ],
    },
    content_communication: {
      strong: [
        'literówk*', 'ortograf*', 'interpunkc*', 'gramatyk*', 'gramatyczn*', 'tłumaczeni*',
        'przetłumacz*', 'nieprzetłumaczon*', 'brak tłumaczenia', 'wersj* językow*',
        'centrum pomocy', 'artykuł* pomocy', 'baza wiedzy', 'bazie wiedzy', 'faq',
        'najczęściej zadawane pytania', 'martwy link', 'niedziałając* link*', 'link nie działa',
        'linki nie działają', 'nieaktualn*', 'błędne informacje', 'nieprawdziwe informacje',
        'wprowadza w błąd', 'myląc*', 'newsletter*', 'mailing*', 'wypisać się', 'wypisz mnie',
        'za dużo maili', 'za dużo wiadomości', 'maile marketingowe', 'wiadomości marketingowe',
        'sformułowani*',
      ],
      weak: [
        'dokumentacj*', 'treść', 'treści', 'tekst*', 'napis', 'napisy', 'etykiet*', 'wiadomoś*', 'mail*', 'e mail*',
        'email*', 'język*', 'po polsku', 'po angielsku', 'link*', 'artykuł*', 'strona', 'strony',
        'stronie', 'stronę', 'opis*', 'tytuł*', 'słowo', 'słowa', 'zdanie', 'przestarzał*',
        'niejasn*', 'zrzut* ekranu', 'komunikacj*', 'ogłoszeni*', 'blog', 'bloga', 'blogu',
      ],
    },
    other: {
      strong: [
        'współpraca', 'współpracy', 'współpracę', 'oferta współpracy', 'partnerstw*', 'partnersk*',
        'sponsor*', 'rodo', 'gdpr', 'dane osobowe', 'danych osobowych', 'usunięcie danych',
        'usuńcie moje dane', 'prawnik*', 'kancelari*', 'spam', 'reseller*', 'dystrybut*',
        'rekrutacj*',
      ],
      weak: ['test'],
    },
  },
  outage: [
    'awaria serwera', 'awaria serwerów', 'awaria systemu', 'awaria serwisu', 'poważna awaria',
    'serwer leży', 'serwery leżą', 'strona leży', 'wszystko leży', 'system leży', 'serwer padł',
    'serwery padły', 'wszystko padło', 'całkowicie nie działa', 'nic nie działa',
    'serwis niedostępny', 'strona niedostępna', 'serwer niedostępny', 'usługa niedostępna',
    'system niedostępny',
  ],
  urgent: [
    'nikt nie może', 'wszyscy użytkownicy', 'wszystkim użytkownikom', 'u wszystkich użytkowników',
    'utrata danych', 'utraciliśmy dane', 'wyciek danych', 'włamanie', 'pilne', 'pilnie', 'pilny',
    'pilna', 'krytyczn*', 'asap',
  ],
  greetings: [
    'dzień dobry', 'witam', 'cześć', 'szanown*', 'drodzy', 'droga', 'drogi', 'dobry wieczór',
  ],
  thanks: [
    'dziękuję', 'dziękujemy', 'dzięki', 'z góry dziękuję', 'pozdrawiam', 'pozdrowienia',
    'z poważaniem', 'serdecznie pozdrawiam', 'podziękowani*',
  ],
  ratings: [
    'ok', 'spoko', 'nieźle', 'dobrze', 'może być', 'średnio', 'w porządku', 'przeciętn*', 'super',
    'git', 'gwiazd*',
  ],
  setup: [
    'synchroniz*',
    'zalogować', 'logowa*', 'zaloguj*',
    '*instal*', 'aktywac*', 'aktywow*', 'klucz licencyjn*', 'kod aktywacyjn*', 'rejestrac*',
    'zarejestr*',
  ],
  negative: [
    'skandal*', 'niedopuszczaln*', 'nie do przyjęcia', 'żenada', 'żenuj*', 'porażk*', 'dno',
    'oszust*', 'oszuk*', 'złodziej*', 'kradzież', 'naciąga*', 'wyłudz*', 'uokik',
    'rzecznik konsumentów', 'prawnik*', 'pozew', 'do sądu', 'nigdy więcej',
    'przechodzę do konkurencji', 'mam dość', 'mam dosyć', 'wkurzon*', 'wściekł*', 'beznadziejn*',
    'tragedi*', 'kpina', 'kpiny', 'dramat', 'masakra', 'syf', 'badziewi*', 'gówno*',
  ],
  quoteHeaders: [
    '^.{4,200}\\snapisa[łl](?:\\(a\\)|a)?:$',
    '^w dniu\\s.{4,200}\\spisze:$',
    '^wiadomo[śs][ćc] napisana przez\\s.{1,200}:$',
    '^-{2,}\\s*(?:oryginalna wiadomo[śs][ćc]|wiadomo[śs][ćc] oryginalna|przekazana wiadomo[śs][ćc]|wiadomo[śs][ćc] przekazana(?: dalej)?|przes[łl]ana wiadomo[śs][ćc])\\s*-{2,}$',
    '^pocz[ąa]tek przekazywanej wiadomo[śs]ci:?$',
    '^od:\\s.+$',
  ],
  closings: [
    'Pozdrawiam', 'Pozdrawiam serdecznie', 'Serdecznie pozdrawiam', 'Serdeczne pozdrowienia',
    'Pozdrowienia', 'Z poważaniem', 'Z wyrazami szacunku', 'Łączę pozdrowienia', 'Dziękuję',
    'Dziękuję i pozdrawiam', 'Dziękuję bardzo', 'Z góry dziękuję', 'Z góry dzięki', 'Dzięki',
    'Pozdr', 'Pzdr', 'Miłego dnia', 'Wysłane z iPhone\'a', 'Wysłane z mojego iPhone\'a',
    'Wysłano z iPhone\'a', 'Wysłane z iPada', 'Wysłane z mojego iPada',
  ],
};
