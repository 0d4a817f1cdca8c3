// Safety on every page: the quick exit (click, or Shift pressed 3 times) and forgetting
// answers whenever the page is hidden or comes back from the back/forward cache.
const SHIFT_PRESSES = 3;
const SHIFT_WINDOW_MS = 2000;

function exitLink() {
  return document.querySelector("[data-quick-exit]");
}

// Clears every form on the page and tells other modules to drop what they hold in memory.
export function forgetAnswers() {
  for (const form of document.forms) form.reset();
  document.dispatchEvent(new CustomEvent("bb:forget"));
}

export function quickExit() {
  const link = exitLink();
  const target = link ? link.href : "about:blank";
  document.documentElement.classList.add("bb-exiting"); // blanks the page at once (CSS)
  document.title = "";
  forgetAnswers();
  location.replace(target);
}

document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("[data-quick-exit]");
  if (!link) return;
  event.preventDefault();
  quickExit();
});

let shiftTimes = [];
document.addEventListener("keydown", (event) => {
  if (event.key !== "Shift" || event.repeat) return;
  const now = performance.now();
  shiftTimes = [...shiftTimes.filter((t) => now - t < SHIFT_WINDOW_MS), now];
  if (shiftTimes.length >= SHIFT_PRESSES) {
    shiftTimes = [];
    quickExit();
  }
});

addEventListener("pagehide", forgetAnswers);
addEventListener("pageshow", (event) => {
  document.documentElement.classList.remove("bb-exiting");
  if (event.persisted) forgetAnswers();
});

// Keep the quick exit the first tab stop: move it before Material's skip link, on every
// page view (navigation.instant re-renders the banner that holds it).
function placeExitFirst() {
  const links = document.querySelectorAll("[data-quick-exit]");
  const link = links[links.length - 1];
  if (!link) return;
  for (const old of links) if (old !== link) old.remove();
  if (document.body.firstElementChild !== link) document.body.prepend(link);
}

if (typeof document$ !== "undefined") document$.subscribe(placeExitFirst);
else placeExitFirst();
