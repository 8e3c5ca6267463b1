const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/**
 * Go's strconv.Quote (`%q`): a double-quoted Go string literal, as Go
 * programs (robfig/cron, time.ParseDuration, kube-apiserver) print values in
 * their messages.
 *
 * @public
 */
export function goQuote(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (ESCAPES[char]) {
      out += ESCAPES[char];
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += '\\ufffd'; // a lone surrogate is not valid UTF-8
    } else if (PRINTABLE.test(char)) {
      out += char;
    } else if (code < 0x80) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else if (code < 0x10000) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      out += `\\U${code.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}
