/**
 * The grammar of Personalize's filter expressions ("Filter expression elements" in the developer
 * guide), parsed once for both their users: the params checker (syntax, then the datasets and
 * fields named, `params/filterExpression.ts`) and the emulator (which checks the references its
 * own way and applies the filter), e.g.
 *   INCLUDE ItemID WHERE Items.YEAR >= 1970 AND Items.YEAR < 1980
 *   EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click") | INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)
 *   EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE
 * Keywords and the ItemID/UserID/ActionID element take any case (the guide writes both `UserID` and
 * `UserId`); how dataset and field names are matched is each reader's own (`service/decisions.ts`).
 */
export type Value =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "param"; name: string }
  | { kind: "any" }
  | { kind: "current"; dataset: string; field: string };
export type Condition =
  | { kind: "and" | "or"; left: Condition; right: Condition }
  | { kind: "compare"; dataset: string; field: string; operator: string; values: Value[] };
export interface Clause {
  action: "INCLUDE" | "EXCLUDE";
  target: string;
  condition: Condition;
  /** The clause applies only when this holds for the current user (`IF CurrentUser.AGE > 18`). */
  onlyIf?: Condition;
}

type Token = { kind: "word" | "string" | "number" | "param" | "op" | "punct"; text: string };

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|(\$[A-Za-z_]\w*)|([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)|(<=|>=|=|<|>)|([(),|*]))/y;
const TOKEN_KINDS: Token["kind"][] = ["string", "number", "param", "word", "op", "punct"];
const TARGETS = ["ItemID", "UserID", "ActionID"];

/**
 * A quoted value's text, or undefined. Personalize's documentation shows values in double quotes
 * and says nothing of escapes; this project reads them as JSON strings (a quote as \", a backslash
 * as \\) and refuses any other escape or a raw control character inside the quotes, rather than
 * guess what the service would store.
 */
function quoted(text: string): string | undefined {
  try {
    return JSON.parse(text) as string;
  } catch {
    return undefined;
  }
}

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length && !/^\s*$/.test(text.slice(position))) {
    TOKEN.lastIndex = position;
    const m = TOKEN.exec(text);
    const at = text.slice(position).trim()[0];
    if (!m && at === "'")
      return `a value in single quotes at position ${text.indexOf("'", position) + 1}; write values in double quotes ("watch"), as Personalize's documentation does`;
    if (!m) return `unexpected character at position ${position + 1}: "${at}"`;
    position = TOKEN.lastIndex;
    const index = m.slice(1).findIndex((g) => g !== undefined);
    tokens.push({ kind: TOKEN_KINDS[index], text: m[index + 1] });
  }
  return tokens;
}

