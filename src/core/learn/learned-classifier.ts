import type { CategoryChooser, Classifier, Decision } from '../classify/classifier.js';
import { categoryLabel } from '../taxonomy.js';
import type { Ticket } from '../ticket.js';
import { whoDecides } from './combination.js';
import type { LearnedModel } from './learned-model.js';

/**
 * The rules and a model learnt from the account's own tickets, deciding together: the rules score
 * every ticket (their scores are also the model's input), then the model chooses the category
 * unless whoDecides gives the ticket to the rules. The tier follows the category chosen; the
 * summary and `learned` name what decided.
 */
export class LearnedClassifier {
  /** The model's row count as the summary writes it, formatted once (toLocaleString costs more than reading a ticket's words). */
  private readonly rowsWritten: string;

  constructor(
    private readonly rules: Classifier,
    readonly model: LearnedModel,
  ) {
    this.rowsWritten = model.meta.rows.toLocaleString('en');
  }

  classify(ticket: Ticket): Decision {
    const { meta } = this.model;
    const choose: CategoryChooser = (ruled) => {
      const reading = this.model.read(ticket, ruled);
      const { prediction } = reading;
      if (whoDecides(ruled, prediction, meta.examples, meta.combination).by === 'rules') return null;
      const words = reading.explain();
      const quoted = words.map((word) => `"${word}"`).join(', ');
      return {
        category: prediction.category,
        confidence: Math.round(prediction.probability * 1000) / 1000,
        why: `${categoryLabel(prediction.category)} (learned from ${this.rowsWritten} of your tickets, confidence ${prediction.probability.toFixed(2)})${quoted ? `: ${quoted}` : ''}`,
        learned: { examples: meta.rows, words },
      };
    };
    return this.rules.classify(ticket, choose);
  }
}
