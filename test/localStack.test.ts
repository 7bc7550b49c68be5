import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { writeScaledData } from "../example/generate-data";
import { localStack, parseLocalStackArgs, type LocalStackOptions } from "../local/stack";
import { ROOT } from "./helpers/fixtures";
import { processRuns } from "../util/process";

/**
 * `npm run local-stack` with several stacks in one project folder: each stack's data at its own
 * prefix, and an explicit --data put there, found there, or refused saying why. A stand-in
 * `pulumi` (it only has to select the stack) lets this run without the real CLI; the emulator is
 * the real one, started in the background as a user's is.
 */
describe("npm run local-stack: each stack its own data, and --data honoured or refused", function () {
  this.timeout(180_000);
  let project: string;
  let fakeCli: string;
  const path0 = process.env.PATH;

  before(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "local-stack-"));
    fakeCli = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
    for (const name of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"])
      fs.writeFileSync(path.join(fakeCli, name), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    process.env.PATH = `${fakeCli}${path.delimiter}${path0}`;
  });
  after(async () => {
    if (project) await localStack(options({ stop: true }), project, () => undefined);
    process.env.PATH = path0;
    for (const dir of [project, fakeCli]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const options = (o: Partial<LocalStackOptions>): LocalStackOptions => ({
    stack: "local",
    params: path.join(ROOT, "example/params.json"),
    timeScale: 0.002,
    stop: false,
    ...o,
  });
  const run = async (o: Partial<LocalStackOptions>) => {
    const lines: string[] = [];
    await localStack(options(o), project, (line) => lines.push(line));
    return lines.join("\n");
  };
  const dataLine = (output: string) => output.split("\n").find((l) => l.startsWith("Data: "));
  const lake = (...parts: string[]) => path.join(project, ".local-stack", "s3", "lake", ...parts);
  const config = (stack: string) =>
    YAML.parse(fs.readFileSync(path.join(project, `Pulumi.${stack}.yaml`), "utf8")).config;

  it("puts --data at the stack's own prefix, leaves the other stacks' alone, and refuses other data with the reason", async () => {
    const example = path.join(ROOT, "example/data");
    const mine = path.join(project, "my-data");
    writeScaledData(mine, 500);

    assert.match(
      dataLine(await run({ data: example }))!,
      /^Data: 5 file\(s\) of .*example\/data put at s3:\/\/lake\/local\/curated\/ \(the folder \.local-stack\/s3\/lake\/local\/curated\/\): Interactions\/ 1, Items\/ 1, Users\/ 1, batch\/ 2$/,
    );
    const other = await run({ stack: "other", data: mine });
    assert.match(
      dataLine(other)!,
      /^Data: 5 file\(s\) of .*my-data put at s3:\/\/lake\/other\/curated\//,
    );
    assert.strictEqual(
      config("other")["personalize-mlops:dataLocation"],
      "s3://lake/other/curated/",
    );
    assert.strictEqual(
      config("other")["personalize-mlops:outputLocation"],
      "s3://lake/other/results/",
    );
    assert.strictEqual(
      config("local")["personalize-mlops:dataLocation"],
      "s3://lake/local/curated/",
    );
    // One emulator, as one account: the other stack's Personalize names are its own.
    assert.strictEqual(config("other")["personalize-mlops:namePrefix"], "other-");
    assert.strictEqual(config("local")["personalize-mlops:namePrefix"], undefined);
    assert.deepStrictEqual(
      fs.readFileSync(lake("other", "curated", "Interactions", "interactions.csv")),
      fs.readFileSync(path.join(mine, "Interactions", "interactions.csv")),
    );

    // The same folder again, with a file the user added: found there, the added file kept.
    fs.writeFileSync(
      lake("other", "curated", "Interactions", "week-2.csv"),
      "USER_ID,ITEM_ID,TIMESTAMP\n",
    );
    assert.match(
      dataLine(await run({ stack: "other", data: mine }))!,
      /already holds the 5 file\(s\) of .*my-data and 1 other object\(s\) \(Interactions\/week-2\.csv\), kept$/,
    );
    // Another folder: refused, saying what differs and how to start again; nothing changed.
    await assert.rejects(
      run({ stack: "other", data: example }),
      /--data .*example\/data: s3:\/\/lake\/other\/curated\/ \(the folder \.local-stack\/s3\/lake\/other\/curated\/\) already holds other data \(3 of the 5 file\(s\) of .*example\/data missing there or different: Interactions\/interactions\.csv, Items\/items\.csv, Users\/users\.csv\); to put .* there instead, remove that folder \(this stack's data alone\) and run this again; to keep what is there, leave out --data/,
    );
    // No --data: what is there is kept, and said so.
    assert.match(
      dataLine(await run({ stack: "other" }))!,
      /already holds 6 object\(s\): kept as they are .*npm run local-stack -- --data <dir> --stack other\)$/,
    );

    // The advice followed: only this stack's data goes.
    fs.rmSync(lake("other", "curated"), { recursive: true });
    assert.match(dataLine(await run({ stack: "other", data: example }))!, /^Data: 5 file\(s\) of /);
    assert.ok(fs.existsSync(lake("local", "curated", "Items", "items.csv")), "local's data stays");
  });

  it("says which Pulumi CLI it uses, once: the one on PATH here (trial9: it said it was looking for one to build)", async () => {
    const said = (await run({})).split("\n").filter((l) => l.startsWith("Pulumi CLI"));
    assert.deepStrictEqual(said, [`Pulumi CLI: the pulumi on PATH, in ${fakeCli}`]);
  });

  it("--stop says the emulator stopped once its process is gone (trial10: it was still alive a second later)", async () => {
    await run({});
    const said = await run({ stop: true });
    const pid = Number(/^Emulator: stopped \(pid (\d+)\)\.$/m.exec(said)?.[1]);
    assert.ok(pid > 0, said);
    assert.strictEqual(processRuns(pid), false, `pid ${pid} still runs after: ${said}`);
  });

  it("exports the region for every client: AWS_REGION, and AWS_DEFAULT_REGION that aws-cli v1 reads", () => {
    const exported = Object.fromEntries(
      fs
        .readFileSync(path.join(project, ".local-stack", "env"), "utf8")
        .split("\n")
        .flatMap((l) => {
          const line = /^export (\w+)="(.*)"$/.exec(l);
          return line ? [[line[1], line[2]]] : [];
        }),
    );
    assert.ok(exported.AWS_REGION, JSON.stringify(exported));
    assert.strictEqual(exported.AWS_DEFAULT_REGION, exported.AWS_REGION);
  });

  it("reads its command line with the shared parser: a bad stack name or port is refused", () => {
    assert.deepStrictEqual(
      parseLocalStackArgs(["--stack", "other", "--data", "d", "--port=4570"]),
      {
        stack: "other",
        params: undefined,
        data: "d",
        port: 4570,
        timeScale: 0.002,
        stop: false,
      },
    );
    assert.throws(
      () => parseLocalStackArgs(["--stack", ".."]),
      /--stack: "\.\." is not a stack name/,
    );
    assert.throws(
      () => parseLocalStackArgs(["--port", "0"]),
      /--port: expected an integer of at least 1, got 0/,
    );
    assert.throws(() => parseLocalStackArgs(["--data"]), /--data needs a value \(<dir>\)/);
    assert.throws(
      () => parseLocalStackArgs(["--dta", "x"]),
      /unknown option --dta \(did you mean --data\?\)/,
    );
  });
});
