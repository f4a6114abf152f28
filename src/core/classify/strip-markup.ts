/**
 * Removes what a person did not write as prose: HTML comments (issue-template instructions),
 * fenced, inline and indented-by-tag code, command-line flags ("--crash-reporter-id"), Markdown
 * table rows (pasted system information), a form's bold prompts and Markdown headings, HTML tags,
 * URLs and e-mail addresses. A URL such as
 * ".../Submitting-Bugs-and-Suggestions" must not count as the word "bug", nor code as complaints.
 */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const FENCED_CODE = /```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)/g;
const CODE_TAG = /<(pre|code)\b[^>]*>[\s\S]*?<\/\1>/gi;
const HTML_TAG = /<\/?[a-z][^<>]{0,500}>/gi;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>()]+/gi;
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/g;
const INLINE_CODE = /`[^`\n]{1,300}`/g;
const FLAG = /(^|\s)--[a-z][\w-]*/gim;
const TABLE_ROW = /^[ \t]*\|.*\|[ \t]*$/gm;
/**
 * A form's bold prompt, a question or a label ending in a colon ("**What is the current
 * behavior?**", "**Do you want to request a *feature* or report a *bug*?**", "**If the current
 * behavior is a bug, please provide the steps to reproduce ...:**"): the form's words, not the writer's.
 */
const BOLD_PROMPT = /\*\*(?:[^*\n]|\*(?!\*)){1,600}?[?:]\*\*/g;
/** A Markdown heading: an issue form's section title ("### Standalone code to reproduce the issue"), not the writer's words. */
const HEADING = /^[ \t]{0,3}#{1,6}[ \t]+.*$/gm;

export function stripMarkup(text: string): string {
  let out = text;
  if (out.includes('<')) out = out.replace(HTML_COMMENT, ' ').replace(CODE_TAG, ' ').replace(HTML_TAG, ' ');
  if (out.includes('```') || out.includes('~~~')) out = out.replace(FENCED_CODE, '\n');
  if (out.includes('://') || out.includes('www.')) out = out.replace(URL, ' ');
  if (out.includes('@')) out = out.replace(EMAIL, ' ');
  if (out.includes('`')) out = out.replace(INLINE_CODE, ' ');
  if (out.includes('--')) out = out.replace(FLAG, '$1 ');
  if (out.includes('|')) out = out.replace(TABLE_ROW, '\n');
  if (out.includes('?**') || out.includes(':**')) out = out.replace(BOLD_PROMPT, '\n');
  if (out.includes('#')) out = out.replace(HEADING, '\n');
  return out;
}
