/**
 * One validator driven by the botocore service model: every request is checked against its
 * operation's input shape (required members, types, lengths, ranges, patterns, enums), with
 * AWS's own message format. Tests use the same walk to hold responses to the output shapes.
 */
import type { ModelShape as Shape, ServiceModel } from "../../service/botocoreModels";

export type { Shape, ServiceModel };

export interface Violation {
  path: string;
  /** SerializationException for a wrong JSON type, InvalidInputException for a broken constraint. */
  kind: "type" | "constraint";
  message: string;
}

const patternCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let compiled = patternCache.get(pattern);
  if (!compiled) {
    // AWS matches the whole value (Java's matches()), whether or not the model anchors the pattern.
    compiled = new RegExp(`^(?:${pattern.replace(/^\^/, "").replace(/\$$/, "")})$`, "u");
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function show(value: unknown, shape: Shape): string {
  if (shape.sensitive) return "'***'";
  return `'${typeof value === "string" ? value : JSON.stringify(value)}'`;
}

/** Every way `value` breaks shape `shapeName`. `checkConstraints` off checks only structure. */
export function violations(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  path = "",
  checkConstraints = true,
): Violation[] {
  const shape = model.shapes[shapeName];
  const found: Violation[] = [];
  const at = path || shapeName;
  const typeError = (expected: string) =>
    found.push({
      path: at,
      kind: "type",
      message: `Value ${JSON.stringify(value)} at '${at}' is not a valid ${expected}`,
    });
  const constraint = (text: string) =>
    found.push({
      path: at,
      kind: "constraint",
      message: `Value ${show(value, shape)} at '${at}' failed to satisfy constraint: Member must ${text}`,
    });

  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return (typeError("structure"), found);
      const record = value as Record<string, unknown>;
      for (const required of shape.required ?? []) {
        if (record[required] === undefined || record[required] === null) {
          found.push({
            path: `${path ? path + "." : ""}${required}`,
            kind: "constraint",
            message: `Value null at '${path ? path + "." : ""}${required}' failed to satisfy constraint: Member must not be null`,
          });
        }
      }
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        if (record[name] === undefined || record[name] === null) continue;
        found.push(
          ...violations(
            model,
            member.shape,
            record[name],
            `${path ? path + "." : ""}${name}`,
            checkConstraints,
          ),
        );
      }
      return found;
    }
    case "list": {
      if (!Array.isArray(value)) return (typeError("list"), found);
      if (checkConstraints && shape.min !== undefined && value.length < shape.min)
        constraint(`have length greater than or equal to ${shape.min}`);
      if (checkConstraints && shape.max !== undefined && value.length > shape.max)
        constraint(`have length less than or equal to ${shape.max}`);
      value.forEach((item, i) =>
        found.push(
          ...violations(
            model,
            shape.member!.shape,
            item,
            `${at}.${i + 1}.member`,
            checkConstraints,
          ),
        ),
      );
      return found;
    }
    case "map": {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        return (typeError("map"), found);
      const entries = Object.entries(value);
      if (checkConstraints && shape.max !== undefined && entries.length > shape.max)
        constraint(`have length less than or equal to ${shape.max}`);
      for (const [key, item] of entries) {
        found.push(
          ...violations(model, shape.key!.shape, key, `${at}.${key}(key)`, checkConstraints),
        );
        found.push(
          ...violations(model, shape.value!.shape, item, `${at}.${key}`, checkConstraints),
        );
      }
      return found;
    }
    case "string": {
      if (typeof value !== "string") return (typeError("string"), found);
      if (!checkConstraints)
        return shape.enum && !shape.enum.includes(value)
          ? (constraint(`satisfy enum value set: [${shape.enum.join(", ")}]`), found)
          : found;
      if (shape.min !== undefined && value.length < shape.min)
        constraint(`have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max)
        constraint(`have length less than or equal to ${shape.max}`);
      if (shape.enum && !shape.enum.includes(value))
        constraint(`satisfy enum value set: [${shape.enum.join(", ")}]`);
      if (shape.pattern && !regex(shape.pattern).test(value))
        constraint(`satisfy regular expression pattern: ${shape.pattern}`);
      return found;
    }
    case "integer":
    case "long":
      if (typeof value !== "number" || !Number.isInteger(value))
        return (typeError(shape.type), found);
      // An integer is 32-bit (Smithy's simple types): a wider number cannot be read as one.
      if (shape.type === "integer" && (value < -(2 ** 31) || value > 2 ** 31 - 1))
        return (typeError(shape.type), found);
      if (checkConstraints && shape.min !== undefined && value < shape.min)
        constraint(`have value greater than or equal to ${shape.min}`);
      if (checkConstraints && shape.max !== undefined && value > shape.max)
        constraint(`have value less than or equal to ${shape.max}`);
      return found;
    case "double":
    case "float":
      if (typeof value !== "number") return (typeError(shape.type), found);
      if (checkConstraints && shape.min !== undefined && value < shape.min)
        constraint(`have value greater than or equal to ${shape.min}`);
      if (checkConstraints && shape.max !== undefined && value > shape.max)
        constraint(`have value less than or equal to ${shape.max}`);
      return found;
    case "boolean":
      if (typeof value !== "boolean") typeError("boolean");
      return found;
    case "timestamp":
      if (typeof value !== "number") typeError("timestamp (epoch seconds)");
      return found;
    default:
      return found;
  }
}

/** AWS's summary line: "2 validation errors detected: ...; ..." */
export function validationMessage(found: Violation[]): string {
  const noun = found.length === 1 ? "error" : "errors";
  return `${found.length} validation ${noun} detected: ${found.map((v) => v.message).join("; ")}`;
}
