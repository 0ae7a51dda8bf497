/**
 * Base64url without padding (RFC 4648 §5), for PKCE verifiers, challenges and states.
 *
 * @module
 */

/** Encode bytes as base64url without `=` padding. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
