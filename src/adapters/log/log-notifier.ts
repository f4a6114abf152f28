import type { Logger, Notifier } from '../../app/ports.js';
import type { Effect } from '../../core/loop/loop-types.js';

/**
 * Notifier that writes each loop effect meant for people to the log: the dry run's record of what
 * would be posted, and the notifier of an install without Slack. Texts are left out (a status
 * update may quote the customer); the effect's kind, level and due times are what an operator needs.
 */
export class LogNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}

  async notify(ticketId: number, effect: Effect): Promise<void> {
    const { type, ...rest } = effect;
    const fields = Object.fromEntries(
      Object.entries(rest)
        .filter(([key]) => key !== 'text')
        .map(([key, value]) => [key, key.endsWith('At') && typeof value === 'number' ? new Date(value).toISOString() : value]),
    );
    this.logger.log('info', 'loop effect (not posted: Slack is not connected)', { ticketId, effect: type, ...fields });
  }
}
