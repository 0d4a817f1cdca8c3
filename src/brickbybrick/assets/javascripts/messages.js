// @ts-check
// The reader's words, from the guide's message catalogue: the build writes them, in the guide's
// language, into one attribute of every page (<meta name="bb-messages">). No script holds a word
// of its own: a key missing from the page shows as the key, which a test would catch.

/** @type {Record<string, string> | null} */
let words = null;

/** @returns {Record<string, string>} */
function all() {
  if (words === null) {
    const meta = document.querySelector('meta[name="bb-messages"]');
    words = meta instanceof HTMLMetaElement && meta.content ? JSON.parse(meta.content) : {};
  }
  return /** @type {Record<string, string>} */ (words);
}

/**
 * The message `key`, its `{placeholders}` filled in from `values`.
 * @param {string} key
 * @param {Record<string, string | number>} [values]
 * @returns {string}
 */
export function t(key, values = {}) {
  const template = all()[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (found, name) => (name in values ? String(values[name]) : found));
}

/**
 * `key.one` or `key.other`, by the language's rule, with `{count}` filled in.
 * @param {string} key
 * @param {number} count
 * @param {Record<string, string | number>} [values]
 * @returns {string}
 */
export function plural(key, count, values = {}) {
  const one = all()["plural.one"] === "n <= 1" ? count <= 1 : count === 1;
  return t(`${key}.${one ? "one" : "other"}`, { count, ...values });
}

/**
 * A figure as the language writes it (its decimal sign and minus).
 * @param {number} value
 * @param {number} decimals
 * @returns {string}
 */
export function number(value, decimals) {
  const text = Number.isInteger(value) ? String(value) : value.toFixed(decimals);
  return text.replace(".", all()["number.decimal"] ?? ".").replace("-", all()["number.minus"] ?? "-");
}
