/**
 * `npm run demo -- [--params <file>] [--data <dir>] [--time-scale <f>] [--keep]`
 *
 * The whole pipeline on the local emulator: deploy (as `pulumi up` would), show the outputs,
 * metrics, recommendations and notifications, then tear everything down and check that nothing
 * is left. No AWS account, no Pulumi CLI.
 */
import * as fs from "fs";
import { numberValue, parseCommandLine, runCommand, type CommandSpec } from "../cli/args";
import { interactionsPlace } from "./demo/interactionsPlace";
import { ParamsError, readParamsFile } from "../params";
import { batchReport, modelsPage, recommenderReport, report } from "./demo/reports";
import { retrain } from "./demo/retrain";
import { describeFailure, section, type DemoOptions, type DemoSummary } from "./demo/summary";
import { Rehearsal } from "./engine";
import { LiveView, onAws } from "./view";
import { configKey } from "../stackConfig/keys";

export type { DemoOptions, DemoSummary } from "./demo/summary";

export const DEFAULT_TIME_SCALE = 0.002;

export const DEMO: CommandSpec = {
  command: "npm run demo",
  summary: [
    "The whole pipeline on the local Personalize emulator, as pulumi up would deploy it: the",
    "outputs, metrics, recommendations, batch results and notifications; new data and a second",
    "deploy; then everything torn down. No AWS account, no Pulumi CLI.",
  ].join("\n"),
  options: {
    "--params": { value: "<file>", help: "the params file (default example/params.json)" },
    "--data": { value: "<dir>", help: "the data folder (default example/data)" },
    "--time-scale": {
      value: "<f>",
      help: `multiplies every Personalize duration (default ${DEFAULT_TIME_SCALE}: an hour of training takes 7 s)`,
    },
    "--keep": { help: "leave the pipeline up and print how to query it" },
    "--no-retrain": { help: "skip the second deploy with new data" },
    "--json": { value: "<file>", help: "also write what the demo saw as JSON" },
    "--report": {
      value: "<file.html>",
      help: "where the models page goes (default: a new temporary folder)",
    },
  },
};

export function parseDemoArgs(argv: string[]): DemoOptions {
  const line = parseCommandLine(DEMO, argv);
  const timeScale = line.value("--time-scale");
  return {
    params: line.value("--params") ?? "example/params.json",
    data: line.value("--data") ?? "example/data",
    timeScale:
      timeScale === undefined
        ? DEFAULT_TIME_SCALE
        : numberValue(DEMO, "--time-scale", timeScale, { above: 0 }),
    keep: line.has("--keep"),
    ...(line.has("--no-retrain") && { noRetrain: true }),
    ...(line.value("--json") !== undefined && { json: line.value("--json") }),
    ...(line.value("--report") !== undefined && { report: line.value("--report") }),
  };
}

function notifications(rehearsal: Rehearsal, summary: DemoSummary): void {
  section("Notifications published to the stack's topic");
  for (const message of rehearsal.emulator!.store.messages as { message: string }[]) {
    const body = JSON.parse(message.message);
    summary.notifications.push(body);
    console.log(`  ${body.status}: ${body.summary}`);
  }
  // Every resource's state changes, put on EventBridge in the AWS Solution's shape (README: Events).
  const events = rehearsal.emulator!.store.events;
  if (events.length === 0) return;
  const buses = [...new Set(events.map((e) => e.eventBusName))].join(", ");
  const ends = events.filter((e) => e.event["detail-type"] === "Personalize Pipeline State Change");
  const changes = events.filter((e) => !ends.includes(e));
  const resources = new Set(changes.map((e) => e.event.resources[0])).size;
  const end = ends.map((e) => ` and the run's end (${e.event.detail.Status})`).pop() ?? "";
  console.log(
    `  EventBridge (bus ${buses}): ${changes.length} state change(s) of ${resources} resource(s)${end}, in the AWS Solution's shape`,
  );
}

