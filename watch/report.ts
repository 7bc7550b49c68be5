/**
 * What the watcher says: a line on the terminal for what a person acts on (a run's start and
 * end, a refusal, a wait, a recovery), each state said once; the same as JSON lines in `--log`,
 * where the details (each resource's progress during a run) go too, and only there.
 */
import * as fs from "fs";

export class Reporter {
  /** What was last said about a waiting or refused state, so it is said once. */
  private said = new Set<string>();

  constructor(
    private readonly logFile: string | undefined,
    private readonly print: (line: string) => void = console.log,
    /** The stack, when one watcher serves several: before each line, and a field of each JSON line. */
    private readonly stack?: string,
  ) {}

  /** A line for a person, and the same as a JSON line in `--log`. */
  event(kind: string, line: string, fields: Record<string, unknown> = {}): void {
    this.print(`${new Date().toISOString()} ${this.stack ? `stack ${this.stack}: ` : ""}${line}`);
    this.detail(kind, line, fields);
  }

  /** A JSON line in `--log` only. */
  detail(kind: string, line: string, fields: Record<string, unknown> = {}): void {
    if (this.logFile)
      fs.appendFileSync(
        this.logFile,
        JSON.stringify({
          time: new Date().toISOString(),
          event: kind,
          ...(this.stack && { stack: this.stack }),
          ...fields,
          message: line,
        }) + "\n",
      );
  }

  /** Said the first time `key` comes, not again while it lasts. */
  once(key: string, kind: string, line: string, fields?: Record<string, unknown>): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    this.event(kind, line, fields);
  }

  saidAlready(key: string): boolean {
    return this.said.has(key);
  }

  /** States whose key starts with `prefix` are over: said again if they come back. */
  forget(prefix: string): void {
    for (const key of this.said) if (key.startsWith(prefix)) this.said.delete(key);
  }
}
