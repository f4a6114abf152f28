import type { CategoryId } from '../../core/taxonomy.js';

/**
 * The demo's week in one table: six tickets in six languages and what people do about them, at
 * minutes after the start. Everything else (routing, reminders, escalations, automatic status
 * updates, follow-ups, verification) is cxloop reacting on its own clock.
 */

export interface DemoPerson {
  readonly name: string;
  readonly slackId: string;
  readonly zendeskId: number;
  readonly team: string;
  readonly lead?: boolean;
}

export const DEMO_PEOPLE = {
  ana: { name: 'Ana', slackId: 'U0DEMOANA', zendeskId: 9101, team: 'engineering' },
  maya: { name: 'Maya', slackId: 'U0DEMOMAYA', zendeskId: 9102, team: 'engineering', lead: true },
  ben: { name: 'Ben', slackId: 'U0DEMOBEN', zendeskId: 9201, team: 'billing' },
  omar: { name: 'Omar', slackId: 'U0DEMOOMAR', zendeskId: 9202, team: 'billing', lead: true },
  priya: { name: 'Priya', slackId: 'U0DEMOPRIYA', zendeskId: 9301, team: 'product' },
  chloe: { name: 'Chloé', slackId: 'U0DEMOCHLOE', zendeskId: 9401, team: 'support' },
  ines: { name: 'Inès', slackId: 'U0DEMOINES', zendeskId: 9501, team: 'cx_insights' },
} as const satisfies Record<string, DemoPerson>;

export type DemoPersonId = keyof typeof DEMO_PEOPLE;

export interface DemoTicket {
  readonly id: number;
  readonly language: string;
  readonly subject: string;
  readonly description: string;
  readonly priority: 'low' | 'normal' | 'high' | 'urgent';
  /** What the classifier is expected to say; the demo checks it and says so when it differs. */
  readonly expected: CategoryId;
  /** The requester's Zendesk locale and time zone, as a read of the ticket with its users shows them. */
  readonly requester: { readonly locale: string; readonly timeZone: string };
}

