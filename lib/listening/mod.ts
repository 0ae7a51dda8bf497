/**
 * Taste from what you play: Spotify and Last.fm listening history (export files and live
 * accounts) imported into `listening`, matched to Discogs masters, and turned into what the
 * collector plays but does not own, what they own but never play, and a taste weighting.
 *
 * @module
 */

export * from "./formats.ts";
export * from "./import.ts";
export * from "./names.ts";
export * from "./match.ts";
export * from "./analyse.ts";
export * from "./demo.ts";
export * from "./played.ts";
