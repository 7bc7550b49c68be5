/** A Personalize tag, botocore's `Tag` shape (tagKey 1 to 128 characters, tagValue 0 to 256): the one
 *  type the params, the providers and the emulator share. */
export interface Tag {
  tagKey: string;
  tagValue: string;
}
