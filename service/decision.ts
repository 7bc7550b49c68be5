/**
 * One row of the decision table (`decisions.ts`): a class of input, what the service does with it
 * and the evidence, and what each of the project's readers does. Apart from the table so that its
 * blocks (`decisions.lenient.ts`, `decisions.edges.ts`) read the row's type without a cycle.
 */
/** What the service does with an input. */
export type ServiceAnswer =
  | "accepts"
  | "refuses"
  /** Accepted by the Create call; the import job then ends CREATE FAILED. */
  | "import fails"
  /** Neither documented nor recorded: the project's choice, with its reason in the evidence. */
  | "undocumented";

/** What one of the project's readers does with an input. */
export type Handling =
  /** Takes it without a word. */
  | "accepts"
  /** Takes it and says so, naming where and the fix. */
  | "warns"
  /** Stops with one message naming where, the value and the fix. */
  | "refuses"
  /** The emulator: the import job ends ACTIVE (the Create call accepted). */
  | "imports"
  /** The emulator: the import job ends CREATE FAILED with the reason. */
  | "import fails"
  /** The reader never sees this input. */
  | "n/a";

export interface Decision {
  /** Short and stable: the test finds each row's probes by it. */
  id: string;
  /** The issue and item it comes from, e.g. "29.1". */
  issue: string;
  /** The class of input, as a user meets it, with an example. */
  input: string;
  service: ServiceAnswer;
  /** The citation or recording; for "undocumented", what the project chose and why. */
  evidence: string;
  /** `npm run params`. */
  params: Handling;
  /** `pulumi preview` (and `up` before anything is created): `checkPipelineConfig`. */
  preview: Handling;
  /** `npm run check-data`. */
  checkData: Handling;
  emulator: Handling;
}
