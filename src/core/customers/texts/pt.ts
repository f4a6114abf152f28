import type { CustomerLanguage } from '../customer-texts.js';

export const pt: CustomerLanguage = {
  code: 'pt',
  updates: {
    acknowledged: [
      'Olá,',
      '',
      'Um especialista já está cuidando da sua solicitação #{ticket}.',
      'Prevemos resolvê-la até {eta}.',
      'Você terá notícias nossas novamente até {next_update}.',
      'Acompanhe o andamento aqui: {status_link}',
    ].join('\n'),
    revised_eta: [
      'Olá,',
      '',
      'Continuamos trabalhando na sua solicitação #{ticket}, mas está levando mais tempo do que o previsto. Pedimos desculpas pela espera.',
      'Nossa nova estimativa de resolução é {eta}.',
      'Você terá notícias nossas novamente até {next_update}.',
      'Acompanhe o andamento aqui: {status_link}',
    ].join('\n'),
    solved: [
      'Olá,',
      '',
      'Sua solicitação #{ticket} foi resolvida. Vamos acompanhá-la por mais alguns dias para garantir que o problema não volte; se algo ainda estiver errado, basta responder a esta mensagem.',
      'Andamento: {status_link}',
    ].join('\n'),
  },
  page: {
    title: 'Solicitação #{ticket}',
    stage: 'Situação',
    lastUpdate: 'Última atualização',
    nextUpdate: 'Próxima notícia até',
    eta: 'Resolução prevista',
    none: 'ainda sem previsão',
    footer: 'Esta página mostra a situação da sua solicitação e muda conforme trabalhamos nela. Para acrescentar algo, responda ao nosso e-mail.',
    notFound: 'Este link não é válido ou expirou.',
    tooMany: 'Muitas solicitações. Tente novamente em um minuto.',
    stages: {
      routed: 'Recebida: estamos encontrando o especialista certo',
      acknowledged: 'Um especialista está trabalhando nela',
      acted: 'Resolvida: estamos verificando se continua funcionando',
      verified: 'Concluída',
      follow_up: 'Vamos entrar em contato com você novamente',
      closed: 'Encerrada',
    },
  },
};