export const DEMO_TICKETS: readonly DemoTicket[] = [
  {
    id: 1001,
    language: 'en',
    subject: 'Outage: dashboard extremely slow',
    description: 'Since 09:00 the dashboard takes over a minute to load and most requests time out. Our whole team is blocked.',
    priority: 'urgent',
    expected: 'performance_issue',
    requester: { locale: 'en-US', timeZone: 'America/New_York' },
  },
  {
    id: 1002,
    language: 'de',
    subject: 'Doppelte Abbuchung',
    description: 'Hallo, mir wurde das Abo diesen Monat zweimal berechnet. Bitte erstatten Sie den doppelten Betrag.',
    priority: 'normal',
    expected: 'billing_issue',
    requester: { locale: 'de', timeZone: 'Europe/Berlin' },
  },
  {
    id: 1003,
    language: 'es',
    subject: 'Exportar a Excel',
    description: 'Sería genial poder exportar los informes a Excel. ¿Podrían añadir esa opción?',
    priority: 'low',
    expected: 'feature_request',
    requester: { locale: 'es', timeZone: 'Europe/Madrid' },
  },
  {
    id: 1004,
    language: 'fr',
    subject: 'Comment inviter mon équipe ?',
    description: "Bonjour, comment puis-je ajouter des collègues à mon compte ? Je ne trouve pas l'option dans les paramètres.",
    priority: 'normal',
    expected: 'onboarding_help',
    requester: { locale: 'fr', timeZone: 'Europe/Paris' },
  },
  {
    id: 1005,
    language: 'pt',
    subject: 'O app fecha ao abrir',
    description: 'Desde a última atualização o aplicativo fecha sozinho sempre que tento abrir um relatório. Já reinstalei.',
    priority: 'high',
    expected: 'bug_report',
    requester: { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' },
  },
  {
    id: 1006,
    language: 'it',
    subject: 'Nuova dashboard',
    description: 'La nuova dashboard è confusa e deludente, preferivo la versione precedente. Sono molto insoddisfatto.',
    priority: 'normal',
    expected: 'sentiment_experience',
    requester: { locale: 'it', timeZone: 'Europe/Rome' },
  },
];

/** Something a person does, `at` minutes after the demo starts. */
export type DemoAction =
  | { readonly at: number; readonly ticket: number; readonly kind: 'created' }
  | { readonly at: number; readonly ticket: number; readonly kind: 'slack'; readonly by: DemoPersonId; readonly button: 'acknowledge' | 'take' }
  | { readonly at: number; readonly ticket: number; readonly kind: 'assigned'; readonly by: DemoPersonId }
  | { readonly at: number; readonly ticket: number; readonly kind: 'reply'; readonly by: DemoPersonId; readonly body: string }
  | { readonly at: number; readonly ticket: number; readonly kind: 'solved'; readonly by: DemoPersonId }
  | { readonly at: number; readonly ticket: number; readonly kind: 'csat'; readonly rating: 'good' | 'bad'; readonly comment: string };

const H = 60;

export const DEMO_ACTIONS: readonly DemoAction[] = [
  { at: 0, ticket: 1001, kind: 'created' },
  { at: 10, ticket: 1001, kind: 'slack', by: 'ana', button: 'acknowledge' },
  { at: 15, ticket: 1006, kind: 'created' },
  { at: 20, ticket: 1002, kind: 'created' },
  { at: 30, ticket: 1003, kind: 'created' },
  { at: 45, ticket: 1004, kind: 'created' },
  { at: 60, ticket: 1005, kind: 'created' },
  { at: 75, ticket: 1004, kind: 'slack', by: 'chloe', button: 'acknowledge' },
  { at: 90, ticket: 1001, kind: 'reply', by: 'ana', body: 'We found the cause (a database failover) and are rolling back. Next update within 30 minutes.' },
  { at: 90, ticket: 1003, kind: 'assigned', by: 'priya' },
  { at: 105, ticket: 1005, kind: 'slack', by: 'ana', button: 'acknowledge' },
  { at: 120, ticket: 1004, kind: 'reply', by: 'chloe', body: 'Bonjour ! Paramètres > Équipe > Inviter : vous pouvez y ajouter vos collègues.' },
  { at: 120, ticket: 1004, kind: 'solved', by: 'chloe' },
  { at: 150, ticket: 1001, kind: 'reply', by: 'ana', body: 'The rollback is done and the dashboard is fast again. Sorry for the disruption.' },
  { at: 150, ticket: 1001, kind: 'solved', by: 'ana' },
  { at: 3 * H, ticket: 1002, kind: 'slack', by: 'ben', button: 'take' },
  { at: 4 * H, ticket: 1003, kind: 'solved', by: 'priya' },
  { at: 5 * H, ticket: 1002, kind: 'reply', by: 'ben', body: 'Die doppelte Abbuchung ist erstattet, Sie sehen sie in 3-5 Tagen auf Ihrem Konto.' },
  { at: 5 * H, ticket: 1002, kind: 'solved', by: 'ben' },
  { at: 5 * H + 30, ticket: 1003, kind: 'csat', rating: 'good', comment: '¡Gracias!' },
  { at: 7 * H, ticket: 1002, kind: 'csat', rating: 'bad', comment: 'Ich sehe immer noch zwei Abbuchungen.' },
  { at: 7 * H + 30, ticket: 1005, kind: 'solved', by: 'ana' },
  { at: 9 * H, ticket: 1002, kind: 'reply', by: 'ben', body: 'Sie haben recht, die zweite Erstattung fehlte. Sie ist jetzt veranlasst, Entschuldigung!' },
  { at: 9 * H, ticket: 1002, kind: 'solved', by: 'ben' },
  { at: 10 * H, ticket: 1006, kind: 'assigned', by: 'ines' },
  { at: 11 * H, ticket: 1006, kind: 'reply', by: 'ines', body: 'Grazie del feedback: lo abbiamo condiviso con il team. Può ripristinare la vista classica in Impostazioni.' },
  { at: 11 * H, ticket: 1006, kind: 'solved', by: 'ines' },
];

/** The demo ends once the last verify window (72 h after the last solve) has passed. */
export const DEMO_END_MINUTES = 11 * H + 72 * H + 30;
/** Simulated minutes per step of the clock. */
export const DEMO_STEP_MINUTES = 15;
