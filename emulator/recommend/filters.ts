/**
 * Applies a filter expression to candidate items, as GetRecommendations and
 * GetPersonalizedRanking do: Items.* conditions on item metadata (categorical values split on
 * "|"), Interactions.EVENT_TYPE on the user's own interactions with the item, Users.* on the
 * user, CurrentItem.* on the item recommendations are related to; $PARAMS from filterValues; a
 * clause with `IF CurrentUser.*` applies only when its condition holds for the user. Dataset and
 * field names match in any case (the POC guide's recorded `Interactions.event_type`), and so do
 * event types ("Amazon Personalize ignores case only when matching event types"); other values are
 * exact strings.
 */
import { readFilterExpression, type Condition, type Value } from "../data/filterExpression";
import type { Model } from "./cooccurrence";
import type { TrainingData } from "./trainingData";

export interface FilterContext {
  model: Model;
  data: TrainingData;
  userId?: string;
  itemId?: string;
  filterValues?: Record<string, string>;
}

/** `"Comedy","Drama"` → ["Comedy", "Drama"]. */
function parameter(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|([^,\s]+)/g)].map((m) => m[1] ?? m[2]);
}

/** A metadata record's value of `field`, its name in any case. */
function valueOf(record: Record<string, string> | undefined, field: string): string | undefined {
  if (!record) return undefined;
  if (field in record) return record[field];
  const name = Object.keys(record).find((k) => k.toUpperCase() === field.toUpperCase());
  return name === undefined ? undefined : record[name];
}

function literals(values: Value[], ctx: FilterContext): (string | number)[] | "any" {
  const out: (string | number)[] = [];
  for (const value of values) {
    if (value.kind === "any") return "any";
    if (value.kind === "string" || value.kind === "number") out.push(value.value);
    else if (value.kind === "param")
      out.push(
        ...parameter(
          ctx.filterValues && Object.hasOwn(ctx.filterValues, value.name)
            ? ctx.filterValues[value.name]
            : undefined,
        ),
      );
    else if (value.kind === "current")
      out.push(...(valueOf(ctx.data.items.get(ctx.itemId ?? ""), value.field) ?? "").split("|"));
  }
  return out;
}

function compare(
  actual: string[],
  operator: string,
  expected: (string | number)[] | "any",
  ignoreCase = false,
): boolean {
  if (expected === "any") return operator === "NOT IN" ? actual.length === 0 : actual.length > 0;
  const same = ignoreCase
    ? (e: string | number, a: string) => String(e).toLowerCase() === a.toLowerCase()
    : (e: string | number, a: string) => String(e) === a;
  const matches = actual.some((a) => expected.some((e) => same(e, a)));
  if (operator === "IN" || operator === "=") return matches;
  if (operator === "NOT IN") return !matches;
  const number = Number(actual[0]);
  const bound = Number(expected[0]);
  if (!Number.isFinite(number) || !Number.isFinite(bound)) return false;
  return operator === "<"
    ? number < bound
    : operator === ">"
      ? number > bound
      : operator === "<="
        ? number <= bound
        : number >= bound;
}

function holds(condition: Condition, item: string, ctx: FilterContext): boolean {
  if (condition.kind !== "compare") {
    const left = holds(condition.left, item, ctx);
    return condition.kind === "and"
      ? left && holds(condition.right, item, ctx)
      : left || holds(condition.right, item, ctx);
  }
  const expected = literals(condition.values, ctx);
  let actual: string[] = [];
  const dataset = condition.dataset.toUpperCase();
  if (dataset === "ITEMS") {
    const value = valueOf(ctx.data.items.get(item), condition.field);
    actual = value === undefined || value === "" ? [] : value.split("|");
  } else if (dataset === "INTERACTIONS") {
    actual = ctx.model.eventsOf(ctx.userId ?? "", item) ?? [];
    return compare(actual, condition.operator, expected, true);
  } else if (dataset === "USERS" || dataset === "CURRENTUSER") {
    const value = valueOf(ctx.data.users.get(ctx.userId ?? ""), condition.field);
    actual = value === undefined || value === "" ? [] : value.split("|");
  }
  return compare(actual, condition.operator, expected);
}

/** A predicate keeping the items the filter lets through. */
export function itemFilter(expression: string, ctx: FilterContext): (item: string) => boolean {
  const { clauses } = readFilterExpression(expression);
  if (!clauses) return () => true;
  const itemClauses = clauses.filter((c) => c.target === "ItemID");
  // A clause whose IF does not hold for the user filters nothing.
  const applying = itemClauses.filter((c) => !c.onlyIf || holds(c.onlyIf, "", ctx));
  // "Include A | Include B is equal to Include result from A or result from B", and
  // "Include A | Include B | Exclude C | Exclude D is equal to Include (A or B) - (C or D)".
  const includes = applying.filter((c) => c.action === "INCLUDE");
  const excludes = applying.filter((c) => c.action === "EXCLUDE");
  return (item) =>
    (includes.length === 0 || includes.some((c) => holds(c.condition, item, ctx))) &&
    !excludes.some((c) => holds(c.condition, item, ctx));
}
