/**
 * Where is a JSON text broken? `JSON.parse` errors differ between engines and do not always
 * carry a position, so on failure we scan the text ourselves (linear, iterative) to report the
 * line, column and a plain reason.
 */

export interface JsonErrorLocation {
  /** 0-based offset in the text. */
  position: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  reason: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WS = /[ \t\n\r]*/y;

function locate(text: string, position: number, reason: string): JsonErrorLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { position, line, column: position - lineStart + 1, reason };
}

function describeChar(c: string): string {
  if (c === "'") return "a single quote (JSON strings use double quotes)";
  const code = c.charCodeAt(0);
  if (code < 0x20) return `a control character (U+${code.toString(16).padStart(4, '0').toUpperCase()})`;
  return `"${c}"`;
}

/** The first syntax error in `text`, or null when it is valid JSON. */
export function findJsonError(text: string): JsonErrorLocation | null {
  type State = 'value' | 'value-or-end' | 'key' | 'key-or-end' | 'colon' | 'comma-or-end' | 'eof';
  const stack: ('{' | '[')[] = [];
  let state: State = 'value';
  let i = 0;
  const n = text.length;
  const after = (): State => (stack.length ? 'comma-or-end' : 'eof');

  const scanString = (): JsonErrorLocation | null => {
    const start = i;
    i++; // opening quote
    while (i < n) {
      const c = text[i];
      if (c === '"') {
        i++;
        return null;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return locate(text, i, 'bad \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          return locate(text, i, 'bad escape in a string');
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) return locate(text, i, `${describeChar(c)} inside a string`);
      i++;
    }
    return locate(text, start, 'a string that never ends');
  };

  while (true) {
    WS.lastIndex = i;
    WS.exec(text);
    i = WS.lastIndex;
    if (state === 'eof') return i < n ? locate(text, i, `unexpected ${describeChar(text[i])} after the end of the document`) : null;
    if (i >= n) return locate(text, i, 'unexpected end of the text');
    const c = text[i];
    switch (state) {
      case 'value-or-end':
        if (c === ']') {
          i++;
          stack.pop();
          state = after();
          break;
        }
      // falls through
      case 'value': {
        if (c === '{') {
          stack.push('{');
          i++;
          state = 'key-or-end';
        } else if (c === '[') {
          stack.push('[');
          i++;
          state = 'value-or-end';
        } else if (c === '"') {
          const err = scanString();
          if (err) return err;
          state = after();
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          if (!m) return locate(text, i, 'a malformed number');
          i = NUMBER.lastIndex;
          state = after();
        } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
          i += 4;
          state = after();
        } else if (text.startsWith('false', i)) {
          i += 5;
          state = after();
        } else {
          return locate(text, i, `unexpected ${describeChar(c)} where a value should be`);
        }
        break;
      }
      case 'key-or-end':
        if (c === '}') {
          i++;
          stack.pop();
          state = after();
          break;
        }
      // falls through
      case 'key':
        if (c !== '"') {
          return locate(text, i, `unexpected ${describeChar(c)} where a property name in double quotes should be`);
        }
        {
          const err = scanString();
          if (err) return err;
        }
        state = 'colon';
        break;
      case 'colon':
        if (c !== ':') return locate(text, i, `expected ":" after a property name, got ${describeChar(c)}`);
        i++;
        state = 'value';
        break;
      case 'comma-or-end': {
        const close = stack[stack.length - 1] === '{' ? '}' : ']';
        if (c === ',') {
          i++;
          state = stack[stack.length - 1] === '{' ? 'key' : 'value';
        } else if (c === close) {
          i++;
          stack.pop();
          state = after();
        } else {
          return locate(text, i, `expected "," or "${close}", got ${describeChar(c)}`);
        }
        break;
      }
    }
  }
}
