import { classifierRulesFromPolicy } from '../config/classifier-rules-from-policy.js';
import type { Policy } from '../config/policy-schema.js';
import { Classifier } from '../core/classify/classifier.js';
import { LEXICONS } from '../core/classify/lexicons/index.js';

export function createClassifier(policy: Policy): Classifier {
  return new Classifier(LEXICONS, classifierRulesFromPolicy(policy));
}
