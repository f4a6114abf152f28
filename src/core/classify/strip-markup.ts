/**
 * Removes what a person did not write as prose: HTML comments (issue-template instructions),
 * fenced and indented-by-tag code, HTML tags, URLs and e-mail addresses. A URL such as
 * ".../Submitting-Bugs-and-Suggestions" must not count as the word "bug", nor code as complaints.
 */
const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const FENCED_CODE = /```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)/g;
const CODE_TAG = /<(pre|code)\b[^>]*>[\s\S]*?<\/\1>/gi;
const HTML_TAG = /<\/?[a-z][^<>]{0,500}>/gi;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>()]+/gi;
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/g;

export function stripMarkup(text: string): string {
  let out = text;
  if (out.includes('<')) out = out.replace(HTML_COMMENT, ' ').replace(CODE_TAG, ' ').replace(HTML_TAG, ' ');
  if (out.includes('```') || out.includes('~~~')) out = out.replace(FENCED_CODE, '\n');
  if (out.includes('://') || out.includes('www.')) out = out.replace(URL, ' ');
  if (out.includes('@')) out = out.replace(EMAIL, ' ');
  return out;
}
