/**
 * What starts a run: the difference between what the stack's last deployment recorded (its
 * outputs, read from the backend) and what is there now (the params, the data's fingerprints, the
 * schedules' latest slots). Pure: the same inputs decide the same, in any process, on any machine.
 */
import type { SolutionVersionsListed } from "../components/solutionVersions";
import { latestSlot, parseSchedule, type ScheduleSlots } from "../params/schedule";

/** The outputs a deployment records about what it was made from (see PersonalizePipeline). */
export interface Recorded {
  paramsFingerprint?: string;
  dataFingerprints?: Record<string, string>;
  scheduleSlots?: ScheduleSlots;
  /** What each solution that trains itself served (see PersonalizePipeline). */
  servingSolutionVersions?: Record<string, { solutionVersionArn: string; trainedAt?: string }>;
}

export interface Current {
  paramsFingerprint: string;
  /** The same params' fingerprint as a stack deployed by an earlier release recorded it. */
  formerParamsFingerprint?: string;
  dataFingerprints: Record<string, string>;
  slots: ScheduleSlots;
  /** `datasetGroup.schedules.import`: new data waits for its next slot. */
  importSchedule?: string;
  /** When the newest data object was written, in schedule time (ms). */
  newestData?: number;
  /** The ACTIVE versions of the solutions that train themselves, as the service lists them. */
  solutionVersions?: SolutionVersionsListed;
}

export interface Trigger {
  kind: "first" | "params" | "data" | "schedule" | "version" | "retry";
  /** What changed, for a person: `data: Interactions, batch/users.json`. */
  detail: string;
}

export interface RunDecision {
  /** Reasons to run now (one run serves them all). */
  due: Trigger[];
  /** Changes that wait, and until when (data on an import schedule). */
  waiting: string[];
}

const EMPTY: ScheduleSlots = { solutions: {}, batchInferenceJobs: {}, batchSegmentJobs: {} };

/** Keys whose values differ between two maps (added, removed or changed), sorted. */
function changedKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

export function decide(recorded: Recorded, current: Current, now: number): RunDecision {
  if (recorded.paramsFingerprint === undefined || recorded.dataFingerprints === undefined)
    return {
      due: [
        {
          kind: "first",
          detail:
            "the stack records no fingerprints yet (never deployed, or deployed before the watcher existed)",
        },
      ],
      waiting: [],
    };
  const due: Trigger[] = [];
  const waiting: string[] = [];
  if (
    recorded.paramsFingerprint !== current.paramsFingerprint &&
    recorded.paramsFingerprint !== current.formerParamsFingerprint
  )
    due.push({ kind: "params", detail: "params: the pipeline's params changed" });

  const data = changedKeys(recorded.dataFingerprints, current.dataFingerprints);
  if (data.length > 0) {
    const detail = `data: ${data.join(", ")}`;
    const schedule = current.importSchedule && parseSchedule(current.importSchedule);
    if (!schedule || "problem" in schedule) due.push({ kind: "data", detail });
    else {
      // Imported at the first slot of the import schedule after the newest object was written.
      const slot = latestSlot(schedule, now);
      const newest = current.newestData ?? 0;
      if (slot !== undefined && slot >= newest)
        due.push({
          kind: "data",
          detail: `${detail} (import slot ${new Date(slot).toISOString()})`,
        });
      else
        waiting.push(
          `${detail}: waits for the next slot of datasetGroup.schedules.import ${current.importSchedule}`,
        );
    }
  }

  const was = recorded.scheduleSlots ?? EMPTY;
  for (const group of ["solutions", "batchInferenceJobs", "batchSegmentJobs"] as const) {
    for (const key of changedKeys(was[group], current.slots[group])) {
      const slot = current.slots[group][key];
      // A schedule added or removed is a params change, reported as one.
      if (!slot || !was[group][key]) continue;
      const mode = "mode" in slot ? `${slot.mode} ` : "";
      due.push({
        kind: "schedule",
        detail: `schedule: ${key} ${mode}slot ${slot.at} (${slot.schedule})`,
      });
    }
  }
  due.push(...newVersions(recorded, current));
  return { due, waiting };
}

/** A version a solution trained itself after the one the stack's outputs say it serves. */
function newVersions(recorded: Recorded, current: Current): Trigger[] {
  const due: Trigger[] = [];
  for (const [key, listed] of Object.entries(current.solutionVersions ?? {})) {
    const serving = recorded.servingSolutionVersions?.[key];
    if (!serving) continue;
    const since =
      serving.trainedAt ??
      listed.find((v) => v.solutionVersionArn === serving.solutionVersionArn)?.createdAt;
    if (since === undefined) continue;
    const newest = listed
      .filter((v) => v.trainingType === "AUTOMATIC" && v.createdAt > since)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    if (newest)
      due.push({
        kind: "version",
        detail: `version: ${key} ${newest.solutionVersionArn} (trained automatically, ${newest.createdAt})`,
      });
  }
  return due;
}
