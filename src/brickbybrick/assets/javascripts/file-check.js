// @ts-check
// Inlined into the <head> of quiz pages (hashed in the CSP), a classic script: browsers refuse
// module scripts and module workers to a page opened from a file, so nothing else can run there.
// It marks the page, and CSS shows each quiz's note that it cannot be scored here.
if (location.protocol === "file:") document.documentElement.classList.add("bb-file");
