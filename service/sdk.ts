/**
 * The service's requests and answers as `@aws-sdk/client-personalize` types them (`import type`:
 * nothing of the SDK is loaded at run time). An operation is named as the SDK names its command
 * (`DescribeCampaign` for `DescribeCampaignCommand`); a kind's Create request and Describe answer
 * follow Personalize's naming rule (service/kinds.ts `apiOf`), so `DescribedOf<"Campaign">` is
 * `DescribeCampaignResponse["campaign"]`: a misspelled member of either fails to compile.
 */
import type * as Sdk from "@aws-sdk/client-personalize";

type Exports = typeof Sdk;
/** A Personalize operation's name (`DescribeCampaign`): each `<Operation>Command` the SDK exports. */
export type Operation = {
  [K in keyof Exports]: K extends `${infer Op}Command`
    ? Op extends "" | `$${string}`
      ? never
      : Op
    : never;
}[keyof Exports];
type CommandOf<Op extends Operation> = `${Op}Command` extends keyof Exports
  ? Exports[`${Op}Command`]
  : never;
/** The request of an operation, as the SDK types it (`DescribeCampaignRequest`). */
export type InputOf<Op extends Operation> = NonNullable<ConstructorParameters<CommandOf<Op>>[0]>;
/** The answer of an operation, as the SDK types it (`DescribeCampaignResponse`). */
export type OutputOf<Op extends Operation> =
  InstanceType<CommandOf<Op>> extends {
    resolveMiddleware(...args: any[]): (...args: any[]) => Promise<{ output: infer O }>;
  }
    ? O
    : never;

type CreatedBy<Op> = Op extends `Create${infer K}`
  ? `Describe${K}` extends Operation
    ? K
    : never
  : never;
/** Every kind the service creates and describes: `CreateCampaign` → `Campaign`. */
export type Creatable = CreatedBy<Operation>;

/** A kind's Create request (`CreateCampaignRequest`). */
export type CreateRequestOf<K extends Creatable> = InputOf<`Create${K}`>;

/** A kind as its Describe answers it (`DescribeCampaignResponse["campaign"]`: the SDK's `Campaign`). */
export type DescribedOf<K extends Creatable> = NonNullable<
  OutputOf<`Describe${K}`>[Uncapitalize<K> & keyof OutputOf<`Describe${K}`>]
>;

/**
 * The members `R` (required) and `O` (optional) of a request, typed as the SDK types them: a
 * kind's inputs take the request's fields they send under the request's own names
 * (`interface CampaignInputs extends Members<CreateRequestOf<"Campaign">, "name", ...>`). The SDK
 * types a required member `string | undefined`; here it is required and defined.
 */
export type Members<T, R extends keyof T, O extends keyof T = never> = {
  [F in R]-?: NonNullable<T[F]>;
} & { [F in O]?: T[F] };