/** Parses an expression into clauses, or says what is wrong where. */
export function parseFilterExpression(expression: string): {
  clauses?: Clause[];
  problem?: string;
} {
  const tokens = tokenize(expression);
  if (typeof tokens === "string") return { problem: tokens };
  let i = 0;
  const peek = () => tokens[i];
  const upper = (t: Token | undefined) => (t?.kind === "word" ? t.text.toUpperCase() : undefined);
  class Syntax extends Error {}
  const fail = (what: string): never => {
    const at = peek();
    throw new Syntax(`${what}, found ${at ? `"${at.text}"` : "the end of the expression"}`);
  };
  const expect = (text: string, what: string) => (peek()?.text === text ? i++ : fail(what));

  const value = (): Value => {
    const t = peek() ?? fail('expected a value: a "quoted string", a number or a $PARAMETER');
    i++;
    if (t.kind === "string") {
      const value = quoted(t.text);
      if (value === undefined)
        throw new Syntax(
          `the value ${t.text} holds an escape or a control character this project does not read: inside the double quotes, write a quote as \\" and a backslash as \\\\, with no tab or line break`,
        );
      return { kind: "string", value };
    }
    if (t.kind === "number") return { kind: "number", value: Number(t.text) };
    if (t.kind === "param") return { kind: "param", name: t.text.slice(1) };
    if (t.text === "*") return { kind: "any" };
    if (t.kind === "word" && /^Current(Item|Action)\./.test(t.text)) {
      const [dataset, field] = t.text.split(".");
      return { kind: "current", dataset, field };
    }
    i--;
    return fail('expected a value: a "quoted string", a number or a $PARAMETER');
  };
  const comparison = (): Condition => {
    const t = peek();
    if (t?.kind !== "word" || !t.text.includes("."))
      fail("expected a Dataset.FIELD reference such as Items.GENRE");
    i++;
    const [dataset, field] = t!.text.split(".");
    let operator = upper(peek());
    if (operator === "IN" || operator === "NOT") {
      i++;
      if (operator === "NOT") {
        if (upper(peek()) !== "IN") fail("expected IN after NOT");
        i++;
        operator = "NOT IN";
      }
      expect("(", `expected "(" and a list of values after ${operator}`);
      const values = [value()];
      while (peek()?.text === ",") {
        i++;
        values.push(value());
      }
      expect(")", 'expected ")" to close the list of values');
      const placeholder = values.find((v) => v.kind === "param");
      // The guide's error: "Invalid input symbol: $parameterName. Placeholders are not allowed with NOT_IN operator."
      if (operator === "NOT IN" && placeholder?.kind === "param")
        throw new Syntax(
          `$${placeholder.name}: placeholders are not allowed with NOT IN; use IN and the opposite action (EXCLUDE for INCLUDE)`,
        );
      return { kind: "compare", dataset, field, operator, values };
    }
    if (peek()?.kind !== "op") fail("expected an operator: IN, NOT IN, =, <, >, <= or >=");
    operator = peek()!.text;
    i++;
    return { kind: "compare", dataset, field, operator, values: [value()] };
  };
  const term = (): Condition => {
    if (peek()?.text !== "(") return comparison();
    i++;
    const inner = conditions();
    expect(")", 'expected ")"');
    return inner;
  };
  const conditions = (): Condition => {
    let left = term();
    for (let join = upper(peek()); join === "AND" || join === "OR"; join = upper(peek())) {
      i++;
      left = { kind: join === "AND" ? "and" : "or", left, right: term() };
    }
    return left;
  };
  const clause = (): Clause => {
    const action = upper(peek());
    if (action !== "INCLUDE" && action !== "EXCLUDE") fail("expected INCLUDE or EXCLUDE");
    i++;
    const target = TARGETS.find((t) => t.toUpperCase() === upper(peek()));
    if (!target) fail(`expected ${TARGETS.join(", ")} after ${action}`);
    i++;
    if (upper(peek()) !== "WHERE") fail("expected WHERE");
    i++;
    const condition = conditions();
    if (upper(peek()) !== "IF")
      return { action: action as Clause["action"], target: target!, condition };
    i++;
    const onlyIf = conditions();
    const other = references(onlyIf).find((r) => r.dataset.toUpperCase() !== "CURRENTUSER");
    if (other)
      throw new Syntax(
        `an IF condition checks CurrentUser fields only, found "${other.dataset}.${other.field}"`,
      );
    return { action: action as Clause["action"], target: target!, condition, onlyIf };
  };

  try {
    const clauses = [clause()];
    while (peek()?.text === "|") {
      i++;
      clauses.push(clause());
    }
    if (i < tokens.length) fail('expected "|" or the end of the expression');
    return { clauses };
  } catch (e) {
    if (e instanceof Syntax) return { problem: e.message };
    throw e;
  }
}

/** The dataset fields a clause names (`Items.GENRE`, and `CurrentUser.AGE` in its IF), left to right. */
export function clauseReferences(clause: Clause): { dataset: string; field: string }[] {
  return [...references(clause.condition), ...(clause.onlyIf ? references(clause.onlyIf) : [])];
}

/** The dataset fields a condition names (`Items.GENRE`), left to right. */
export function references(condition: Condition): { dataset: string; field: string }[] {
  if (condition.kind !== "compare")
    return [...references(condition.left), ...references(condition.right)];
  return [{ dataset: condition.dataset, field: condition.field }];
}
