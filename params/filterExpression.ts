/**
 * Syntax check of Personalize filter expressions, e.g.
 *   INCLUDE ItemID WHERE Items.YEAR >= 1970 AND Items.YEAR < 1980
 *   EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream") | INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)
 * Each reference `Dataset.FIELD` must name a dataset of the pipeline and a field of its schema.
 */
import { nearest } from "./suggest";

type Token = { kind: "word" | "string" | "number" | "param" | "op" | "punct"; text: string };

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|(\$[A-Za-z_]\w*)|([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)|(<=|>=|=|<|>)|([(),|*]))/y;

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  while (position < text.length) {
    if (/^\s*$/.test(text.slice(position))) break;
    TOKEN.lastIndex = position;
    const m = TOKEN.exec(text);
    if (!m) return `unexpected character at position ${position + 1}: "${text.slice(position).trim()[0]}"`;
    position = TOKEN.lastIndex;
    const kinds: Token["kind"][] = ["string", "number", "param", "word", "op", "punct"];
    const index = m.slice(1).findIndex((g) => g !== undefined);
    tokens.push({ kind: kinds[index], text: m[index + 1] });
  }
  return tokens;
}

/** Columns available per dataset type, for reference checks. */
export type DatasetFields = Partial<Record<string, string[]>>;

const TARGETS = ["ItemID", "UserID", "ActionID"];

export function checkFilterExpression(expression: string, fields: DatasetFields): string[] {
  const tokens = tokenize(expression);
  if (typeof tokens === "string") return [tokens];
  const problems: string[] = [];
  let i = 0;
  const peek = () => tokens[i];
  const word = (t: Token | undefined) => (t?.kind === "word" ? t.text.toUpperCase() : undefined);
  const fail = (what: string) => {
    const at = peek();
    problems.push(`${what}, found ${at ? `"${at.text}"` : "the end of the expression"}`);
  };

  const reference = (): boolean => {
    const t = peek();
    if (t?.kind !== "word" || !t.text.includes(".")) {
      fail("expected a Dataset.FIELD reference such as Items.GENRE");
      return false;
    }
    i++;
    const [dataset, field] = t.text.split(".");
    if (dataset === "CurrentItem" || dataset === "CurrentAction") return true;
    const known = fields[dataset];
    if (!known) {
      const datasets = Object.keys(fields);
      const guess = nearest(dataset, datasets);
      problems.push(
        `"${t.text}" refers to dataset ${dataset}, which this pipeline does not define${guess ? `; did you mean ${guess}?` : ` (datasets: ${datasets.join(", ")})`}`,
      );
    } else if (!known.includes(field)) {
      const guess = nearest(field, known);
      problems.push(
        `"${t.text}": the ${dataset} schema has no field ${field}${guess ? `; did you mean ${guess}?` : ` (fields: ${known.join(", ")})`}`,
      );
    }
    return true;
  };
  const literal = (): boolean => {
    const t = peek();
    if (t && (t.kind === "string" || t.kind === "number" || t.kind === "param" || t.text === "*")) {
      i++;
      return true;
    }
    if (t?.kind === "word" && /^Current(Item|Action)\./.test(t.text)) {
      i++;
      return true;
    }
    fail('expected a value: a "quoted string", a number or a $PARAMETER');
    return false;
  };
  const condition = (): boolean => {
    if (peek()?.text === "(") {
      i++;
      if (!conditions()) return false;
      if (peek()?.text !== ")") return fail('expected ")"'), false;
      i++;
      return true;
    }
    if (!reference()) return false;
    const op = word(peek());
    if (op === "IN" || op === "NOT") {
      i++;
      if (op === "NOT") {
        if (word(peek()) !== "IN") return fail("expected IN after NOT"), false;
        i++;
      }
      if (peek()?.text !== "(") return fail(`expected "(" and a list of values after ${op === "NOT" ? "NOT IN" : "IN"}`), false;
      i++;
      do {
        if (!literal()) return false;
      } while (peek()?.text === "," && ++i);
      if (peek()?.text !== ")") return fail('expected ")" to close the list of values'), false;
      i++;
      return true;
    }
    if (peek()?.kind === "op") {
      i++;
      return literal();
    }
    fail("expected an operator: IN, NOT IN, =, <, >, <= or >=");
    return false;
  };
  const conditions = (): boolean => {
    if (!condition()) return false;
    while (word(peek()) === "AND" || word(peek()) === "OR") {
      i++;
      if (!condition()) return false;
    }
    return true;
  };
  const clause = (): boolean => {
    const action = word(peek());
    if (action !== "INCLUDE" && action !== "EXCLUDE") return fail("expected INCLUDE or EXCLUDE"), false;
    i++;
    const target = peek();
    if (target?.kind !== "word" || !TARGETS.includes(target.text)) {
      return fail(`expected ${TARGETS.join(", ")} after ${action}`), false;
    }
    i++;
    if (word(peek()) !== "WHERE") return fail("expected WHERE"), false;
    i++;
    return conditions();
  };

  do {
    if (!clause()) return problems;
  } while (peek()?.text === "|" && ++i);
  if (i < tokens.length) fail('expected "|" or the end of the expression');
  return problems;
}
