import { BullmqDeadLetters } from '../../../adapters/queue/bullmq-dead-letters.js';
import type { RedisClient } from '../../../adapters/redis/redis-connection.js';
import type { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisSlackOutbox } from '../../../adapters/redis/redis-slack-outbox.js';
import { describeError, passed, warned, type DoctorResult } from './doctor-result.js';

/** Jobs and Slack messages that failed for good: a warning naming the queues, and how to replay them. */
export async function checkDeadLetters(redis: RedisClient, keys: RedisKeys): Promise<DoctorResult> {
  const jobs = new BullmqDeadLetters(redis, keys.queuePrefix);
  try {
    const [counts, slack] = await Promise.all([jobs.counts(), new RedisSlackOutbox(redis, keys).deadLetters()]);
    const busy = Object.entries(counts).filter(([, count]) => count > 0);
    const total = busy.reduce((sum, [, count]) => sum + count, 0);
    if (total === 0 && slack.length === 0) return passed('dead-letters', 'none: no job or Slack message failed for good');
    const parts = [...busy.map(([queue, count]) => `${count} in ${queue}`), ...(slack.length > 0 ? [`${slack.length} Slack message${slack.length === 1 ? '' : 's'}`] : [])];
    return warned('dead-letters', `${total + slack.length} failed for good: ${parts.join(', ')}`, 'read them with cxloop dead-letters, fix the cause, then cxloop dead-letters --replay');
  } catch (error) {
    return warned('dead-letters', `cannot read the failed jobs: ${describeError(error)}`);
  } finally {
    await jobs.close();
  }
}
