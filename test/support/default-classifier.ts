import { createClassifier } from '../../src/app/create-classifier.js';
import { classifierRulesFromPolicy } from '../../src/config/classifier-rules-from-policy.js';
import { loadPolicyFile } from '../../src/config/load-policy.js';
import type { Policy } from '../../src/config/policy-schema.js';
import type { ClassifierRules } from '../../src/core/classify/classifier-rules.js';
import type { Classifier } from '../../src/core/classify/classifier.js';

const loaded = await loadPolicyFile();
if (!loaded.ok) throw new Error(`shipped policy invalid: ${JSON.stringify(loaded.problems)}`);

export const defaultPolicy: Policy = loaded.policy;
export const defaultRules: ClassifierRules = classifierRulesFromPolicy(defaultPolicy);
export const defaultClassifier: Classifier = createClassifier(defaultPolicy);
