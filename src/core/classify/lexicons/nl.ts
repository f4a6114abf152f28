import type { LanguageLexicon } from '../lexicon.js';

/**
 * Dutch (Netherlands and Flanders). Dutch negation follows the verb ("werkt niet"), so the common
 * "doesn't work" phrasings are bug_report terms rather than negators. `*fout` is deliberately not
 * used as a tail: spelfout, typfout, taalfout and vertaalfout are content problems, not bugs.
 * All languages share one matcher, so words that are common elsewhere only appear in phrases:
 * "btw" (English "by the way"), "ideal", "bon" (French), "prima" (Italian), "noch" (German).
 */
export const nl: LanguageLexicon = {
  language: 'nl',
  negators: ['niet', 'geen', 'nooit', 'zonder', 'niets', 'niks'],
  clauseInitial: ['kan ik', 'kunnen we', 'kun je', 'kunt u', 'mag ik', 'moet ik'],
  postNegators: [],
  categories: {
    bug_report: {
      strong: [
        'word uitgelogd', 'steeds uitgelogd',
        'geeft geen resultaten', 'geen resultaten', 'vindt niets', 'zoeken werkt niet', 'zoekfunctie werkt niet',
        'verkeerde datum', 'verkeerde tijd', 'verkeerde gegevens', 'onjuiste datum', 'onjuiste gegevens',
        'gebeurt niets', 'er gebeurt niks',
        'bug*', 'crash*', 'gecrasht', 'werkt niet', 'werken niet', 'werkte niet', 'werkten niet',
        'werkt het niet', 'doet het niet', 'deed het niet', 'doet niks', 'doet niets', 'lukt niet',
        'lukt het niet', 'kapot', 'defect', 'foutmelding*', '*foutmelding', 'foutcode*',
        'serverfout', 'interne serverfout', 'server error', 'onverwachte fout', 'iets misgegaan',
        'is misgegaan', 'misgegaan', 'fout gegaan', 'foutgegaan', 'loopt … vast', 'liep … vast',
        'vastgelopen', 'sluit zichzelf af', 'sluit vanzelf af', 'blijft afsluiten', 'sluit steeds af', 'sluit telkens af', 'sluit zomaar af', 'valt … uit', 'logt … uit',
        'kan niet inloggen', 'niet inloggen', 'start niet', 'opent niet', 'laadt niet',
        'slaat niet op', 'exception*', 'stappen om te reproduceren', 'reproduceren',
        'verwacht gedrag', 'verwachte gedrag', 'werkelijk gedrag', 'glitch*', 'regressie',
      ],
      weak: [
        'fout', 'fouten', 'foutief', 'foutieve', 'probleem', 'problemen', 'mislukt', 'klopt niet',
        'gaat mis', 'ging mis', 'stuk', 'vastlopen', 'bevriest', 'bevroren', 'verdwenen',
        'verdwijnt', 'kwijt', 'leeg scherm', 'wit scherm', 'zwart scherm', 'ongeldig*', 'niet meer',
        'na de update', 'na update', 'sinds de update', 'laatste update', 'opnieuw geïnstalleerd',
        'opnieuw installeren', 'herinstall*', 'herstart*', 'opnieuw opstarten', 'uitgelogd',
        'synchronis*', 'sync', 'synct', 'syncen', 'niet zichtbaar',
        'wordt niet weergegeven', 'oplossen', 'verhelpen', 'versie', 'corrupt*', 'beschadigd',
      ],
    },
    billing_issue: {
      strong: [
        'factuur*', '*factuur', 'facturen', 'facturatie', 'facturering', 'gefactureerd',
        'terugbetal*', 'geld terug', 'geld terugkrijgen', 'restitutie', 'teruggestort',
        'terugstort*', 'afgeschreven', 'afschrijving*', 'dubbel betaald', 'abonnement*',
        '*abonnement', 'opzeg*', 'opgezegd', 'betaling*', '*betaling', 'betaald', 'creditcard*',
        'credit card', 'via ideal', 'met ideal', 'incasso*', 'machtiging', 'btw nummer',
        'btw bedrag', 'incl btw', 'excl btw', 'inclusief btw', 'exclusief btw', 'kwitantie',
        'aankoopbewijs', 'automatisch verlengd', 'stilzwijgend verlengd', 'prijsverhoging',
        'paypal', 'iban', 'overboeking', 'creditnota', 'in app aankoop',
      ],
      weak: [
        'betalen', 'rekening', 'kosten', 'tarief', 'tarieven', 'prijs', 'prijzen', 'pakket',
        'verlenging', 'proefperiode', 'gratis versie', 'premium', 'upgrade*', 'downgrade*',
        'korting*', 'licentie*', 'te duur', 'aankoop', 'gekocht', 'geld', 'euro', 'euros',
        'advertenties',
      ],
    },
    feature_request: {
      strong: [
        'feature request*', 'functieverzoek*', 'zou fijn zijn', 'zou mooi zijn', 'zou handig zijn',
        'zou leuk zijn', 'zou top zijn', 'zou geweldig zijn', 'zou prettig zijn', 'zou graag zien',
        'zou ik graag zien', 'zie ik graag', 'zou het fijn vinden', 'graag toevoegen',
        'kunnen jullie toevoegen', 'mogelijkheid om', 'optie om', 'optie toevoegen', 'geen optie',
        'geen mogelijkheid', 'suggestie*', 'voorstel', 'verbeterpunt*', 'wenslijst', 'verlanglijst',
        'ik wou dat', 'nieuwe functie*', 'nieuwe feature*', 'feature', 'features', 'donkere modus',
        'dark mode', 'ondersteuning voor', 'koppeling met', 'integratie met', 'zou moeten kunnen',
        'komt er ooit',
      ],
      weak: [
        'toevoegen', 'toegevoegd', 'idee', 'ideeën', 'wens', 'ik mis', 'mis ik', 'ontbreekt',
        'functionaliteit*', 'verbeter*', 'optie', 'opties', 'instelling*', 'aanpass*', 'export*',
        'importeren', 'koppeling*', 'integratie*', 'widget*', 'api', 'graag', 'zou', 'ook',
        'in de toekomst',
      ],
    },
    onboarding_help: {
      strong: [
        'hoe kan ik', 'hoe moet ik', 'hoe doe ik', 'hoe werkt', 'hoe zet ik', 'hoe stel ik',
        'hoe maak ik', 'hoe krijg ik', 'hoe kom ik', 'hoe voeg ik', 'hoe kunnen we', 'hoe kun je',
        'is het mogelijk', 'is er een manier', 'waar kan ik', 'waar vind ik', 'kan niet vinden', 'kan het niet vinden',
        'wat betekent', 'wat is het verschil', 'ik heb een vraag', 'mijn vraag', 'vraagje',
        'aan de slag', 'eerste keer', 'nieuwe gebruiker', 'beginner', 'weet niet hoe', 'snap niet',
        'snap het niet', 'begrijp niet', 'begrijp het niet', 'hulp nodig', 'help mij', 'help me',
        'kunnen jullie helpen', 'kunt u mij helpen', 'uitleg', 'uitleggen', 'instellen',
        'wat doe ik verkeerd', 'doe ik iets verkeerd',
      ],
      weak: [
        'hoe', 'waar', 'wat', 'waarom', 'welke', 'vraag', 'hulp', 'handleiding*', 'installeren',
        'configur*', 'inloggen', 'aanmelden', 'registreren', 'wachtwoord*', 'gebruikersnaam',
        'account', 'account aanmaken', 'uitnodig*', 'koppelen', 'mogelijk', 'stap voor stap',
        'tips',
      ],
    },
    performance_issue: {
      strong: [
        'bufferen', 'blijven bufferen', 'blijft bufferen', 'lopen vast',
        'veel batterij', 'verbruikt veel batterij', 'leegt de batterij', 'batterij leeg', 'trekt de batterij leeg',
        'traag', 'trage', 'trager', 'traagheid', 'langzaam', 'langzame', 'duurt lang',
        'duurt erg lang', 'duurt heel lang', 'duurt eeuwen', 'duurt een eeuwigheid', 'laadt lang',
        'blijft laden', 'eeuwig laden', 'blijft hangen', 'app hangt', 'hangt vast', 'hapert',
        'haperen', 'haperingen', 'schokkerig', 'laggy', 'laggen', 'lagt', 'timeout*', 'time out',
        'reageert niet', 'reageert traag', 'geheugenlek*', 'geheugengebruik', 'cpu gebruik',
        'batterijverbruik', 'vreet batterij', 'slurpt batterij', 'storing*', 'ligt plat',
        'ligt eruit', 'onbereikbaar', 'niet bereikbaar', 'is down', 'prestatie*', 'performance',
        'vertraging*',
      ],
      weak: [
        'lag', 'snelheid', 'snel', 'sneller', 'laden', 'laadtijd*', 'geheugen', 'cpu', 'ram',
        'batterij', 'accu', 'zwaar', 'seconden', 'minuten', 'wachten', 'optimalis*', 'overbelast*',
        'vertraagd', 'hangt', 'is offline',
      ],
    },
    sentiment_experience: {
      strong: [
        'onbeleefd', 'onvriendelijk', 'hielp niet', 'niet behulpzaam', 'respectloos',
        'geweldig*', 'fantastisch*', 'prachtig*', 'super app', 'top app', 'fijne app', 'mooie app',
        'goede app', 'beste app', 'slechte app', 'slechtste', 'perfect', 'verschrikkelijk*',
        'vreselijk*', 'waardeloos', 'waardeloze', 'teleurgesteld', 'teleurstell*', 'gefrustreerd',
        'frustrer*', 'irritant*', 'ergerlijk*', 'vijf sterren', '5 sterren', 'een ster', '1 ster', 'aanrader',
        'aan te raden', 'raad ik aan', 'tevreden', 'ontevreden', 'ervaring',
        'slechte service', 'hou van', 'houd van', 'haat', 'ga zo door', 'goed gedaan',
        'complimenten', 'laat te wensen over', 'nutteloos', 'onbeschoft', 'niet tevreden',
        'niet blij',
      ],
      weak: [
        'klantenservice',
        'goed', 'mooi', 'fijn', 'leuk', 'handig', 'makkelijk', 'gemakkelijk', 'simpel', 'slecht',
        'slechte', 'super', 'gaaf', 'heerlijk', 'stom', 'jammer', 'blij', 'boos', 'sterren', 'app',
        'feedback', 'review*', 'mening', 'altijd', 'elke dag', 'dagelijks', 'echt',
      ],
    },
    content_communication: {
      strong: [
        'typfout*', 'tikfout*', 'spelfout*', 'spellingsfout*', 'spelling', 'taalfout*',
        'grammatica*', 'vertaling*', 'vertaalfout*', 'slecht vertaald', 'verkeerd vertaald',
        'niet vertaald', 'helpartikel*', 'helpcentrum', 'kennisbank',
        'veelgestelde vragen', 'faq', 'dode link*', 'kapotte link*', 'link werkt niet',
        'verouderde informatie', 'verouderde documentatie', 'onjuiste informatie',
        'verkeerde informatie', 'misleidend*', 'nieuwsbrief*', 'marketingmail*', 'uitschrijven',
        'uitgeschreven', 'te veel mails', 'te veel e mails', 'release notes', 'formulering',
        'verkeerde tekst', 'tekstfout*',
      ],
      weak: [
        'documentatie', 'tekst', 'teksten', 'label*', 'bericht', 'berichten', 'mail', 'mails', 'e mail*', 'email*',
        'taal', 'vertaald', 'vertalen', 'onduidelijk*', 'link', 'links', 'artikel', 'inhoud',
        'pagina', 'beschrijving', 'woord', 'woorden', 'titel', 'verouderd*', 'afmelden',
        'screenshot*', 'engels', 'nederlands',
      ],
    },
    other: {
      strong: [
        'samenwerking*', 'partnerschap', 'sponsor*', 'sollicitatie*', 'de avg', 'avg verzoek',
        'gdpr', 'gegevens verwijderen', 'verwijder mijn gegevens', 'persoonsgegevens', 'juridisch*',
        'advocaat', 'spam', 'reseller*',
      ],
      weak: ['test', 'testen', 'privacy'],
    },
  },
  outage: [
    'storing*', 'landelijke storing', 'ligt plat', 'ligt eruit', 'ligt er uit', 'is down',
    'zijn down', 'site down', 'helemaal down', 'volledig down', 'niet bereikbaar', 'onbereikbaar',
    'niets werkt',
  ],
  urgent: [
    'niemand kan', 'alle gebruikers', 'alle klanten', 'dataverlies', 'gegevens kwijt', 'datalek',
    'beveiligingslek', 'spoed', 'dringend', 'urgent', 'zsm', 'kritiek', 'noodgeval',
  ],
  greetings: [
    'beste', 'geachte', 'hallo', 'hoi', 'goedemorgen', 'goedemiddag', 'goedenavond',
  ],
  thanks: [
    'bedankt', 'dank je', 'dank jullie', 'dank u', 'dankjewel', 'dankuwel', 'alvast bedankt', 'hartelijk dank',
    'met vriendelijke groet*', 'vriendelijke groet*', 'groet*', 'mvg',
  ],
  ratings: [
    'ok', 'oké', 'prima', 'niet slecht', 'gaat wel', 'redelijk', 'matig', 'goed', 'top', 'leuk',
    'sterren', 'ster',
  ],
  setup: [
    'synchronis*',
    'inloggen', 'aanmelden', 'login',
    'install*', 'activer*', 'activatie*', 'licentiesleutel*', 'activatiecode*', 'registr*',
  ],
  negative: [
    'onacceptabel', 'onaanvaardbaar', 'schandalig', 'schandelijk', 'belachelijk*', 'woedend',
    'razend', 'kwaad', 'walgelijk', 'bedroevend', 'diep teleurgesteld', 'zeer teleurgesteld',
    'erg teleurgesteld', 'oplichting', 'oplichter*', 'oplichterij', 'fraude', 'advocaat',
    'rechtszaak', 'consumentenbond', 'ik zeg op', 'overstappen naar', 'stap over naar',
    'nooit meer', 'ben het zat', 'spuugzat', 'ben het beu', 'waardeloos', 'verschrikkelijk*',
    'bagger', 'klote*',
  ],
  quoteHeaders: [
    '^op\\s.{4,160}\\sschreef\\s.{1,200}:$',
    '^.{1,120}\\sschreef op\\s.{4,160}:$',
    '^op\\s.{4,200}\\sheeft\\s.{1,200}\\shet volgende geschreven:?$',
    '^-{2,}\\s*(?:oorspronkelijk|origineel)\\s+bericht\\s*-{2,}$',
    '^-{2,}\\s*doorgestuurd\\s+bericht\\s*-{2,}$',
    '^begin doorgestuurd bericht:?$',
    '^van:\\s.+$',
  ],
  closings: [
    'Met vriendelijke groet', 'Met vriendelijke groeten', 'Vriendelijke groet',
    'Vriendelijke groeten', 'Met hartelijke groet', 'Hartelijke groet', 'Hartelijke groeten',
    'Met groet', 'Groet', 'Groeten', 'Groetjes', 'Mvg', 'Alvast bedankt', 'Bij voorbaat dank',
    'Alvast dank', 'Bedankt', 'Dank je wel', 'Dank u wel', 'Hartelijk dank',
    'Verstuurd vanaf mijn iPhone', 'Verzonden vanaf mijn iPhone', 'Verstuurd vanaf mijn iPad',
    'Verzonden vanaf mijn iPad', 'Outlook voor iOS downloaden', 'Outlook voor Android downloaden',
    'Verzonden vanuit Mail voor Windows',
  ],
};
