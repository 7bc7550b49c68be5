import type { KindName } from "../../service/kinds";
/**
 * The generic store and statusFields clock. A resource's status is not stored but read off its
 * timeline of phases (`CREATE PENDING` at t0, `CREATE IN_PROGRESS` at t1, `ACTIVE` at t2, ...)
 * against the clock, so a restarted emulator resumes in-flight work exactly where it was.
 * With a state file, every change is written atomically (temporary file, then rename).
 */
import * as fs from "fs";
import * as path from "path";
import { parseFaults, type FaultState } from "./faults";
import type { Tag } from "../../service/tags";

export interface Phase {
  at: number;
  status: string;
}

/** A pending or applied in-place update (UpdateCampaign, UpdateSolution, UpdateDataset...). */
export interface Update {
  fields: Record<string, any>;
  timeline: Phase[];
  createdAt: number;
  failureReason?: string;
}

export interface Resource {
  kind: KindName;
  arn: string;
  name: string;
  region: string;
  /** The resource's own fields, as its Describe returns them (before updates). */
  fields: Record<string, any>;
  createdAt: number;
  timeline: Phase[];
  failureReason?: string;
  /** After this time the resource no longer exists (deleted). */
  goneAt?: number;
  updates: Update[];
  /** Kind-specific data (tracking id, import results...). */
  extra: Record<string, any>;
}

export type { Tag };

/** An event put to EventBridge, as the service hands it to a rule's target, with its bus. */
export interface PutEvent {
  eventBusName: string;
  event: {
    version: "0";
    id: string;
    "detail-type": string;
    source: string;
    account: string;
    time: string;
    region: string;
    resources: string[];
    detail: Record<string, unknown>;
  };
}

/** An EventBridge bus made with CreateEventBus (the account's `default` one is not listed). */
export interface EventBus {
  name: string;
  createdAt: number;
  description?: string;
}

interface Snapshot {
  resources: Resource[];
  tags: [string, Tag[]][];
  calls: Record<string, number>;
  messages: unknown[];
  events?: PutEvent[];
  eventBuses?: EventBus[];
  faults: FaultState;
  sequence: number;
  clockOrigin?: number;
}

export function statusAt(timeline: Phase[], now: number): string {
  let status = timeline[0]?.status ?? "ACTIVE";
  for (const phase of timeline) if (phase.at <= now) status = phase.status;
  return status;
}

/** When the timeline reached its current status (lastUpdatedDateTime). */
export function changedAt(timeline: Phase[], now: number, createdAt: number): number {
  let at = createdAt;
  for (const phase of timeline) if (phase.at <= now) at = phase.at;
  return at;
}

export class Store {
  resources = new Map<string, Resource>();
  tags = new Map<string, Tag[]>();
  calls: Record<string, number> = {};
  /** Describe calls per ARN (benchmarks: how often each resource was polled). */
  describes: Record<string, number> = {};
  /** When each ARN was described (kept in memory only). */
  describeTimes: Record<string, number[]> = {};
  /** SNS messages published to the emulator. */
  messages: unknown[] = [];
  /** EventBridge events put to the emulator, on any bus. */
  events: PutEvent[] = [];
  eventBuses: EventBus[] = [];
  faults: FaultState = parseFaults("");
  /** Feeds deterministic ids (event tracker and solution version hex ids). */
  sequence = 0;
  /** Where the emulator's schedule clock started (ms): kept across restarts with a state file. */
  clockOrigin = Date.now();
  /**
   * The S3 store's folder. Jobs keep the files they read relative to it, so a state file moves
   * with its folder (another clone, another machine, a fresh temporary folder).
   */
  dataDir?: string;

  constructor(
    readonly stateFile: string | undefined,
    readonly clock: () => number = Date.now,
  ) {
    if (stateFile && fs.existsSync(stateFile))
      this.load(JSON.parse(fs.readFileSync(stateFile, "utf8")));
  }

  /** Set while work due earlier is done now (automatic training): the clock reads that time. */
  private pinnedAt?: number;

  now(): number {
    return this.pinnedAt ?? this.clock();
  }

  /** Runs `work` as of time `at` (statuses read as they were then), then restores the clock. */
  at<T>(at: number, work: () => T): T {
    const previous = this.pinnedAt;
    this.pinnedAt = at;
    try {
      return work();
    } finally {
      this.pinnedAt = previous;
    }
  }

  /** A live resource by ARN (deleted ones vanish once their delete has run its course). */
  get(arn: string): Resource | undefined {
    const resource = this.resources.get(arn);
    if (resource && resource.goneAt !== undefined && resource.goneAt <= this.now()) {
      this.resources.delete(arn);
      this.tags.delete(arn);
      return undefined;
    }
    return resource;
  }

  all(kind?: KindName): Resource[] {
    return [...this.resources.keys()]
      .map((arn) => this.get(arn))
      .filter((r): r is Resource => r !== undefined && (kind === undefined || r.kind === kind));
  }

  status(resource: Resource): string {
    return statusAt(resource.timeline, this.now());
  }

  put(resource: Resource): void {
    this.resources.set(resource.arn, resource);
  }

  /** Files as a job's state keeps them: relative to the S3 store's folder. */
  keptFiles(files: string[]): string[] {
    const dataDir = this.dataDir;
    return dataDir ? files.map((file) => path.relative(dataDir, file)) : files;
  }

  /** The files a job read, where they are now (a state written before files were kept relative holds absolute paths: they stay as they are). */
  filesOf(job: Resource): string[] {
    const files: string[] = job.extra.files ?? [];
    const dataDir = this.dataDir;
    return dataDir ? files.map((file) => path.resolve(dataDir, file)) : files;
  }

  nextId(): number {
    return ++this.sequence;
  }

  reset(): void {
    this.resources.clear();
    this.tags.clear();
    this.calls = {};
    this.describes = {};
    this.messages = [];
    this.events = [];
    this.eventBuses = [];
    this.faults = parseFaults("");
    this.sequence = 0;
    this.save();
  }

  save(): void {
    if (!this.stateFile) return;
    const snapshot: Snapshot = {
      resources: [...this.resources.values()],
      tags: [...this.tags],
      calls: this.calls,
      messages: this.messages,
      events: this.events,
      eventBuses: this.eventBuses,
      faults: this.faults,
      sequence: this.sequence,
      clockOrigin: this.clockOrigin,
    };
    const temporary = `${this.stateFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(snapshot));
    fs.renameSync(temporary, this.stateFile);
  }

  private load(snapshot: Snapshot): void {
    for (const resource of snapshot.resources) this.resources.set(resource.arn, resource);
    this.tags = new Map(snapshot.tags);
    this.calls = snapshot.calls ?? {};
    this.messages = snapshot.messages ?? [];
    this.events = snapshot.events ?? [];
    this.eventBuses = snapshot.eventBuses ?? [];
    this.faults = snapshot.faults ?? parseFaults("");
    this.sequence = snapshot.sequence ?? 0;
    this.clockOrigin = snapshot.clockOrigin ?? this.clockOrigin;
  }
}
