/**
 * The command line of the project's commands (`npm run <script> -- ...`), read from one table
 * per command: `--help` and `-h` print the command's usage with each option (exit 0), and an
 * unknown option, a missing value or a stray argument is refused the same way everywhere, with
 * the usage line (exit 2). Each command checks its own values (a number, a stack name).
 */
import { nearest } from "../util/nearest";

export interface OptionSpec {
  /** The value's placeholder (`<file>`); absent, the option is a switch. */
  value?: string;
  /** One line for `--help`: what it does, and its default. */
  help: string;
}

export interface CommandSpec {
  /** The script, as typed: `npm run demo`. */
  command: string;
  /** What the command does, for `--help`. */
  summary: string;
  /** The arguments before the options (`<params.json>`), with what each is. */
  positional?: { name: string; help: string }[];
  /** Keyed by the option as typed: `--params`. */
  options: Record<string, OptionSpec>;
}

/** A command line that cannot be run as given: said with the usage line, exit code 2. */
export class UsageError extends Error {}

/** `--help` or `-h` was given: the text to print (exit code 0). */
export class HelpRequest extends Error {}

export interface CommandLine {
  positional: string[];
  /** The option's value, if given (the last one when given twice). */
  value(option: string): string | undefined;
  /** Whether the switch was given. */
  has(option: string): boolean;
}

export function usageLine(spec: CommandSpec): string {
  const parts = [
    ...(spec.positional ?? []).map((p) => p.name),
    ...Object.entries(spec.options).map(([name, o]) => `[${name}${o.value ? ` ${o.value}` : ""}]`),
  ];
  return `usage: ${spec.command}${parts.length ? ` -- ${parts.join(" ")}` : ""}`;
}

export function helpText(spec: CommandSpec): string {
  const rows: [string, string][] = [
    ...(spec.positional ?? []).map((p): [string, string] => [p.name, p.help]),
    ...Object.entries(spec.options).map(([name, o]): [string, string] => [
      `${name}${o.value ? ` ${o.value}` : ""}`,
      o.help,
    ]),
    ["-h, --help", "print this help and exit"],
  ];
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return [
    usageLine(spec),
    "",
    spec.summary,
    "",
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
  ].join("\n");
}

export function parseCommandLine(spec: CommandSpec, argv: string[]): CommandLine {
  if (argv.includes("--help") || argv.includes("-h")) throw new HelpRequest(helpText(spec));
  const refuse = (what: string) => new UsageError(`${what}\n${usageLine(spec)}`);
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].startsWith("--") ? splitInline(argv[i]) : [argv[i], undefined];
    const option = spec.options[name];
    if (!name.startsWith("-")) {
      if (positional.length >= (spec.positional?.length ?? 0))
        throw refuse(`unexpected argument ${name}`);
      positional.push(name);
    } else if (option === undefined) {
      const near = nearest(name, Object.keys(spec.options));
      throw refuse(`unknown option ${name}${near ? ` (did you mean ${near}?)` : ""}`);
    } else if (!option.value) {
      if (inline !== undefined) throw refuse(`${name} takes no value`);
      switches.add(name);
    } else {
      const value = inline ?? argv[i + 1];
      if (value === undefined || (inline === undefined && value.startsWith("--")))
        throw refuse(`${name} needs a value (${option.value})`);
      values.set(name, value);
      if (inline === undefined) i++;
    }
  }
  return { positional, value: (o) => values.get(o), has: (o) => switches.has(o) };
}

function splitInline(arg: string): [string, string | undefined] {
  const at = arg.indexOf("=");
  return at < 0 ? [arg, undefined] : [arg.slice(0, at), arg.slice(at + 1)];
}

/** A number option's value: `above` (exclusive) or `min` (inclusive), an integer when asked. */
export function numberValue(
  spec: CommandSpec,
  option: string,
  text: string,
  bound: { above?: number; min?: number; integer?: boolean },
): number {
  const n = Number(text);
  const fits =
    text.trim() !== "" &&
    Number.isFinite(n) &&
    (bound.above === undefined || n > bound.above) &&
    (bound.min === undefined || n >= bound.min) &&
    (!bound.integer || Number.isInteger(n));
  if (fits) return n;
  const range =
    bound.above !== undefined ? `above ${bound.above}` : `of at least ${bound.min ?? 0}`;
  throw new UsageError(
    `${option}: expected ${bound.integer ? "an integer" : "a number"} ${range}, got ${text}\n${usageLine(spec)}`,
  );
}

/**
 * Runs a command's main with its command line: the help is printed on stdout (exit 0), a usage
 * error on stderr (exit 2), any other error as `describe` words it (exit 1).
 */
export function runCommand(
  main: (argv: string[]) => Promise<number | void> | number | void,
  describe: (e: Error) => string = (e) => e.message,
): void {
  void (async () => {
    try {
      process.exitCode = (await main(process.argv.slice(2))) ?? 0;
    } catch (e) {
      if (e instanceof HelpRequest) {
        console.log(e.message);
        process.exitCode = 0;
      } else if (e instanceof UsageError) {
        console.error(e.message);
        process.exitCode = 2;
      } else {
        console.error(describe(e as Error));
        process.exitCode = 1;
      }
    }
  })();
}
