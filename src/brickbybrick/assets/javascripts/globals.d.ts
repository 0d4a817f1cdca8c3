// What the page's scripts use from outside themselves, for tsc --noEmit (never shipped to a page).

/** Material for MkDocs publishes every page view, navigation.instant ones included. */
declare const document$: { subscribe(callback: () => void): unknown } | undefined;
/** The theme's settings functions (memory.js keeps them in memory instead of storage). */
interface Window {
  __md_get: (name: string, storage?: Storage, scope?: URL) => unknown;
  __md_set: (name: string, value: unknown, storage?: Storage, scope?: URL) => void;
  __md_scope: URL;
}
