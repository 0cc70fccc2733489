// A SHA-256 digest as hex: what identifies a job's body and a cache entry's request. node:crypto's, which
// hashes on the spot: WebCrypto's digest hands the work to another thread and back, which under load
// costs more than the hashing.

import { createHash } from "node:crypto";

export function sha256Hex(text: string): Promise<string> {
  return Promise.resolve(createHash("sha256").update(text).digest("hex"));
}
