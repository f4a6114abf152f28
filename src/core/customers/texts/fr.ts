import type { CustomerLanguage } from '../customer-texts.js';

export const fr: CustomerLanguage = {
  code: 'fr',
  updates: {
    acknowledged: [
      'Bonjour,',
      '',
      "Un spécialiste s'occupe de votre demande #{ticket}.",
      "Nous prévoyons de la résoudre d'ici le {eta}.",
      'Vous aurez de nos nouvelles au plus tard le {next_update}.',
      'Suivez son avancement ici : {status_link}',
    ].join('\n'),
    revised_eta: [
      'Bonjour,',
      '',
      "Nous travaillons toujours sur votre demande #{ticket}, mais cela prend plus de temps que prévu. Veuillez nous excuser pour l'attente.",
      'Notre nouvelle estimation pour sa résolution : {eta}.',
      'Vous aurez de nos nouvelles au plus tard le {next_update}.',
      'Suivez son avancement ici : {status_link}',
    ].join('\n'),
    solved: [
      'Bonjour,',
      '',
      'Votre demande #{ticket} est résolue. Nous la surveillons encore quelques jours pour nous assurer que le problème ne revient pas ; si quelque chose ne va toujours pas, répondez simplement à ce message.',
      'Son état : {status_link}',
    ].join('\n'),
  },
  page: {
    title: 'Demande #{ticket}',
    stage: 'Où en est-elle',
    lastUpdate: 'Dernière mise à jour',
    nextUpdate: "Prochaine nouvelle d'ici le",
    eta: 'Résolution prévue',
    none: 'pas encore prévue',
    footer: 'Cette page montre où en est votre demande et change à mesure que nous y travaillons. Pour ajouter quelque chose, répondez à notre e-mail.',
    notFound: "Ce lien n'est pas valide ou a expiré.",
    tooMany: 'Trop de requêtes. Veuillez réessayer dans une minute.',
    stages: {
      routed: 'Reçue : nous cherchons le bon spécialiste',
      acknowledged: "Un spécialiste s'en occupe",
      acted: 'Résolue : nous vérifions que cela tient',
      verified: 'Réglée',
      follow_up: 'Nous revenons vers vous',
      closed: 'Fermée',
    },
  },
};
