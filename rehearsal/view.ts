/**
 * The live view of a rehearsal: one row per Personalize resource (kind, name, the status its
 * provider reports, elapsed), redrawn in place on a terminal, or a line per change elsewhere (CI,
 * logs). The status is what the provider tells the engine for the resource's row of `pulumi up`'s
 * display (`CREATE IN_PROGRESS`), not a look at the emulator.
 */
import type { Tracked } from "./engine";

const ICONS: Record<Tracked["phase"], string> = {
  creating: "…",
  created: "✔",
  failed: "✖",
  deleting: "…",
  deleted: "✔",
};

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** How long the same work would take on AWS, from the emulator's time scale. */
export function onAws(ms: number, scale: number): string {
  const minutes = Math.round(ms / scale / 60_000);
  return minutes < 60
    ? `${minutes} min`
    : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** The phase in `pulumi up`'s words: an update or a replacement is not a create. */
function phaseLabel(resource: Tracked): string {
  if (resource.action === "update")
    return resource.phase === "creating"
      ? "updating"
      : resource.phase === "created"
        ? "updated"
        : resource.phase;
  if (resource.action === "replace")
    return resource.phase === "creating"
      ? "replacing"
      : resource.phase === "created"
        ? "replaced"
        : resource.phase;
  return resource.phase;
}

/** The status its provider last reported (`CREATE IN_PROGRESS`). */
function statusOf(resource: Tracked): string {
  if (resource.phase === "failed") return "FAILED";
  return resource.status ?? "";
}

export class LiveView {
  private rows: Tracked[] = [];
  private drawn = 0;
  private timer?: NodeJS.Timeout;
  private readonly started = Date.now();
  /** What each row last printed (off a terminal): a line only when its phase or status changes. */
  private printed = new Map<Tracked, string>();

  constructor(
    private readonly scale: number,
    private readonly tty = Boolean(process.stdout.isTTY),
  ) {}

  start(): void {
    if (this.tty) this.timer = setInterval(() => this.draw(), 200);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tty) this.draw();
    this.drawn = 0;
  }

  /** A fresh table for the next phase (deploy, then teardown). */
  reset(): void {
    this.stop();
    this.rows = [];
    this.printed.clear();
  }

  changed(resource: Tracked): void {
    if (!resource.dynamic) return;
    if (!this.rows.includes(resource)) this.rows.push(resource);
    if (!this.tty) {
      const seen = `${resource.phase} ${statusOf(resource)}`;
      if (this.printed.get(resource) === seen) return;
      // A status is worth a line once the wait is long enough to wonder (a second, real time):
      // looked at again then, since the provider says a status once until it changes.
      const waited = Date.now() - resource.startedAt;
      if (resource.status && !resource.endedAt && waited < 1_000) {
        setTimeout(
          () => this.rows.includes(resource) && this.changed(resource),
          1_000 - waited,
        ).unref();
        return;
      }
      this.printed.set(resource, seen);
      const at = `[${seconds(Date.now() - this.started).padStart(6)}]`;
      const detail = resource.error
        ? `: ${resource.error}`
        : resource.endedAt
          ? ` (${seconds(resource.endedAt - resource.startedAt)})`
          : resource.status
            ? `: ${resource.status}`
            : "";
      console.log(
        `${at} ${phaseLabel(resource).padEnd(9)} ${resource.kind.padEnd(17)} ${resource.awsName ?? resource.name}${detail}`,
      );
    }
  }

  private draw(): void {
    const now = Date.now();
    const lines = this.rows.map((r) => {
      const elapsed = (r.endedAt ?? now) - r.startedAt;
      return `  ${ICONS[r.phase]} ${phaseLabel(r).padEnd(9)} ${r.kind.padEnd(17)} ${(r.awsName ?? r.name).slice(0, 40).padEnd(41)} ${statusOf(r).padEnd(19)} ${seconds(elapsed).padStart(6)}  (${onAws(elapsed, this.scale)} on AWS)`;
    });
    const running = this.rows.filter(
      (r) => r.phase === "creating" || r.phase === "deleting",
    ).length;
    lines.push(`  ${running} in progress, ${seconds(now - this.started)} elapsed`);
    if (this.drawn > 0) process.stdout.write(`\x1b[${this.drawn}A`);
    process.stdout.write(lines.map((l) => `\x1b[2K${l}\n`).join(""));
    this.drawn = lines.length;
  }
}
