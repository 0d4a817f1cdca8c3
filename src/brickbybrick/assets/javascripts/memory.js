// @ts-check
// Material keeps its settings (the colour-scheme choice among them) with __md_get/__md_set in the
// browser's web storage, and writes the palette on every page load. A guide built
// with this plugin keeps nothing on the device: the same two functions, holding values in
// memory for this page view (navigation.instant keeps it across pages; a reload forgets).
// Inlined by the plugin right after the theme's inline script that defines them (a script file
// there would hold up the page's first paint).
(() => {
  const memory = new Map();
  const keyOf = (name, scope) => `${(scope || window.__md_scope).pathname}.${name}`;
  window.__md_get = (name, _storage, scope) => {
    const value = memory.get(keyOf(name, scope));
    return value === undefined ? null : JSON.parse(value);
  };
  window.__md_set = (name, value, _storage, scope) => {
    memory.set(keyOf(name, scope), JSON.stringify(value));
  };
})();
