import type { CustomerLanguage } from '../customer-texts.js';

export const es: CustomerLanguage = {
  code: 'es',
  updates: {
    acknowledged: [
      'Hola:',
      '',
      'Un especialista ya se está ocupando de su solicitud #{ticket}.',
      'Prevemos resolverla antes del {eta}.',
      'Volverá a tener noticias nuestras antes del {next_update}.',
      'Puede seguir su estado aquí: {status_link}',
    ].join('\n'),
    revised_eta: [
      'Hola:',
      '',
      'Seguimos trabajando en su solicitud #{ticket}, pero está llevando más tiempo del previsto. Disculpe la espera.',
      'Nuestra nueva estimación para resolverla es el {eta}.',
      'Volverá a tener noticias nuestras antes del {next_update}.',
      'Puede seguir su estado aquí: {status_link}',
    ].join('\n'),
    solved: [
      'Hola:',
      '',
      'Su solicitud #{ticket} está resuelta. La seguiremos de cerca unos días para asegurarnos de que todo sigue bien; si algo no funciona, basta con responder a este mensaje.',
      'Su estado: {status_link}',
    ].join('\n'),
  },
  page: {
    title: 'Solicitud #{ticket}',
    stage: 'Estado',
    lastUpdate: 'Última actualización',
    nextUpdate: 'Próxima noticia antes del',
    eta: 'Resolución prevista',
    none: 'aún sin fecha',
    footer: 'Esta página muestra el estado de su solicitud y cambia a medida que trabajamos en ella. Para añadir algo, responda a nuestro correo.',
    notFound: 'Este enlace no es válido o ha caducado.',
    tooMany: 'Demasiadas solicitudes. Vuelva a intentarlo en un minuto.',
    stages: {
      routed: 'Recibida: estamos buscando al especialista adecuado',
      acknowledged: 'Un especialista está trabajando en ella',
      acted: 'Resuelta: comprobamos que siga funcionando',
      verified: 'Cerrada con éxito',
      follow_up: 'Volveremos a ponernos en contacto con usted',
      closed: 'Cerrada',
    },
  },
};
