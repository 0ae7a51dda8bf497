/**
 * The links the page may carry, shared by data.ts (which checks the workspace's URLs) and the
 * browser script (which builds the Discogs links): release pages from release ids, anything else
 * only over https.
 *
 * @module
 */

/** Whether `url` is an https URL (the only remote links and covers the page uses). */
export function isHttpsUrl(url: unknown): url is string {
  return typeof url === "string" && /^https:\/\//i.test(url);
}

/** The Discogs release page of a release id. */
export function releaseUrl(releaseId: number): string {
  return `https://www.discogs.com/release/${Number(releaseId)}`;
}
