/**
 * A params file's text as JSON: a byte-order mark at the start (Windows editors write one) is
 * dropped, as the CSV side drops it; a syntax error is placed by line and column, with what was
 * expected and what was found, the same on every Node.js version (V8's messages differ between
 * versions and give a byte position, not a line).
 */

export type JsonTextResult =
  | { ok: true; value: unknown }
  | {
      ok: false;
      /** `not valid JSON at line 2, column 34: expected ...` */
      problem: string;
      /** `line 2, column 34: expected ...` */
      where: string;
    };

export function parseJsonText(text: string): JsonTextResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    const { at, message } = firstError(body);
    const before = body.slice(0, at);
    const line = before.split("\n").length;
    const column = at - (before.lastIndexOf("\n") + 1) + 1;
    const where = `line ${line}, column ${column}: ${message}`;
    return { ok: false, problem: `not valid JSON at ${where}`, where };
  }
}

/** Where JSON.parse gave up, and why in words: a small scanner that only runs on text it refused. */
function firstError(text: string): { at: number; message: string } {
  let i = 0;
  class Stop {
    constructor(
      readonly at: number,
      readonly message: string,
    ) {}
  }
  const found = () => (i >= text.length ? "the end of the file" : JSON.stringify(text[i]));
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const end = (what: string, close: string) => {
    if (i >= text.length) throw new Stop(i, `the file ends inside ${what}; close it with ${close}`);
  };
  const string = () => {
    const start = i++;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '"') return void i++;
      if (c === "\\") {
        const next = text[i + 1];
        if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 5;
        else if (next !== undefined && '"\\/bfnrt'.includes(next)) i++;
        else throw new Stop(i, `${JSON.stringify(`\\${next ?? ""}`)} is not a JSON escape`);
      } else if (c < " ")
        throw new Stop(
          i,
          "a control character (a line break or tab) inside a string; write it as \\n or \\t",
        );
    }
    throw new Stop(start, "a string that never closes; end it with a double quote");
  };
  const value = (): void => {
    space();
    end("a value", "a value");
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      end("an object", "}");
      if (text[i] === "}") return void i++;
      for (;;) {
        space();
        end("an object", "}");
        if (text[i] !== '"')
          throw new Stop(
            i,
            `expected a property name in double quotes, found ${found()}${text[i] === "}" ? "; JSON allows no comma before a closing brace" : ""}`,
          );
        string();
        space();
        end("an object", "}");
        if (text[i] !== ":")
          throw new Stop(i, `expected ':' after the property name, found ${found()}`);
        i++;
        value();
        space();
        end("an object", "}");
        if (text[i] === "}") return void i++;
        if (text[i] !== ",")
          throw new Stop(i, `expected ',' or '}' after a property's value, found ${found()}`);
        i++;
      }
    }
    if (c === "[") {
      i++;
      space();
      end("a list", "]");
      if (text[i] === "]") return void i++;
      for (;;) {
        space();
        if (text[i] === "]") throw new Stop(i, "JSON allows no comma before a closing bracket");
        value();
        space();
        end("a list", "]");
        if (text[i] === "]") return void i++;
        if (text[i] !== ",") throw new Stop(i, `expected ',' or ']' in a list, found ${found()}`);
        i++;
      }
    }
    if (c === '"') return string();
    const literal = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 400),
    );
    if (literal) return void (i += literal[0].length);
    const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 40))?.[0];
    throw new Stop(
      i,
      c === "'"
        ? "a string in single quotes; JSON strings take double quotes"
        : word
          ? `${JSON.stringify(word)} is not a JSON value (strings take double quotes; true, false and null are lower case)`
          : `expected a value, found ${found()}`,
    );
  };
  try {
    value();
    space();
    if (i < text.length)
      return { at: i, message: `text after the end of the JSON value, found ${found()}` };
    return { at: i, message: "not valid JSON" };
  } catch (e) {
    if (e instanceof Stop) return { at: e.at, message: e.message };
    throw e;
  }
}
