import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { dataRows, peakRss } from "../rehearsal/benchData";
import { dataGoals } from "../rehearsal/benchDataReport";
import { writeWideData } from "../rehearsal/wideData";

describe("the bench's data on a shop's scale", () => {
  const dirs: string[] = [];
  const folder = () => {
    dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), "wide-data-")));
    return dirs[dirs.length - 1];
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("draws interactions/20 users and interactions/200 items of power-law popularity, the same for a seed", () => {
    const [a, b] = [folder(), folder()];
    const shape = { interactions: 40_000 };
    assert.deepStrictEqual(writeWideData(a, shape), writeWideData(b, shape));
    const file = (dir: string) => fs.readFileSync(path.join(dir, "Interactions/interactions.csv"));
    assert.ok(file(a).equals(file(b)), "the same bytes from the same seed");
    const rows = file(a).toString().trim().split("\n").slice(1);
    assert.strictEqual(rows.length, 40_000);
    const users = new Set(rows.map((r) => r.split(",")[0]));
    assert.ok(users.size > 1_900 && users.size <= 2_000, `${users.size} users of 2,000`);
    const perItem = new Map<string, number>();
    for (const r of rows) perItem.set(r.split(",")[1], (perItem.get(r.split(",")[1]) ?? 0) + 1);
    const counts = [...perItem.values()].sort((x, y) => y - x);
    // Zipf(1) over 240 items: the first takes 1/H(240) ≈ 16% of rows, the tenth a tenth of that.
    assert.ok(Math.abs(counts[0] / rows.length - 0.164) < 0.02, `top item ${counts[0]}`);
    assert.ok(Math.abs(counts[9] / counts[0] - 0.1) < 0.04, `tenth item ${counts[9]}`);
    assert.strictEqual(writeWideData(folder(), { interactions: 1_000, users: 900 }).users, 900);
  });

  it("takes a row's peak RSS as the median of its rounds' peaks, not one round's", () => {
    // One low round (183 MB where others of the same files peak near 200) is not the figure.
    assert.deepStrictEqual(peakRss({ firstPreview: [247, 251, 244], checkData: [183, 204, 196] }), {
      firstPreview: 247,
      checkData: 196,
    });
  });

  it("runs the large rows only when asked, and sets each figure beside its goal", () => {
    assert.deepStrictEqual(
      dataRows(false).map((r) => r.interactions),
      [1e4, 1e6, 5e6],
    );
    assert.deepStrictEqual(
      dataRows(true, [2e7]).map((r) => [r.users, r.large]),
      [
        [1e6, true],
        [1e7, true],
      ],
    );
    const point = (users: number, rss: number, mbps: number) =>
      ({
        interactions: 2e7,
        users,
        firstPreviewMBps: mbps,
        checkDataMBps: mbps,
        firstPreview: { maxRssMB: rss },
        checkDataMaxRssMB: rss,
      }) as never;
    const goals = dataGoals({
      examplePreviewMs: 0,
      points: [point(1e6, 300, 250), point(1e7, 340, 150)],
    });
    const met = (figure: string) =>
      goals.filter((g) => g.figure.startsWith(figure)).map((g) => g.met);
    assert.deepStrictEqual(met("first preview MB/s"), [true, false]);
    assert.deepStrictEqual(met("check-data peak RSS MB"), [true, true]);
    assert.deepStrictEqual(
      goals.filter((g) => g.figure.includes("1e7 users over 1e6")).map((g) => [g.value, g.met]),
      [
        ["1.133", false],
        ["1.133", false],
      ],
    );
  });
});
