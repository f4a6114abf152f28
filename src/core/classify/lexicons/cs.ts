import type { LanguageLexicon } from '../lexicon.js';

/**
 * Czech. Verb negation is a prefix (nefunguje, nenačítá se, nejde), so those forms are bug_report
 * terms; the negators are the separate words (není, žádný, bez). The forms of žádný are listed
 * because `žádn*` folds to `zadn*` and would also match "zadní" (rear, back: "zadní kamera
 * nefunguje"). Typical double-negation subjects ("žádné tlačítko nefunguje") are weak bug terms,
 * which keeps their negator from cancelling the bug; "nic"/"nikdy"/"ani" are left out for the
 * same reason ("nic nefunguje"). `chyb*` is not used: it would also match chybí/chybět
 * ("missing", typical of feature requests), so the forms of "chyba" are listed. Other collisions
 * avoided: `oprav*` (opravdu), `závad*` (zavádějící), `spoluprác*` (spolupracovník), `dobr*`
 * (dobrý den), `cen*` (centrum), `drz*` (držet), `zpráv*` (zpravidla), `dotaz*` (dotažený).
 */
export const cs: LanguageLexicon = {
  language: 'cs',
  negators: [
    'není', 'nejsou', 'nebyl', 'nebyla', 'nebylo', 'nebyly', 'bez', 'žádný', 'žádná', 'žádné',
    'žádnou', 'žádného', 'žádnému', 'žádném', 'žádným', 'žádných', 'žádnými',
  ],
  postNegators: [],
  categories: {
    bug_report: {
      strong: [
        'mě odhlásí', 'odhlašuje', 'mě odhlašuje',
        'nevrací žádné výsledky', 'žádné výsledky', 'nic nenajde', 'vyhledávání nefunguje',
        'nechodí', 'už nechodí', 'nepřicházejí', 'nepřichází', 'přestala chodit', 'přestaly chodit',
        'špatné datum', 'špatný čas', 'špatná data', 'chybné datum', 'chybná data',
        'nic nedělá', 'nic se neděje',
        'nefung*', 'nefunkčn*', 'není funkční', 'přestal* fungovat', 'nejde', 'nejdou', 'nejede',
        'nelze', 'nespust*', 'nespouští*', 'nenačít*', 'nenačte*', 'neotevře*', 'neotevír*',
        'neuklád*', 'neuloží*', 'neodesílá*', 'nemůžu se přihlásit', 'nemohu se přihlásit',
        'aplikace padá', 'aplikace spadla', 'bug*', 'crash*', 'chybov* hlášk*', 'hlásí chybu',
        'vyhodí chybu', 'hází chybu', 'vyskočí chyba', 'objeví se chyba', 'zobrazí se chyba',
        'kód chyby', 'chyba serveru', 'interní chyba', 'neočekávan* chyb*', 'něco se pokazilo',
        'pokazil*', 'rozbit*', 'rozbil*', 'závada', 'závady', 'závadu', 'porucha', 'poruchy',
        'vyhazuje mě', 'reprodukc*', 'reprodukovat', 'očekávané chování', 'očekávaný výsledek',
        'skutečné chování', 'skutečný výsledek', 'glitch*',
      ],
      weak: [
        'chyba', 'chyby', 'chybu', 'chybou', 'chybě', 'chybami', 'chybov*', 'chybn*', 'problém*',
        'padá', 'spadl*', 'spadne', 'se zavírá', 'se pořád zavírá', 'se neustále zavírá', 'zavírá se', 'vypíná se', 'odhlašuj*', 'nezobraz*', 'výjimk*',
        'špatně', 'nesprávn*', 'po aktualizaci', 'od aktualizace', 'poslední aktualizac*',
        'po updatu', 'přeinstal*', 'odinstal*', 'restart*', 'zmizel*', 'mizí', 'bílá obrazovka',
        'černá obrazovka', 'prázdná obrazovka', 'nesynchroniz*', 'synchroniz*', 'opravte',
        'opravit', 'opravíte', 'oprava', 'opravu', 'nemůžu', 'nemohu', 'ztratil*', 'verze',
        'žádné tlačítko', 'žádná tlačítka', 'žádná funkce', 'žádný odkaz',
      ],
    },
    billing_issue: {
      strong: [
        'kolik stojí', 'kolik to stojí',
        'faktur*', 'vrácení peněz', 'vraťte peníze', 'vrátit peníze', 'vrácení platby', 'refundac*',
        'stržen*', 'strhl*', 'strhává*', 'naúčtov*', 'vyúčtování', 'platb*', 'zaplatil*',
        'zaplacen*', 'předplatn*', 'automatické obnovení', 'automaticky obnov*', 'kreditní kart*',
        'platební kart*', 'z karty', 'dvojí platb*', 'účtenk*', 'daňový doklad',
        'doklad o zaplacení', 'dph', 'ičo', 'dič', 'bankovní převod', 'iban', 'paypal', 'ceník*',
        'zdražen*', 'zdražil*', 'koupil*', 'nákup*', 'zakoupen*', 'zakoupil*', 'tarif*',
        'reklamac*',
      ],
      weak: [
        'účtov*', 'platit', 'placen*', 'vrácení', 'cena', 'ceny', 'cenu', 'ceně', 'cenou', 'drahé',
        'drahá', 'drahý', 'předražen*', 'peníze', 'peněz', 'kč', 'korun*', 'eur', 'zkušební doba',
        'zkušební verz*', 'zdarma', 'prémiov*', 'premium', 'slev*', 'licenc*', 'reklama', 'reklamy',
        'reklamu', 'dvakrát',
      ],
    },
    feature_request: {
      strong: [
        'bylo by fajn', 'bylo by super', 'bylo by skvělé', 'bylo by dobré', 'bylo by hezké',
        'bylo by užitečné', 'by bylo fajn', 'by bylo super', 'by bylo dobré', 'hodil* by se',
        'by se hodil*', 'uvítal* bych', 'uvítal* bychom', 'ocenil* bych', 'přidejte',
        'prosím přidejte', 'možnost přidat', 'chybí mi', 'chybí možnost', 'není možnost',
        'nov* funkc*', 'návrh na', 'navrhuj*', 'nápad', 'nápadu', 'nápady', 'napadlo mě', 'námět*',
        'tmav* režim*', 'noční režim', 'dark mode', 'podpora pro', 'kdyby šlo', 'aby šlo',
        'aby bylo možné', 'plánujete', 'plánuje se', 'přál* bych si',
      ],
      weak: [
        'chybí', 'bylo by', 'přidat', 'přidání', 'funkc*', 'návrh*', 'zlepšen*', 'vylepš*',
        'integrac*', 'export*', 'import*', 'widget*', 'api', 'možnost', 'možnosti', 'nastavení',
        'kdyby', 'chtěl* bych', 'škoda že', 'bude někdy',
      ],
    },
    onboarding_help: {
      strong: [
        'jak mohu', 'jak můžu', 'jak lze', 'jak se dá', 'jak udělat', 'jak nastavit', 'jak přidat',
        'jak změnit', 'jak se přihlásit', 'jak pozvat', 'jak propojit', 'jak funguje',
        'jak používat', 'jak na to', 'je možné', 'je nějaká možnost', 'dá se', 'lze nějak',
        'jde nějak', 'existuje způsob', 'kde najdu', 'kde mohu', 'nemůžu najít', 'nemohu najít',
        'nevím jak', 'nerozumím', 'nechápu', 'nejsem si jist*', 'dotaz', 'dotazy', 'dotazu',
        'otázk*', 'chtěl* bych se zeptat', 'chci se zeptat', 'prosím o radu', 'poraďte',
        'potřebuji pomoc', 'potřebuju pomoct', 'prosím o pomoc', 'pomozte', 'vysvětl*',
        'první kroky', 'poprvé', 'nový uživatel', 'začátečník',
        'co dělám špatně', 'co dělám blbě',
      ],
      weak: [
        'jak', 'kde', 'proč', 'kdy', 'který', 'pomoc', 'poradit', 'návod*', 'nastavit', 'konfigur*',
        'instal*', 'nainstal*', 'přihlás*', 'registr*', 'hesl*', 'účet', 'účtu', 'pozvánk*',
        'pozvat', 'krok za krokem', 'příklad*',
      ],
    },
    performance_issue: {
      strong: [
        'sekají', 'zasekává', 'zasekávají', 'laguje',
        'načítá dlouho', 'načítají dlouho', 'dlouho se načítají', 'dlouho načítají', 'načítají strašně dlouho', 'načítá strašně dlouho',
        'pomal*', 'zpomal*', 'seká', 'seká se', 'sekne se', 'zasek*', 'zamrz*', 'trhá se', 'lag',
        'lagy', 'lagu*', 'donekonečna', 'věčně se načítá', 'dlouho trvá', 'trvá dlouho',
        'trvá věčnost', 'dlouho načítá', 'dlouho se načítá', 'timeout*', 'aplikace neodpovídá',
        'server neodpovídá', 'aplikace nereaguje', 'únik paměti', 'spotřeba baterie', 'vybíj*',
        'žere baterii', 'zahřív*', 'výkon*', 'odezv*', 'zpoždění', 'výpadek', 'výpadk*',
        'nedostupn*', 'není dostupn*', 'server nejede', 'web nejede', 'server spadl',
        'spadl server',
      ],
      weak: [
        'rychl*', 'načítá', 'načítání', 'věčně', 'neodpovídá', 'nereaguj*', 'časový limit',
        'baterie', 'baterk*', 'hřeje', 'paměť', 'paměti', 'cpu', 'ram', 'procesor*', 'sekund*',
        'minut*', 'čekám', 'čekání', 'čekat', 'optimaliz*', 'přetížen*', 'zátěž*',
      ],
    },
    sentiment_experience: {
      strong: [
        'nezdvořil*', 'nepříjemn*', 'nepomohl*',
        'skvěl*', 'výborn*', 'vynikající*', 'úžasn*', 'parádní', 'paráda', 'perfektní', 'nejlepší',
        'nejhorší', 'hrozná', 'hrozné', 'hrozný', 'příšerná', 'příšerné', 'příšerný', 'otřesn*',
        'katastrof*', 'zklamán*', 'zklamal*', 'frustruj*', 'štve', 'otravn*', 'miluju', 'miluji',
        'zbožňuju', 'nesnáším', 'pět hvězd', '5 hvězd',
        'jedna hvězda', 'jednu hvězdu', '1 hvězda', 'doporučuj*', 'nedoporučuj*', 'spokojen*',
        'nespokojen*', 'zkušenost*', 'nepoužiteln*',
        'k ničemu', 'ztráta času', 'vyhozené peníze', 'neochotn*', 'arogantn*', 'palec nahoru',
        'jen tak dál', 'dobrá práce', 'pochval*', 'oblíben*',
      ],
      weak: [
        'zákaznick* podpor*', 'zákaznický servis',
        'dobrá', 'dobré', 'pěkná', 'pěkné', 'hezká', 'fajn', 'super', 'snadn*', 'jednoduch*',
        'přehledná', 'přehledné', 'přehledný', 'užitečn*', 'intuitivn*', 'šikovn*', 'zbytečn*',
        'drzý', 'drzá', 'drzost*', 'návykov*', 'naštvan*', 'smutn*', 'hvězd*', 'recenz*',
        'hodnocení', 'názor', 'aplikace', 'hra', 'vždy', 'každý den', 'opravdu', 'moc',
      ],
    },
    content_communication: {
      strong: [
        'překlep*', 'pravopis*', 'gramati*', 'hrubk*', 'interpunk*', 'překlad*', 'přeložen*',
        'nepřeložen*', 'nápověd*', 'centrum nápovědy', 'znalostní báze',
        'často kladené otázky', 'faq', 'nefunkční odkaz*', 'rozbit* odkaz*', 'odkaz nefunguje',
        'odkazy nefungují', 'mrtv* odkaz*', 'neaktuáln*', 'zavádějící', 'matoucí', 'nesrozumiteln*',
        'newsletter*', 'zpravodaj*', 'z odběru', 'odběr novinek', 'reklamní*', 'obchodní sdělení',
        'příliš mnoho e mailů', 'formulac*',
      ],
      weak: [
        'dokumentac*', 'text*', 'zpráva', 'zprávy', 'zprávu', 'zprávě', 'e mail*', 'email*', 'mail*', 'jazyk*',
        'češtin*', 'česky', 'anglicky', 'lokalizac*', 'odkaz*', 'článek', 'článk*', 'obsah',
        'obsahu', 'stránk*', 'popis*', 'slovo', 'slova', 'věta', 'věty', 'nadpis*', 'titulek',
        'snímek obrazovky', 'screenshot*', 'komunikac*', 'oznámení', 'zastaral*', 'nejasn*',
      ],
    },
    other: {
      strong: [
        'spolupráce', 'spolupráci', 'nabídka spolupráce', 'partnerstv*', 'partnersk*', 'sponzor*',
        'gdpr', 'osobn* údaj*', 'smazání údajů', 'smažte mé údaje', 'výmaz', 'právník*', 'advokát*',
        'spam', 'distribut*',
      ],
      weak: ['test', 'právní'],
    },
  },
  outage: [
    'výpadek', 'výpadk*', 'nic nefunguje', 'nefunguje nic', 'server spadl', 'servery spadly',
    'web spadl', 'web nejede', 'server nejede', 'nic nejede', 'služba je nedostupn*',
    'server je nedostupn*', 'web je nedostupn*', 'nedostupný server', 'nedostupná služba',
  ],
  urgent: [
    'nikdo se nemůže', 'nikdo nemůže', 'všichni uživatelé', 'všem uživatelům', 'ztráta dat',
    'přišli jsme o data', 'únik dat', 'bezpečnostní incident', 'urgent*', 'naléhav*', 'kritick*',
    'havári*',
  ],
  greetings: [
    'dobrý den', 'dobré ráno', 'dobrý večer', 'ahoj', 'vážen*', 'zdravím', 'milý', 'milá',
  ],
  thanks: [
    'děkuji', 'děkuju', 'díky', 'předem děkuji', 's pozdravem', 'poděkování',
  ],
  ratings: [
    'ok', 'dobrý', 'dobré', 'ujde', 'nic moc', 'docela dobr*', 'průměrn*', 'v pohodě', 'super',
    'fajn', 'hvězd*',
  ],
  setup: [
    'synchroniz*',
    'přihlásit', 'přihlášení', 'přihlás*',
    '*instal*', 'aktivac*', 'aktivov*', 'licenční klíč*', 'aktivační kód*', 'registrac*',
    'zaregistr*',
  ],
  negative: [
    'nepřijateln*', 'skandál*', 'hanba', 'ostud*', 'výsměch', 'zloděj*', 'podvod*', 'šmejd*',
    'okrád*', 'na čoi', 'obchodní inspekc*', 'právník*', 'soud', 'soudu', 'žalob*', 'už nikdy',
    'nikdy více', 'přecházím ke konkurenci', 'mám toho dost', 'mám dost', 'naštvan*', 'zuřiv*',
    'příšerná', 'příšerné', 'příšerný', 'otřesn*', 'hrůza', 'katastrof*', 'děsn*', 'hnus', 'hnusn*',
    'sračk*',
  ],
  quoteHeaders: [
    '^.{4,200}\\snapsal(?:\\(a\\)|a|i)?:$',
    '^-{2,}\\s*(?:p[ůu]vodn[íi]\\s+(?:zpr[áa]va|e-?mail)|p[řr]eposlan[áa]\\s+zpr[áa]va|p[řr]edan[áa]\\s+zpr[áa]va)\\s*-{2,}$',
    '^za[čc][áa]tek\\s+p[řr]eposlan[ée]\\s+zpr[áa]vy:?$',
    '^od:\\s.+$',
  ],
  closings: [
    'S pozdravem', 'S přátelským pozdravem', 'Se srdečným pozdravem', 'S úctou', 'Děkuji',
    'Děkuji předem', 'Předem děkuji', 'Předem díky', 'Díky', 'Děkuji za odpověď', 'Děkuji za pomoc',
    'Děkuji a přeji hezký den', 'Přeji hezký den', 'Hezký den', 'Odesláno z iPhonu',
    'Odesláno z mého iPhonu', 'Odesláno z iPadu', 'Odesláno z mého iPadu',
    'Odesláno z Pošty pro Windows', 'Získat Outlook pro iOS', 'Získat Outlook pro Android',
  ],
};
