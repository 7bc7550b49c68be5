/** Short, stable digests for resource names derived from content. */
import * as crypto from "crypto";

export function shortHash(...parts: (string | undefined)[]): string {
  return crypto.createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 8);
}
