import type { LanguageLexicon } from '../lexicon.js';

/**
 * Turkish. Verb negation is a suffix (çalışmıyor, açılmıyor, yüklenmiyor), so those forms are
 * bug_report terms, written as stems (`çalışmıyo*` also catches the colloquial "çalışmıyo").
 * Negation of a noun follows it ("hata yok", "sorun değil"), hence postNegators and no negators:
 * Turkish double negation ("hiçbir şey çalışmıyor") would make "hiç"/"hiçbir" cancel real bugs.
 * Stems are chosen with the folding in mind: `hız*` would fold to `hiz*` and match "hizmet",
 * `acil*` would match "açılmıyor", `sinir*` "sınır", `çeviri*` "çevirince" (when rotating). Bare
 * "para", "parola", "kritik", "dava" are avoided too: all languages share one matcher, and those
 * are everyday Spanish/Portuguese/Italian/German words.
 */
export const tr: LanguageLexicon = {
  language: 'tr',
  negators: [],
  postNegators: [
    'değil*', 'yok', 'yoktur', 'yoktu', 'olmadan', 'yaşamadım', 'yaşamadık', 'yaşamıyorum',
  ],
  categories: {
    bug_report: {
      strong: [
        'oturumumu kapatıyor', 'oturumum kapanıyor', 'oturumum kapanıyo*',
        'sonuç getirmiyor', 'sonuç vermiyor', 'arama çalışmıyor', 'hiçbir sonuç',
        'yanlış tarih', 'yanlış saat', 'yanlış veri*', 'yanlış gösteriyo*',
        'hiçbir şey olmuyor', 'tepki vermiyor',
        'çalışmıyo*', 'çalışmadı*', 'çalışmaz', 'açılmıyo*', 'açılmadı*', 'yüklenmiyo*',
        'yüklenmedi*', 'çöküyo*', 'çöktü', 'çökme*', 'crash*', 'bug', 'buglar*', 'bugı', 'bug var',
        'hata veriyo*', 'hata verdi*', 'hata alıyo*', 'hata aldım', 'hata mesajı*', 'hata kodu*',
        'hata oluştu', 'bir hata oluştu', 'sunucu hatası', 'beklenmeyen bir hata',
        'beklenmedik bir hata', 'kendi kendine kapan*', 'kendiliğinden kapan*', 'sürekli kapan*', 'aniden kapan*', 'durmadan kapan*',
        'uygulama kapanıyo*', 'uygulamadan atıyo*', 'oyundan atıyo*', 'bozuk', 'bozuldu',
        'bozulmuş', 'giriş yapamıyo*', 'giremiyo*', 'açamıyo*', 'yükleyemiyo*', 'indiremiyo*', 'göremiyo*', 'kullanamıyo*', 'silemiyo*', 'değiştiremiyo*', 'oynatamıyo*', 'kaydedemiyo*', 'gönderemiyo*',
        'düzgün çalışmıyo*', 'yanlış hesapl*', 'yanlış sonuç*',
      ],
      weak: [
        'hata*', 'sorun*', 'problem*', 'sıkıntı*', 'bozul*', 'dondu', 'kaybol*', 'silindi',
        'geçersiz', 'görünmüyo*', 'gözükmüyo*', 'gelmiyo*', 'beyaz ekran', 'siyah ekran',
        'boş ekran', 'güncellemeden sonra', 'güncellemeden beri', 'güncellemeden bu yana', 'güncelleme sonrası', 'son güncelleme*',
        'yeniden yükle*', 'tekrar yükle*', 'silip yükledim', 'yeniden başlat*', 'senkron*',
        'düzeltir misiniz', 'düzelt*', 'sürüm*', 'versiyon*', 'uyarı*', 'bağlantı hatası',
      ],
    },
    billing_issue: {
      strong: [
        'fiyatı nedir', 'fiyatı ne kadar', 'kaç para', 'ne kadar tutuyor',
        'fatura*', 'iade*', 'para iadesi', 'paramı geri', 'ücret iadesi', 'ödeme*', 'ödedim',
        'ödendi', 'abonelik*', 'abone oldum', 'üyelik*', 'kredi kartı*', 'kartımdan',
        'para çekildi', 'ücret alındı', 'ücret kesildi', 'ücret çekildi', 'iki kez ücret', 'iki kere ücret', 'fazla ücret', 'iki kez çekildi', 'iki kere çekildi', 'tahsil*', 'ücretlendir*', 'kdv',
        'makbuz*', 'dekont*', 'havale', 'eft', 'iban', 'paypal', 'satın aldım', 'satın alma*',
        'uygulama içi satın alma*', 'otomatik yenile*', 'zam', 'zamlı', 'aboneliği iptal',
        'aboneliğimi iptal', 'üyeliği iptal', 'üyeliğimi iptal',
      ],
      weak: [
        'ücret*', 'fiyat*', 'pahalı', 'paket*', 'plan', 'premium', 'pro sürüm', 'deneme süresi',
        'ücretsiz deneme', 'indirim*', 'kupon*', 'lisans*', 'param', 'tl', 'lira', 'dolar*', 'euro',
        'iptal*', 'yenileme', 'kesildi', 'çekildi', 'fiş', 'reklamsız', 'reklamları kaldır*',
      ],
    },
    feature_request: {
      strong: [
        'eklemeniz mümkün', 'eklenmesi mümkün', 'eklemenizi',
        'özellik isteği', 'özellik talebi', 'öneri', 'önerim', 'önerimiz', 'önerilerim',
        'önerilerimiz', 'tavsiyem', 'olsa güzel olur', 'olsa iyi olur', 'olsa çok iyi olur',
        'olsa harika olur', 'olursa güzel olur', 'güzel olurdu', 'iyi olurdu', 'harika olurdu',
        'süper olurdu', 'olmasını isterim', 'olmasını istiyorum', 'eklenmesini istiyorum',
        'eklenmesini rica*', 'eklenebilir mi', 'eklenir mi', 'ekleyebilir misiniz', 'eklerseniz',
        'eklenirse', 'eklensin', 'ekleyin', 'eklenmeli', 'keşke', 'seçeneği olsa', 'seçeneği yok',
        'seçenek eklen*', 'özelliği olsa', 'özelliği yok', 'özelliği gelsin', 'özelliği eklen*',
        'yeni özellik*', 'karanlık mod*', 'gece modu', 'dark mode', 'desteği gelsin',
        'desteği olsa', 'desteği eklen*',
      ],
      weak: [
        'ekle*', 'seçenek*', 'özellik', 'özelliğ*', 'özellikler*', 'ayarlar', 'istek*', 'talep*',
        'geliştir*', 'iyileştir*', 'entegrasyon*', 'dışa aktar*', 'widget*', 'api', 'olsa', 'gelse',
        'olmalı', 'eksik',
      ],
    },
    onboarding_help: {
      strong: [
        'nasıl yap*', 'nasıl kullan*', 'nasıl ekle*', 'nasıl değiştir*', 'nasıl kur*',
        'nasıl ayarla*', 'nasıl bağla*', 'nasıl giriş', 'nasıl oluştur*', 'nasıl davet',
        'nasıl bulabilirim', 'mümkün mü', 'mümkün müdür', 'yapabilir miyim', 'yolu var mı',
        'bir yolu', 'yardımcı olur musunuz', 'yardımcı olabilir misiniz', 'yardım edebilir misiniz',
        'soru', 'sorum', 'sorular*', 'sorusu', 'anlamadım', 'anlayamadım', 'anlamıyorum',
        'nereden bulabilirim', 'nerede bulabilirim', 'bulamıyorum', 'kurulum*', 'yeni kullanıcı*',
        'ilk defa', 'ilk kez', 'yeni başladım', 'merak ediyorum', 'emin değil*', 'adım adım',
        'neyi yanlış yapıyorum', 'nerede hata yapıyorum', 'yanlış bir şey mi yapıyorum',
      ],
      weak: [
        'nasıl', 'nerede', 'nereden', 'neden', 'hangi', 'nedir', 'ne demek', 'var mı', 'yardım*',
        'rehber*', 'eğitim*', 'giriş yap*', 'kayıt ol', 'kayıt olmak', 'kaydol*', 'şifre*', 'hesap',
        'hesab*', 'davet*', 'yapılandır*', 'ayarla*', 'kurmak', 'bilmiyorum', 'kullanım*',
      ],
    },
    performance_issue: {
      strong: [
        'pil tüketiyor', 'fazla pil', 'pili bitiriyor', 'şarjı bitiriyor',
        'yavaş*', 'kasıyo*', 'kasma*', 'takılıyo*', 'takılma*', 'donuyo*', 'donma*', 'gecikme*',
        'geç açılıyo*', 'geç yükleniyo*', 'yanıt vermiyo*', 'zaman aşımı*', 'timeout',
        'sürekli yükleniyo*', 'çok uzun sürüyo*', 'uzun sürüyo*', 'saatlerce', 'dakikalarca',
        'ısınıyo*', 'ısınma*', 'telefonu ısıtıyo*', 'şarjı bitiriyo*', 'şarj yiyo*', 'pil yiyo*',
        'pil tüketimi', 'pili bitiriyo*', 'performans*', 'erişilemiyo*', 'kesinti', 'kesintisi',
        'kesintiler*', 'kesintiye', 'hizmet dışı', 'servis dışı', 'lag', 'lagı', 'laglı', 'lagg*',
      ],
      weak: [
        'çok ağır', 'ağır çalışıyo*', 'ağırlaştı', 'hız', 'hızı', 'hızlı', 'hızlandır*',
        'yükleniyo*', 'cevap vermiyo*', 'bekletiyo*', 'bekliyorum', 'bekledim', 'pil', 'pili',
        'şarj*', 'bellek', 'ram', 'işlemci', 'cpu', 'sunucu*', 'bağlantı*', 'bağlanamıyo*',
        'optimiz*', 'saniye*', 'dakika*', 'fps', 'ping',
      ],
    },
    sentiment_experience: {
      strong: [
        'kaba', 'kabaydı', 'yardımcı olmadı', 'yardımcı değildi',
        'harika*', 'mükemmel*', 'muhteşem*', 'efsane', 'bayıldım', 'bayılıyorum', 'çok beğendim',
        'beğendim', 'beğenmedim', 'sevdim', 'seviyorum', 'nefret*', 'berbat*', 'rezalet*', 'rezil*',
        'kötü uygulama', 'en kötü', 'en iyi uygulama', 'güzel uygulama', 'hayal kırıklığı*',
        'memnun*', 'memnun değil*', 'eline sağlık',
        'ellerinize sağlık', 'emeğinize sağlık', 'emeği geçen*', 'tebrik*', '5 yıldız',
        'beş yıldız', '1 yıldız', 'bir yıldız', 'tavsiye ederim', 'herkese tavsiye*', 'öneririm',
        'herkese öneririm', 'deneyim*', 'işe yaramaz', 'sinir bozucu',
        'zaman kaybı', 'vakit kaybı', 'saygısız*', 'ilgisiz*', 'favori*', 'bağımlı*',
      ],
      weak: [
        'müşteri hizmetleri',
        'güzel', 'kötü', 'hoş', 'süper', 'başarılı', 'kullanışlı', 'faydalı', 'kolay', 'basit',
        'sade', 'keyifli', 'eğlenceli', 'mutlu', 'üzgün', 'kızgın', 'maalesef', 'yazık', 'saçma*',
        'yıldız*', 'puan*', 'yorum*', 'geri bildirim', 'uygulama', 'oyun', 'her gün', 'gerçekten',
      ],
    },
    content_communication: {
      strong: [
        'yazım hata*', 'imla*', 'yazım yanlış*', 'dil bilgisi', 'dilbilgisi', 'gramer', 'çeviri',
        'çevirisi', 'çeviride', 'çeviriyi', 'çevirinin', 'çeviriler*', 'yanlış çevir*', 'tercüme*',
        'türkçesi', 'dokümantasyon*', 'yardım merkezi', 'yardım makale*', 'bilgi bankası', 'sss',
        'sıkça sorulan', 'kırık link*', 'kırık bağlantı*', 'link çalışmıyo*', 'bağlantı çalışmıyo*',
        'güncel değil', 'yanlış bilgi*', 'eski bilgi*', 'yanıltıcı', 'bülten*', 'e bülten*',
        'abonelikten çık*', 'e posta listesi*', 'mail listesi*', 'reklam maili', 'reklam mesaj*',
        'çok fazla mail', 'çok fazla e posta', 'sürüm notları', 'duyuru*',
      ],
      weak: [
        'metin*', 'yazı', 'yazısı', 'yazılar', 'etiket*', 'mesaj*', 'e posta*', 'mail*', 'dil',
        'türkçe', 'ingilizce', 'link*', 'makale*', 'içerik*', 'sayfa*', 'açıklama*', 'kelime*',
        'cümle*', 'başlık*', 'belge*', 'kılavuz*', 'iletişim', 'ekran görüntü*', 'anlaşılmıyo*',
      ],
    },
    other: {
      strong: [
        'iş birliği', 'işbirliği', 'ortaklık*', 'sponsor*', 'iş başvuru*', 'kvkk', 'gdpr',
        'verilerimi sil*', 'verilerimin silin*', 'kişisel veri*', 'avukat*', 'hukuk*', 'spam',
        'bayilik', 'tedarikçi*',
      ],
      weak: ['test', 'yasal'],
    },
  },
  outage: [
    'sunucular çöktü', 'sunucu çöktü', 'site çöktü', 'sistem çöktü', 'tamamen çöktü',
    'komple çöktü', 'siteye erişilemiyo*', 'sunucuya erişilemiyo*', 'sisteme erişilemiyo*',
    'hizmet dışı', 'servis dışı', 'kesinti', 'kesintisi', 'kesintiler*', 'kesintiye',
    'hiçbir şey çalışmıyo*',
  ],
  urgent: [
    'hiç kimse', 'kimse giremiyo*', 'kimse giriş yapamıyo*', 'tüm kullanıcılar',
    'bütün kullanıcılar', 'herkeste', 'veri kaybı', 'verilerim silindi', 'tüm veriler silindi',
    'güvenlik açığı', 'acil', 'acilen', 'aciliyet*', 'ivedi*', 'kritik hata', 'kritik sorun',
    'kritik durum', 'bir an önce',
  ],
  greetings: [
    'merhaba', 'merhabalar', 'selam', 'selamlar', 'sayın', 'iyi günler', 'günaydın',
    'iyi akşamlar',
  ],
  thanks: [
    'teşekkür*', 'sağ olun', 'sağolun', 'saygılarımla', 'saygılar*', 'iyi çalışmalar',
    'kolay gelsin',
  ],
  ratings: [
    'tamam', 'idare eder', 'fena değil', 'güzel', 'iyi', 'süper', 'eh işte', 'ortalama', 'vasat',
    'harika', 'yıldız*',
  ],
  setup: [
    'senkroniz*',
    'giriş yap*', 'oturum açamıyo*', 'oturum açma*',
    'kurulum*', 'kurmak', 'kuramıyo*', 'kuramadım', 'aktivasyon*', 'etkinleştir*',
    'lisans anahtar*', 'aktivasyon kodu', 'kayıt ol', 'kayıt olamıyo*', 'kayıt olmak', 'kaydol*',
  ],
  negative: [
    'rezalet*', 'rezil*', 'berbat*', 'kabul edilemez', 'saçmalık*', 'dolandırıcı*', 'dolandırıl*',
    'hırsız*', 'soygun', 'vurgun', 'şikayet*', 'şikayetvar', 'tüketici hakem*', 'avukat*',
    'dava açacağım', 'dava açacağız', 'dava açarım', 'mahkeme*', 'bir daha asla', 'asla kullanmam',
    'bıktım', 'bıktık', 'yeter artık', 'sinir oldum', 'çok sinirlendim', 'utanç verici',
    'yazıklar olsun', 'ayıp', 'kepazelik', 'skandal', 'çöp', 'işe yaramaz', 'para tuzağı',
  ],
  quoteHeaders: [
    '^.{4,200}\\starihinde\\s.{1,200}\\syazd[ıi]:?$',
    '^-{2,}\\s*(?:or[iİı]j[iİı]nal|[öo]zg[üu]n|as[ıi]l|[iİı]let[iİı]len|y[öo]nlend[iİı]r[iİı]l(?:en|m[iİı][şs]))\\s+(?:[iİı]let[iİı]|mesaj)\\s*-{2,}$',
    '^y[öo]nlend[iİı]r[iİı]l(?:en|m[iİı][şs])\\s+[iİı]let[iİı](?:\\s+ba[şs]lang[ıi]c[ıi])?:?$',
    '^k[iİı]mden:\\s.+$',
    '^g[öo]nderen:\\s.+$',
  ],
  closings: [
    'Saygılarımla', 'Saygılar', 'Saygılarımızla', 'İyi çalışmalar', 'İyi çalışmalar dilerim',
    'İyi günler dilerim', 'Teşekkürler', 'Teşekkür ederim', 'Teşekkür ederiz',
    'Şimdiden teşekkürler', 'Şimdiden teşekkür ederim', 'Sevgiler', 'Selamlar', 'Hoşça kalın',
    'iPhone\'umdan gönderildi', 'iPad\'imden gönderildi', 'iOS için Outlook\'u edinin',
    'Android için Outlook\'u edinin',
  ],
};
