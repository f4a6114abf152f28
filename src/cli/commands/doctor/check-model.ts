import type { RedisClient } from '../../../adapters/redis/redis-connection.js';
import type { RedisKeys } from '../../../adapters/redis/redis-keys.js';
import { RedisModelStore } from '../../../adapters/redis/redis-model-store.js';
import type { Env } from '../../../config/env-schema.js';
import { installIdentityOf } from '../../../config/install-identity.js';
import { decodeModel, ModelRefusedError } from '../../../core/learn/model-codec.js';
import { describeError, passed, warned, type DoctorResult } from './doctor-result.js';

const RETRAIN = 'run cxloop train (labelled CSV files, or --from-zendesk) with this cxloop to store a model it reads';

/**
 * The learned model stored for this install, read as `serve` reads it: none (the rules decide
 * alone), one it would load (what it learnt from and where it decides), or one it would refuse
 * (another install, category set or format version), a warning naming why.
 */
export async function checkModel(redis: RedisClient, keys: RedisKeys, env: Env): Promise<DoctorResult> {
  let stored: Awaited<ReturnType<RedisModelStore['load']>>;
  try {
    stored = await new RedisModelStore(redis, keys).load();
  } catch (error) {
    return warned('model', `cannot read the stored model: ${describeError(error)}`);
  }
  if (stored === null) return passed('model', 'no learned model stored: the rules decide alone (cxloop train learns your tickets)');
  try {
    const { meta } = decodeModel(stored.bytes, { install: installIdentityOf(env) });
    const decides = meta.combination.categories.length === 0 ? 'the rules decide everywhere' : `it decides ${meta.combination.categories.join(', ')}`;
    return passed('model', `learned model trained ${meta.trainedAt} on ${meta.rows.toLocaleString('en')} tickets: ${decides}`);
  } catch (error) {
    if (!(error instanceof ModelRefusedError)) throw error;
    return warned('model', `the stored model is refused, so the rules decide alone: ${error.message}`, RETRAIN);
  }
}
