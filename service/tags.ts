/** A Personalize tag, botocore's `Tag` shape (tagKey 1 to 128 characters, tagValue 0 to 256): the one
 *  type the params, the providers and the emulator share. */
export interface Tag {
  tagKey: string;
  tagValue: string;
}

/** The project's tag naming the stack that made a resource (`<project>/<stack>`), written by the
 *  providers at create (providers/ownership.ts): one of the resource's 50, not the params'. */
export const OWNER_TAG_KEY = "personalize-mlops:stack";
/** The params' share of a resource's 50 tags (the guide's "Maximum number of tags per resource –
 *  50"): one is the owner tag. */
export const OWN_TAGS_PER_RESOURCE = 49;