export async function runDemo(options: DemoOptions): Promise<number> {
  const started = Date.now();
  const { params, dialect } = readParamsFile(options.params);
  console.log(
    `Rehearsing ${options.params} (${dialect} dialect) with data from ${options.data}, time scale ${options.timeScale}`,
  );

  // Assigned once the rehearsal it watches has started; read by the rehearsal's callback.
  // eslint-disable-next-line prefer-const
  let view: LiveView | undefined;
  const rehearsal = await Rehearsal.start({
    timeScale: options.timeScale,
    onChange: (r) => view?.changed(r),
  });
  view = new LiveView(options.timeScale);
  let exitCode = 0;
  const summary: DemoSummary = {
    ok: false,
    outputs: {},
    metrics: {},
    recommendations: [],
    batchResults: [],
    notifications: [],
    failures: [],
    inventoryAfterTeardown: [],
    seconds: {},
  };
  try {
    section("Deploying (as pulumi up)");
    view.start();
    const deployStarted = Date.now();
    const config = {
      [configKey("params")]: JSON.stringify(params),
      [configKey("dataDir")]: options.data,
      "aws:region": "us-east-1",
    };
    const { outputs, failed } = await rehearsal.deploy(config);
    view.stop();
    const deployMs = Date.now() - deployStarted;
    summary.seconds.deploy = deployMs / 1000;
    summary.outputs = outputs;
    summary.failures = failed.map((r) => ({
      kind: r.kind,
      name: r.awsName ?? r.name,
      error: r.error,
    }));
    if (failed.length > 0) {
      console.error(`\nDeploy failed:\n${describeFailure(failed)}`);
      notifications(rehearsal, summary);
      exitCode = 1;
    } else {
      console.log(
        `\nDeployed in ${(deployMs / 1000).toFixed(1)} s (about ${onAws(deployMs, options.timeScale)} on AWS).`,
      );
      try {
        // Where the deploy found them: the Solution's train/<group>/interactions.csv too.
        const interactions = (await interactionsPlace(options.data, params)).files[0];
        await report(rehearsal, outputs, interactions, summary);
        await recommenderReport(rehearsal, outputs, interactions, summary);
        await batchReport(rehearsal, outputs, summary);
      } catch (e) {
        // Still tear down: a demo never leaves its resources behind.
        console.error(`\nThe report failed: ${(e as Error).message}`);
        summary.failures.push({ kind: "report", name: "demo", error: (e as Error).message });
        exitCode = 1;
      }
      notifications(rehearsal, summary);
      if (!options.noRetrain && !(await retrain(rehearsal, config, options, view, summary)))
        exitCode = 1;
      if (!(await modelsPage(rehearsal, options, summary))) exitCode = 1;
      if (options.keep) {
        // What the run saw is reported now, as without --keep: a failure above is not hidden by waiting.
        finish(summary, exitCode, started, options);
        console.log(
          `\nDemo kept running: ${exitCode === 0 ? "everything above succeeded" : "something above failed (exit code 1 on stop)"}.`,
        );
        // Listening before saying so: a Ctrl-C right after the line must stop, not kill, the demo.
        const stopped = new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
        section("Keeping the pipeline");
        console.log(`  The emulator serves it at ${rehearsal.endpoint}. For example:`);
        const campaign = Object.values(outputs.campaignArns ?? {})[0];
        console.log(
          `    AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws personalize-runtime get-recommendations --endpoint-url ${rehearsal.endpoint} --region us-east-1 --campaign-arn ${campaign} --user-id 1`,
        );
        console.log(`    curl ${rehearsal.endpoint}/_emulator/inventory`);
        console.log("  Press Ctrl-C to stop.");
        await stopped;
        return exitCode;
      }
    }

    section("Tearing down (as pulumi destroy)");
    view.reset();
    view.start();
    const failures = await rehearsal.destroy();
    view.stop();
    const left = rehearsal.emulator!.store.all();
    summary.inventoryAfterTeardown = left.map((r) => ({ arn: r.arn, kind: r.kind }));
    summary.failures.push(
      ...failures.map((r) => ({ kind: r.kind, name: r.awsName ?? r.name, error: r.error })),
    );
    if (failures.length > 0 || left.length > 0) {
      console.error(
        `\nTeardown left resources behind:\n${describeFailure(failures)}\n${left.map((r) => `  ${r.kind} ${r.arn}`).join("\n")}`,
      );
      exitCode = 1;
    } else {
      console.log("\nEverything deleted; the emulator's inventory is empty.");
    }
  } finally {
    view.stop();
    await rehearsal.close();
  }
  finish(summary, exitCode, started, options);
  console.log(
    `\n${exitCode === 0 ? "Demo finished" : "Demo failed"} in ${summary.seconds.total!.toFixed(1)} s.` +
      (summary.report ? ` The models page: ${summary.report}` : ""),
  );
  return exitCode;
}

/** The run's verdict and time, into the summary and its --json file. */
function finish(
  summary: DemoSummary,
  exitCode: number,
  started: number,
  options: DemoOptions,
): void {
  summary.ok = exitCode === 0;
  summary.seconds.total = (Date.now() - started) / 1000;
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(summary, null, 2));
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  runCommand(
    async (argv) => {
      const options = parseDemoArgs(argv);
      try {
        return await runDemo(options);
      } finally {
        // gRPC channels and SDK sockets may linger; the demo is done.
        setTimeout(() => process.exit(), 100).unref();
      }
    },
    (e) => (e instanceof ParamsError ? e.message : `demo: ${e.message}`),
  );
}
