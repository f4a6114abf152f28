import { CATEGORY_IDS, isCategoryId } from '../taxonomy.js';
import type { InstallIdentity, ModelData, ModelMeta } from './learned-model.js';
import { RULE_SIGNAL_COUNT } from './rule-signals.js';
import { MODEL_FORMAT_VERSION } from './training-set.js';

/**
 * A stored model, the same bytes in Redis (`<prefix>:model`) and in a `--out` file:
 *
 *   "CXLM" | header length (uint32 LE) | header (JSON: ModelMeta) | zero padding to 4 bytes |
 *   idf (float32 x 2^bits) | weights (float32 x width x classes, bucket-major) | bias (float32 x classes)
 *
 * little-endian throughout. The header says everything needed to refuse a model before reading
 * its numbers: format version, category set, install.
 */
const MAGIC = 'CXLM';

export type ModelRefusal = 'not_a_model' | 'format_version' | 'category_set' | 'install';

/** A model that cannot be used here; `message` says what differs and what to do. */
export class ModelRefusedError extends Error {
  readonly code: `MODEL_${Uppercase<ModelRefusal>}`;
  constructor(
    readonly reason: ModelRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'ModelRefusedError';
    this.code = `MODEL_${reason.toUpperCase() as Uppercase<ModelRefusal>}`;
  }
}

export function encodeModel(data: ModelData): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify(data.meta));
  const start = align4(8 + header.length);
  const floats = data.idf.length + data.weights.weights.length + data.weights.bias.length;
  const bytes = new Uint8Array(start + floats * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(4, header.length, true);
  bytes.set(header, 8);
  const body = new Float32Array(bytes.buffer, start, floats);
  body.set(data.idf, 0);
  body.set(data.weights.weights, data.idf.length);
  body.set(data.weights.bias, data.idf.length + data.weights.weights.length);
  return bytes;
}

/** Reads the header only (cheap): what `eval --model` and the refusal checks need. */
export function decodeModelMeta(bytes: Uint8Array): ModelMeta {
  if (bytes.length < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new ModelRefusedError('not_a_model', 'not a cxloop model (it does not start with "CXLM"); `cxloop train --out <file>` writes one');
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  let meta: ModelMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as ModelMeta;
  } catch {
    throw new ModelRefusedError('not_a_model', 'the model header is not readable (a truncated or damaged file?); train it again with `cxloop train`');
  }
  if (meta.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new ModelRefusedError('format_version', `the model has format version ${String(meta.formatVersion)}, this cxloop reads version ${MODEL_FORMAT_VERSION}; train it again with this cxloop (\`cxloop train\`)`);
  }
  return meta;
}

/** Decodes a model and checks that it fits this install and taxonomy (throws ModelRefusedError naming what differs). */
export function decodeModel(bytes: Uint8Array, expected: { readonly install: InstallIdentity; readonly categorySet?: readonly string[] }): ModelData {
  const meta = decodeModelMeta(bytes);
  checkModelFits(meta, expected);
  const width = 1 << meta.features.bits;
  const classes = meta.classes.length;
  const weightCount = (width + (meta.ruleSignals ? RULE_SIGNAL_COUNT : 0)) * classes;
  const start = align4(8 + new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true));
  const floats = width + weightCount + classes;
  if (bytes.length !== start + floats * 4) {
    throw new ModelRefusedError('not_a_model', `the model is ${bytes.length} bytes, its header announces ${start + floats * 4}: a truncated or damaged file; train it again with \`cxloop train\``);
  }
  // Copied out so the model does not keep (or depend on the offset and alignment of) the buffer it
  // came in: a Node Buffer is often a view into a larger pooled one, and its slice() is no copy.
  const body = new Float32Array(floats);
  new Uint8Array(body.buffer).set(bytes.subarray(start, start + floats * 4));
  return {
    meta,
    idf: body.slice(0, width),
    weights: { classes, dimension: weightCount / classes, weights: body.slice(width, width + weightCount), bias: body.slice(width + weightCount) },
  };
}

export function checkModelFits(meta: ModelMeta, expected: { readonly install: InstallIdentity; readonly categorySet?: readonly string[] }): void {
  const categorySet = expected.categorySet ?? CATEGORY_IDS;
  const theirs = meta.categorySet.join(', ');
  if (theirs !== categorySet.join(', ') || !meta.classes.every((category) => isCategoryId(category) && categorySet.includes(category))) {
    const missing = categorySet.filter((category) => !meta.categorySet.includes(category));
    const extra = meta.categorySet.filter((category) => !categorySet.includes(category));
    const differs = [missing.length > 0 ? `it lacks ${missing.join(', ')}` : '', extra.length > 0 ? `it has ${extra.join(', ')} that this install has not` : '']
      .filter(Boolean)
      .join(' and ');
    throw new ModelRefusedError(
      'category_set',
      `the model was trained on another category set (${theirs}) than this install's (${categorySet.join(', ')})${differs ? `: ${differs}` : ' (another order)'}; train it again with \`cxloop train\``,
    );
  }
  const { install } = expected;
  if (meta.install.zendesk !== install.zendesk || meta.install.prefix !== install.prefix) {
    throw new ModelRefusedError(
      'install',
      `the model was trained for another install: ${describeInstall(meta.install)}, this is ${describeInstall(install)}; a model learns one account's tickets, so train one here with \`cxloop train\``,
    );
  }
}

export function describeInstall(install: InstallIdentity): string {
  return `${install.zendesk === null ? 'no Zendesk account' : `Zendesk account "${install.zendesk}"`} (Redis prefix "${install.prefix}")`;
}

function align4(offset: number): number {
  return (offset + 3) & ~3;
}
