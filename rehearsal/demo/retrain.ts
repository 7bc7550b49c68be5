/** The demo's second deploy, on new data: what changed, and what the promotion gate decided. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Rehearsal } from "../engine";
import type { LiveView } from "../view";
import type { Params } from "../../params";
import { interactionsPlace, newDataFolder } from "./interactionsPlace";
import { noisyNewData } from "./newData";
import { describeFailure, section, type DemoOptions, type DemoSummary } from "./summary";
import { configKey } from "../../stackConfig/keys";

/** A solution version's ARN; its id, the last part, is `$1`. */
const VERSION_ARN = /\barn:aws:personalize:[^:\s]*:\d*:solution\/[^\s/]+\/([0-9a-f]+)\b/g;

export async function retrain(
  rehearsal: Rehearsal,
  config: Record<string, string>,
  options: DemoOptions,
  view: LiveView,
  summary: DemoSummary,
): Promise<boolean> {
  section("New data arrives (as pulumi up after the files change)");
  const next = fs.mkdtempSync(path.join(os.tmpdir(), "personalize-demo-data-"));
  try {
    const place = await interactionsPlace(
      options.data,
      JSON.parse(config[configKey("params")]) as Params,
    );
    const mirrored = newDataFolder(options.data, next, place);
    const added = noisyNewData(place.files[0], mirrored.lateFile);
    console.log(
      `  ${added} late interactions in ${mirrored.shown}, mostly noise (items unrelated to the users)`,
    );
    const heard = rehearsal.emulator!.store.messages.length;
    view.reset();
    view.start();
    const started = Date.now();
    const { outputs, failed } = await rehearsal.deploy({
      ...config,
      [configKey("dataDir")]: mirrored.dataDir,
    });
    view.stop();
    if (failed.length > 0) {
      console.error(`\nThe second deploy failed:\n${describeFailure(failed)}`);
      summary.failures.push(
        ...failed.map((r) => ({ kind: r.kind, name: r.awsName ?? r.name, error: r.error })),
      );
      return false;
    }
    const changes = [...rehearsal.resources.values()].filter(
      (r) => r.dynamic && r.action !== "same",
    );
    console.log(
      `\nDeployed again in ${((Date.now() - started) / 1000).toFixed(1)} s; ${changes.length} resource(s) changed, the rest unchanged:`,
    );
    const symbol = { create: "+", update: "~", replace: "+-", same: " " };
    for (const r of changes) {
      // A campaign the gate kept on its version was offered the new one, and refused it.
      const kept =
        r.kind === "Campaign" && r.outputs?.rejectedSolutionVersionArn
          ? "offered the new version (the promotion gate's decision: below)"
          : undefined;
      console.log(
        `  ${symbol[r.action!].padEnd(2)} ${r.kind} ${r.awsName ?? r.name}: ${kept ?? `${r.action}${r.because?.length ? ` (${r.because.join(", ")})` : ""}`}`,
      );
    }
    const decisions = (outputs.promotionDecisions ?? {}) as Record<string, string>;
    if (Object.keys(decisions).length > 0) section("Promotion gate");
    // Versions by their id (the ARN's last part), as the models page names them.
    for (const [campaign, decision] of Object.entries(decisions))
      console.log(`  ${campaign}: ${decision.replace(VERSION_ARN, ".../$1")}`);
    // The notification's summary is the decision just said: its event and resource only.
    for (const message of (rehearsal.emulator!.store.messages as { message: string }[]).slice(
      heard,
    )) {
      const body = JSON.parse(message.message);
      if (body.status === "PROMOTION_REFUSED")
        console.log(`  published ${body.status} for ${body.resource} to the stack's topic`);
    }
    summary.retrain = {
      outputs,
      changes: changes.map((r) => ({
        kind: r.kind,
        name: r.awsName ?? r.name,
        action: r.action!,
        because: r.because,
      })),
      promotionDecisions: decisions,
      metrics: (outputs.solutionVersionMetrics ?? {}) as Record<string, Record<string, number>>,
    };
    return true;
  } finally {
    fs.rmSync(next, { recursive: true, force: true });
  }
}
