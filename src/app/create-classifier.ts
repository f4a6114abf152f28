import { classifierRulesFromPolicy } from '../config/classifier-rules-from-policy.js';
import type { Policy } from '../config/policy-schema.js';
import { Classifier } from '../core/classify/classifier.js';
import { LEXICONS } from '../core/classify/lexicons/index.js';
import { LearnedClassifier } from '../core/learn/learned-classifier.js';
import { LearnedModel, type InstallIdentity } from '../core/learn/learned-model.js';
import { decodeModel } from '../core/learn/model-codec.js';

export function createClassifier(policy: Policy): Classifier {
  return new Classifier(LEXICONS, classifierRulesFromPolicy(policy));
}

/** The rules with a stored model; throws ModelRefusedError when the model is not this install's. */
export function createLearnedClassifier(rules: Classifier, modelBytes: Uint8Array, install: InstallIdentity): LearnedClassifier {
  return new LearnedClassifier(rules, new LearnedModel(decodeModel(modelBytes, { install })));
}
