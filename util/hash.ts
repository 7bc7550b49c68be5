/** The project's hashes: a fingerprint is the sha256 (hex) of what a resource reads; a digest, the short one in a derived name. */
import * as crypto from "crypto";

/** The sha256 of a text, in hex: a fingerprint. */
export function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

/** 8 hex digits of the sha256 of the parts (each ended by a NUL): a digest in a derived name. */
export function shortHash(...parts: (string | undefined)[]): string {
  return sha256(parts.join("\0")).slice(0, 8);
}
