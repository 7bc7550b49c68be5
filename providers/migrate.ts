/**
 * `npm run migrate-state -- [--stack <name>]`: moves a stack deployed before the providers were
 * kept by name onto them entirely. After one `pulumi up` with this release, each resource's
 * inputs hold its provider by name, but the outputs of a resource the up left unchanged still
 * hold the old copy of its code, and Pulumi runs that copy to refresh or delete it. This copies
 * each Personalize resource's provider from its inputs into its outputs (`pulumi stack export`,
 * then `pulumi stack import`; nothing else in the state changes), so a fix to a provider reaches
 * every resource of the stack. Run it where `pulumi` runs for the stack (the same backend and
 * passphrase), after a `pulumi up`.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCommandLine, runCommand, type CommandSpec } from "../cli/args";

const BY_NAME = /require\("personalize-mlops-providers\/\w+\.js"\)/;

interface Resource {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** The resources whose outputs hold a provider other than the one by name their inputs hold. */
export function migrate(resources: Resource[]): { moved: string[]; notYet: string[] } {
  const moved: string[] = [];
  const notYet: string[] = [];
  for (const r of resources) {
    if (!r.type.startsWith("pulumi-nodejs:dynamic/personalize:") || !r.outputs) continue;
    const byName = r.inputs?.__provider;
    if (typeof byName !== "string" || !BY_NAME.test(byName)) {
      notYet.push(r.urn);
      continue;
    }
    if (r.outputs.__provider === byName) continue;
    r.outputs.__provider = byName;
    moved.push(r.urn);
  }
  return { moved, notYet };
}

const MIGRATE_STATE: CommandSpec = {
  command: "npm run migrate-state",
  summary: [
    "Copies each Personalize resource's provider by name from its inputs into its outputs",
    "(pulumi stack export, then import), for a stack deployed before the providers were kept by",
    "name, after one pulumi up with this release. Run it where pulumi runs for the stack.",
  ].join("\n"),
  options: { "--stack": { value: "<name>", help: "the stack (default: the selected one)" } },
};

function main(argv: string[]): void {
  const named = parseCommandLine(MIGRATE_STATE, argv).value("--stack");
  const stack = named === undefined ? [] : ["--stack", named];
  const pulumi = (...args: string[]) =>
    execFileSync("pulumi", [...args, ...stack], { encoding: "utf8", maxBuffer: 1 << 30 });
  const exported = JSON.parse(pulumi("stack", "export"));
  const { moved, notYet } = migrate(exported.deployment.resources ?? []);
  if (notYet.length > 0) {
    console.error(
      `${notYet.length} resource(s) do not hold their provider by name yet (${notYet[0]}, ...): ` +
        "run `pulumi up` with this release first, then this again. Nothing was changed.",
    );
    process.exit(1);
  }
  if (moved.length === 0) return console.log("Every resource already holds its provider by name.");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "migrate-state-")), "stack.json");
  fs.writeFileSync(file, JSON.stringify(exported));
  pulumi("stack", "import", "--file", file);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  console.log(`${moved.length} resource(s) now refresh and delete with the project's providers.`);
}

if (require.main === module) runCommand(main, (e) => `migrate-state: ${e.message}`);
