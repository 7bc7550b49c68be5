/**
 * The live view of a rehearsal: one row per Personalize resource (kind, name, live status from the
 * emulator, elapsed), redrawn in place on a terminal, or a line per change elsewhere (CI, logs).
 */
import type { Store } from "../emulator/engine/store";
import type { KindName } from "../providers/kinds";
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

export class LiveView {
  private rows: Tracked[] = [];
  private drawn = 0;
  private timer?: NodeJS.Timeout;
  private readonly started = Date.now();

  constructor(
    private readonly store: Store,
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
  }

  changed(resource: Tracked): void {
    if (!resource.dynamic) return;
    if (!this.rows.includes(resource)) this.rows.push(resource);
    if (!this.tty) {
      const at = `[${seconds(Date.now() - this.started).padStart(6)}]`;
      const detail = resource.error
        ? `: ${resource.error}`
        : resource.endedAt
          ? ` (${seconds(resource.endedAt - resource.startedAt)})`
          : "";
      console.log(
        `${at} ${phaseLabel(resource).padEnd(9)} ${resource.kind.padEnd(17)} ${resource.awsName ?? resource.name}${detail}`,
      );
    }
  }

  private liveStatus(resource: Tracked): string {
    if (resource.phase === "failed") return "FAILED";
    if (resource.phase === "deleted") return "gone";
    const live = this.store
      .all(resource.kind as KindName)
      .find((r) => r.arn === resource.id || r.name === resource.awsName);
    if (!live)
      return resource.phase === "created"
        ? "ACTIVE"
        : resource.phase === "deleting"
          ? "gone"
          : "starting";
    return live.timeline.length ? this.store.status(live) : "ACTIVE";
  }

  private draw(): void {
    const now = Date.now();
    const lines = this.rows.map((r) => {
      const elapsed = (r.endedAt ?? now) - r.startedAt;
      return `  ${ICONS[r.phase]} ${phaseLabel(r).padEnd(9)} ${r.kind.padEnd(17)} ${(r.awsName ?? r.name).slice(0, 40).padEnd(41)} ${this.liveStatus(r).padEnd(19)} ${seconds(elapsed).padStart(6)}  (${onAws(elapsed, this.scale)} on AWS)`;
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
