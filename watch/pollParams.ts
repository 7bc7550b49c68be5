/**
 * The params for one poll of the watcher, as stackConfig/read.ts found them: the stack's own
 * `personalize-mlops:params`, or the file at its `paramsLocation` (read again only when its version
 * changed, then parsed in any dialect, to be rendered into the stack file before the run); or why
 * they are refused, with the key the refusal is said once under.
 */
import { ParamsError, parseParamsText, type Params } from "../params";
import { configKey } from "../stackConfig/keys";
import type { StackParams } from "../stackConfig/read";
import { ParamsLocation, paramsLocationProblem } from "./paramsLocation";

export type PolledParams =
  | { params: unknown; from: string; render?: Params }
  | { refused: string[]; key: string; from: string };

export class PollParams {
  private paramsLocation?: ParamsLocation;

  constructor(
    /** Where a relative local paramsLocation is resolved: the project folder. */
    private readonly workDir: string,
  ) {}

  /** The params for this poll: the paramsLocation file when the stack names one, else the stack's config. */
  async of(read: StackParams): Promise<PolledParams> {
    const from = `the stack's ${configKey("params")}`;
    if ("missing" in read) return { refused: [read.missing], key: read.missing, from };
    if ("value" in read) return { params: read.value, from };
    const { location } = read;
    const problem = paramsLocationProblem(location);
    if (problem) return { refused: [problem], key: problem, from: location };
    if (this.paramsLocation?.location !== location)
      this.paramsLocation = new ParamsLocation(location, this.workDir);
    let file;
    try {
      file = await this.paramsLocation.read();
    } catch (e) {
      const message = `${location}: cannot read it: ${(e as Error).message}`;
      return { refused: [message], key: message, from: location };
    }
    if (!file) {
      const message = `${location}: no params file there; put the pipeline's params file there (${configKey("paramsLocation")})`;
      return { refused: [message], key: message, from: location };
    }
    try {
      const { params } = parseParamsText(file.text, file.where);
      return { params, from: location, render: params };
    } catch (e) {
      const problems =
        e instanceof ParamsError
          ? e.problems.map((p) => `${location}: ${p}`)
          : [(e as Error).message];
      return { refused: problems, key: `${location}@${file.version}`, from: location };
    }
  }
}
