/**
 * Personalize's filter expressions ("Filter expression elements" in the developer guide), as the
 * emulator reads them: clauses joined by `|`, each `INCLUDE|EXCLUDE ItemID|UserID|ActionID WHERE`
 * conditions joined by AND/OR (read left to right), and an optional `IF` on CurrentUser fields, e.g.
 *   EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE
 * The emulator's own reading (a scanner and a recursive descent), apart from the client's
 * (`service/filterExpression.ts`), held to it by test/emulator.readers.test.ts.
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
  /** The clause applies only when this holds for the current user. */
  onlyIf?: Condition;
}

/** A piece of the expression: a name (`Items.GENRE`, `WHERE`), a literal, or a sign. */
type Piece =
  | { is: "name"; text: string }
  | { is: "string"; text: string; value: string }
  | { is: "number"; text: string }
  | { is: "param"; text: string }
  | { is: "sign"; text: string };

class Unreadable extends Error {}

const isLetter = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isNamePart = (c: string | undefined) => isLetter(c) || isDigit(c);
const isSpace = (c: string) => c.trim() === "";

function scan(text: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  const nameFrom = (start: number) => {
    let end = start + 1;
    while (isNamePart(text[end])) end++;
    return end;
  };
  while (at < text.length) {
    const c = text[at];
    if (isSpace(c)) {
      at++;
      continue;
    }
    const start = at;
    if (c === '"') {
      at++;
      while (at < text.length && text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
      if (at >= text.length)
        throw new Unreadable(`a string opened at position ${start + 1} is not closed`);
      at++;
      const quoted = text.slice(start, at);
      let value: string;
      try {
        value = JSON.parse(quoted) as string;
      } catch {
        throw new Unreadable(`the string at position ${start + 1} cannot be read: ${quoted}`);
      }
      pieces.push({ is: "string", text: quoted, value });
    } else if (isDigit(c) || (c === "-" && isDigit(text[at + 1]))) {
      at++;
      while (isDigit(text[at])) at++;
      if (text[at] === "." && isDigit(text[at + 1])) {
        at++;
        while (isDigit(text[at])) at++;
      }
      pieces.push({ is: "number", text: text.slice(start, at) });
    } else if (c === "$" && isLetter(text[at + 1])) {
      at = nameFrom(at + 1);
      pieces.push({ is: "param", text: text.slice(start, at) });
    } else if (isLetter(c)) {
      at = nameFrom(at);
      if (text[at] === "." && isLetter(text[at + 1])) at = nameFrom(at + 1);
      pieces.push({ is: "name", text: text.slice(start, at) });
    } else if ((c === "<" || c === ">") && text[at + 1] === "=") {
      at += 2;
      pieces.push({ is: "sign", text: text.slice(start, at) });
    } else if ("=<>(),|*".includes(c)) {
      at++;
      pieces.push({ is: "sign", text: c });
    } else if (c === "'") {
      throw new Unreadable(
        `a value in single quotes at position ${at + 1}; write values in double quotes ("watch")`,
      );
    } else {
      throw new Unreadable(`unexpected character at position ${at + 1}: "${c}"`);
    }
  }
  return pieces;
}

const COMPARISONS = ["=", "<", ">", "<=", ">="];
const TARGETS = ["ItemID", "UserID", "ActionID"];

/** Reads an expression into clauses, or says what is wrong. */
export function readFilterExpression(expression: string): { clauses?: Clause[]; problem?: string } {
  try {
    return { clauses: new Reader(scan(expression)).expression() };
  } catch (e) {
    if (e instanceof Unreadable) return { problem: e.message };
    throw e;
  }
}

class Reader {
  private next = 0;
  constructor(private readonly pieces: Piece[]) {}

  private get current(): Piece | undefined {
    return this.pieces[this.next];
  }
  private word(): string | undefined {
    const p = this.current;
    return p?.is === "name" ? p.text.toUpperCase() : undefined;
  }
  private sign(text: string): boolean {
    const p = this.current;
    return p?.is === "sign" && p.text === text;
  }
  private wanted(what: string): never {
    const p = this.current;
    throw new Unreadable(`${what}, found ${p ? `"${p.text}"` : "the end of the expression"}`);
  }
  private take(text: string, what: string): void {
    if (!this.sign(text)) this.wanted(what);
    this.next++;
  }

  expression(): Clause[] {
    const clauses = [this.clause()];
    while (this.sign("|")) {
      this.next++;
      clauses.push(this.clause());
    }
    if (this.current) this.wanted('expected "|" or the end of the expression');
    return clauses;
  }

  private clause(): Clause {
    const action = this.word();
    if (action !== "INCLUDE" && action !== "EXCLUDE") this.wanted("expected INCLUDE or EXCLUDE");
    this.next++;
    const target = TARGETS.find((t) => t.toUpperCase() === this.word());
    if (!target) this.wanted(`expected ItemID, UserID or ActionID after ${action}`);
    this.next++;
    if (this.word() !== "WHERE") this.wanted("expected WHERE");
    this.next++;
    const condition = this.conditions();
    if (this.word() !== "IF") return { action, target, condition };
    this.next++;
    const onlyIf = this.conditions();
    const other = fieldsOf(onlyIf).find((f) => f.dataset.toUpperCase() !== "CURRENTUSER");
    if (other)
      throw new Unreadable(
        `an IF checks CurrentUser fields only, found ${other.dataset}.${other.field}`,
      );
    return { action, target, condition, onlyIf };
  }

  private conditions(): Condition {
    let left = this.term();
    for (let join = this.word(); join === "AND" || join === "OR"; join = this.word()) {
      this.next++;
      left = { kind: join === "AND" ? "and" : "or", left, right: this.term() };
    }
    return left;
  }

  private term(): Condition {
    if (!this.sign("(")) return this.comparison();
    this.next++;
    const inner = this.conditions();
    this.take(")", 'expected ")"');
    return inner;
  }

  private comparison(): Condition {
    const p = this.current;
    if (p?.is !== "name" || !p.text.includes("."))
      this.wanted("expected a Dataset.FIELD reference such as Items.GENRE");
    this.next++;
    const [dataset, field] = p.text.split(".");
    const word = this.word();
    if (word === "IN" || word === "NOT") {
      this.next++;
      if (word === "NOT" && this.word() !== "IN") this.wanted("expected IN after NOT");
      if (word === "NOT") this.next++;
      const operator = word === "NOT" ? "NOT IN" : "IN";
      this.take("(", `expected "(" and a list of values after ${operator}`);
      const values = [this.value()];
      while (this.sign(",")) {
        this.next++;
        values.push(this.value());
      }
      this.take(")", 'expected ")" to close the list of values');
      const param = values.find((v) => v.kind === "param");
      if (operator === "NOT IN" && param?.kind === "param")
        throw new Unreadable(`$${param.name}: placeholders are not allowed with NOT IN`);
      return { kind: "compare", dataset, field, operator, values };
    }
    const op = this.current;
    if (op?.is !== "sign" || !COMPARISONS.includes(op.text))
      this.wanted("expected an operator: IN, NOT IN, =, <, >, <= or >=");
    this.next++;
    return { kind: "compare", dataset, field, operator: op.text, values: [this.value()] };
  }

  private value(): Value {
    const p = this.current;
    const read = p && valueOf(p);
    if (!read) return this.wanted('expected a value: a "quoted string", a number or a $PARAMETER');
    this.next++;
    return read;
  }
}

function valueOf(p: Piece): Value | undefined {
  if (p.is === "string") return { kind: "string", value: p.value };
  if (p.is === "number") return { kind: "number", value: Number(p.text) };
  if (p.is === "param") return { kind: "param", name: p.text.slice(1) };
  if (p.is === "sign") return p.text === "*" ? { kind: "any" } : undefined;
  const current = /^Current(Item|Action)\.(.+)$/.exec(p.text);
  return current
    ? { kind: "current", dataset: `Current${current[1]}`, field: current[2] }
    : undefined;
}

/** The dataset fields a condition names (`Items.GENRE`), left to right. */
export function fieldsOf(condition: Condition): { dataset: string; field: string }[] {
  if (condition.kind === "compare") return [{ dataset: condition.dataset, field: condition.field }];
  return [...fieldsOf(condition.left), ...fieldsOf(condition.right)];
}
