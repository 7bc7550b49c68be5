/** A Personalize tag, in the SDK's form. */
export interface Tag {
  tagKey: string;
  tagValue: string;
}
