import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkDataCommand } from "../data/cli";
import { main as renderParams } from "../params/render";
import { ROOT } from "./helpers/fixtures";

/** Each message names the fix at the point of failure (issue 20, item 6). */
describe("messages that name the fix where the command fails", () => {
  const params = path.join(ROOT, "example/params.json");

  it("check-data on a folder that does not exist says so (not 0 rows below Personalize's minimum)", async () => {
    await assert.rejects(
      checkDataCommand({ params, data: "/no/such/folder" }, () => undefined),
      /--data: folder "\/no\/such\/folder" does not exist; give the folder holding Interactions\/, Items\/ and Users\//,
    );
  });

  it("check-data refusing a row Personalize would refuse names --write-clean", async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), "refused-row-"));
    fs.cpSync(path.join(ROOT, "example/data"), data, { recursive: true });
    const interactions = path.join(data, "Interactions/interactions.csv");
    fs.appendFileSync(interactions, "1,7,yesterday,watch\n");
    const printed: string[] = [];
    try {
      const code = await checkDataCommand({ params, data }, (line) => printed.push(line));
      assert.strictEqual(code, 1);
      assert.match(
        printed.join("\n"),
        new RegExp(
          `npm run check-data -- --params ${params.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} --data ${data} --write-clean <dir> writes a copy without them`,
        ),
      );
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });

  it("npm run params into a stack file without dataDir or dataLocation warns that the preview refuses it, with the command that names the data", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-stack-"));
    const cwd = process.cwd();
    const warned: string[] = [];
    const warn = console.warn;
    const log = console.log;
    console.warn = (line: string) => warned.push(line);
    console.log = () => undefined;
    try {
      fs.copyFileSync(params, path.join(dir, "my-params.json"));
      process.chdir(dir);
      assert.strictEqual(renderParams(["my-params.json", "--stack", "prod"]), 0);
      assert.ok(
        warned.some((w) =>
          /Pulumi\.prod\.yaml: .*neither personalize-mlops:dataDir nor personalize-mlops:dataLocation is set.*pulumi config set personalize-mlops:dataDir <folder> --stack prod.*pulumi preview refuses the stack/.test(
            w,
          ),
        ),
        warned.join("\n"),
      );
    } finally {
      process.chdir(cwd);
      console.warn = warn;
      console.log = log;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
