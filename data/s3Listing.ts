/**
 * ListObjectsV2 pages read from the response's XML by this module instead of the AWS SDK's
 * deserializer. A listing is the watcher's poll: at 100,000 objects, 100 pages, and the SDK's
 * XML parser (a tree of every element, each text node decoded, each date parsed into a Date)
 * took about 1.6 s of a 4–7 s idle poll and made the garbage of 100,000 objects' trees. A page here is
 * the four fields a listing uses per object, found with one regular expression each.
 *
 * The request still goes through the SDK (credentials, signing, endpoint, retries, deadlines):
 * a middleware inside the SDK's deserializer takes a successful ListObjectsV2 response's body,
 * keeps its page, and hands the SDK an empty result to parse. Any other response (an error, any
 * other command) is the SDK's as before.
 */

/** One object of a page, as the SDK's output names its fields. */
export interface ListedObject {
  Key: string;
  Size: number;
  ETag: string;
  LastModified?: string;
}

/** A page, as the SDK's ListObjectsV2 output names its fields. */
export interface ListingPage {
  Contents: ListedObject[];
  CommonPrefixes: { Prefix: string }[];
  IsTruncated: boolean;
  NextContinuationToken?: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** XML text with its entities (named, decimal and hex) replaced by their characters. */
export function xmlText(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (entity, name: string) =>
    name[0] === "#"
      ? String.fromCodePoint(
          name[1] === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10),
        )
      : (ENTITIES[name] ?? entity),
  );
}

const field = (xml: string, name: string): string | undefined => {
  const open = xml.indexOf(`<${name}>`);
  if (open < 0) return undefined;
  const start = open + name.length + 2;
  return own(xmlText(xml.slice(start, xml.indexOf(`</${name}>`, start))));
};

/**
 * A string of its own: a slice of the page would keep the whole page's XML (about 250 KB) alive
 * as long as any of its keys or ETags is kept (the listing's 25 MB at 100,000 objects). V8 keeps
 * a slice of 13 characters or more as a view on its parent; a round trip through a Buffer copies.
 */
const own = (text: string) =>
  text.length < 13 ? text : Buffer.from(text, "utf8").toString("utf8");

/**
 * A ListObjectsV2 response body (ListBucketResult) as a page. Its token is read at once; its
 * objects and prefixes when first asked for, so a listing can ask for the next page first and
 * read this one's objects while the next is on its way.
 */
export function parseListingPage(xml: string): ListingPage {
  const token = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml);
  let contents: ListedObject[] | undefined;
  let prefixes: { Prefix: string }[] | undefined;
  return {
    IsTruncated: /<IsTruncated>\s*true\s*<\/IsTruncated>/.test(xml),
    ...(token && { NextContinuationToken: xmlText(token[1]) }),
    get Contents() {
      return (contents ??= [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map(
        ([, inner]) => ({
          Key: field(inner, "Key") ?? "",
          Size: Number(field(inner, "Size") ?? 0),
          ETag: field(inner, "ETag") ?? "",
          LastModified: field(inner, "LastModified"),
        }),
      ));
    },
    get CommonPrefixes() {
      return (prefixes ??= [...xml.matchAll(/<CommonPrefixes>([\s\S]*?)<\/CommonPrefixes>/g)].map(
        ([, inner]) => ({ Prefix: field(inner, "Prefix") ?? "" }),
      ));
    },
  };
}

/** Pages read by the inner middleware, by the call's context (one per command sent). */
const pages = new WeakMap<object, ListingPage>();
const EMPTY = new TextEncoder().encode("<ListBucketResult></ListBucketResult>");
const installed = new WeakSet<object>();

async function bodyText(body: any): Promise<string> {
  if (body instanceof Uint8Array) return Buffer.from(body).toString("utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** Installs the two middlewares on an S3 client (once). */
function install(client: any): void {
  if (installed.has(client)) return;
  installed.add(client);
  const listing = (context: any) => context.commandName === "ListObjectsV2Command";
  // Inside the SDK's deserializer: the page is read here, and the SDK parses an empty result.
  client.middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      const result = await next(args);
      if (!listing(context) || result.response?.statusCode !== 200) return result;
      pages.set(context, parseListingPage(await bodyText(result.response.body)));
      result.response.body = EMPTY;
      return result;
    },
    { step: "deserialize", priority: "low", name: "personalizeMlopsListingPage" },
  );
  // Outermost: the page read above becomes the command's output.
  client.middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      const result = await next(args);
      const page = listing(context) ? pages.get(context) : undefined;
      // Its getters kept (Object.assign would read the objects now).
      if (page) Object.defineProperties(result.output, Object.getOwnPropertyDescriptors(page));
      return result;
    },
    { step: "initialize", priority: "high", name: "personalizeMlopsListingOutput" },
  );
}

/** One ListObjectsV2 page through `client` (an S3Client of `S3`, @aws-sdk/client-s3). */
export async function listPage(
  S3: any,
  client: any,
  input: { Bucket: string; Prefix?: string; ContinuationToken?: string; Delimiter?: string },
): Promise<ListingPage> {
  install(client);
  return client.send(new S3.ListObjectsV2Command(input));
}
