// Text that comes from a target is data. Before it reaches a report or the console it is made inert: control
// characters (terminal escapes, NUL, backspace, CR/LF), line and paragraph separators and bidirectional
// overrides are shown escaped (\u001b), so it can add no line, no row and no verdict to what we print.

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** The same, but keeping line feeds (for text the suite itself lays out in lines) */
const UNSAFE_KEEP_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One line of inert text: every control character escaped, line breaks included. */
export const oneLine = (s: string): string => s.replace(UNSAFE, escape);

/** Inert text that keeps its line feeds (each line still holds no control character). */
export const inert = (s: string): string => s.replace(UNSAFE_KEEP_LF, escape);

/** The first `n` characters, and how long the whole was. */
export const cut = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

const MARKUP_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text as HTML or XML content, or a double-quoted attribute's value: & < > " escaped. */
export const escapeMarkup = (s: string): string => s.replace(/[&<>"]/g, (c) => MARKUP_ENTITY[c]!);

// what can start a link, an image, emphasis, code, a tag or a column (an underscore inside a word cannot)
const MD_SPECIAL = /[\\`*[\]|<>&]/g;
const MD_ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '|': '&#124;' };

/**
 * Text as one Markdown table cell: inert, Markdown and HTML syntax escaped (no link, heading, emphasis,
 * tag or column of the target's making), the suite's own line feeds as <br>.
 */
export function mdCell(s: string): string {
  return inert(s)
    .replace(MD_SPECIAL, (c) => MD_ENTITY[c] ?? `\\${c}`)
    .replace(/\n/g, '<br>');
}
