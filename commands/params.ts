/**
 * `npm run params -- <params.json> [--stack <name>] [--data <folder>]` (or `--from-dataset-group
 * <arn> [--out <file>]`, commands/fromDatasetGroup.ts, which writes a params file): checks a params file of any
 * dialect and renders it into Pulumi.<stack>.yaml (stackConfig/render.ts), then prints the bill of
 * deploying it from nothing (billing/params.ts; the data's size from `--data` or the stack's
 * `dataDir`). A command joins rooms (params, data, billing) that do not import one another, so it
 * lives on the top floor, which nothing imports.
 */
import * as fs from "fs";
import { billOfParams } from "../billing/params";
import { PRICES_KEY, pricesFrom } from "../billing/prices";
import { parseCommandLine, runCommand, usageLine, UsageError } from "../cli/args";
import { PARAMS_COMMAND, render } from "../stackConfig/render";
import { writeFromDatasetGroup } from "./fromDatasetGroup";

/** Renders, then prints the bill of what was rendered (what `npm run params` runs). */
export async function renderAndBill(argv: string[]): Promise<number> {
  const line = parseCommandLine(PARAMS_COMMAND, argv);
  const group = line.value("--from-dataset-group");
  if (group !== undefined) {
    if (line.positional.length > 0)
      throw new UsageError(
        `--from-dataset-group writes a params file; give no <params.json> with it\n${usageLine(PARAMS_COMMAND)}`,
      );
    return writeFromDatasetGroup(group, line.value("--out"), usageLine(PARAMS_COMMAND));
  }
  if (line.value("--out") !== undefined)
    throw new UsageError(
      `--out names the file --from-dataset-group writes; a params file renders into Pulumi.<stack>.yaml (--stack)\n${usageLine(PARAMS_COMMAND)}`,
    );
  const { code, rendered } = render(argv);
  if (!rendered) return code;
  const { params, config, dataDir, given } = rendered;
  const { prices, problems } = pricesFrom(config[PRICES_KEY]);
  for (const problem of problems)
    console.warn(`warning: ${problem} (the bill uses the table's rate)`);
  const found = dataDir !== undefined && fs.existsSync(dataDir);
  if (given && !found) {
    console.error(
      `--data: folder "${dataDir}" does not exist; give the folder holding Interactions/, Items/ and Users/`,
    );
    return 2;
  }
  // The stack's dataDir may be a folder where the stack runs, not here: its size is then unknown.
  console.log(await billOfParams(params, prices, found ? dataDir : undefined));
  return code;
}

if (require.main === module) runCommand(renderAndBill);
