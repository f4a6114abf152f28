import type { CustomerLanguage } from '../customer-texts.js';

export const tr: CustomerLanguage = {
  code: 'tr',
  updates: {
    acknowledged: [
      'Merhaba,',
      '',
      '#{ticket} numaralı talebinizle bir uzmanımız ilgileniyor.',
      'Talebinizi en geç {eta} tarihine kadar çözmeyi öngörüyoruz.',
      'En geç {next_update} tarihinde sizi tekrar bilgilendireceğiz.',
      'Durumu buradan takip edebilirsiniz: {status_link}',
    ].join('\n'),
    revised_eta: [
      'Merhaba,',
      '',
      '#{ticket} numaralı talebiniz üzerinde çalışmaya devam ediyoruz, ancak planladığımızdan uzun sürüyor. Beklettiğimiz için özür dileriz.',
      'Çözüm için yeni tahminimiz: {eta}.',
      'En geç {next_update} tarihinde sizi tekrar bilgilendireceğiz.',
      'Durumu buradan takip edebilirsiniz: {status_link}',
    ].join('\n'),
    solved: [
      'Merhaba,',
      '',
      '#{ticket} numaralı talebiniz çözüldü. Sorunun tekrarlamadığından emin olmak için birkaç gün daha takip edeceğiz; hâlâ bir sorun varsa bu mesajı yanıtlamanız yeterli.',
      'Durum: {status_link}',
    ].join('\n'),
  },
  page: {
    title: 'Talep #{ticket}',
    stage: 'Durum',
    lastUpdate: 'Son güncelleme',
    nextUpdate: 'Bir sonraki bilgilendirme',
    eta: 'Öngörülen çözüm',
    none: 'henüz planlanmadı',
    footer: 'Bu sayfa talebinizin durumunu gösterir ve biz çalıştıkça değişir. Bir şey eklemek için e-postamızı yanıtlayın.',
    notFound: 'Bu bağlantı geçersiz ya da süresi dolmuş.',
    tooMany: 'Çok fazla istek. Lütfen bir dakika sonra tekrar deneyin.',
    stages: {
      routed: 'Alındı: doğru uzmanı arıyoruz',
      acknowledged: 'Bir uzman üzerinde çalışıyor',
      acted: 'Çözüldü: kalıcı olduğunu kontrol ediyoruz',
      verified: 'Tamamlandı',
      follow_up: 'Sizinle tekrar iletişime geçeceğiz',
      closed: 'Kapatıldı',
    },
  },
};
