/** The classroom page's look: a table per race, text that wraps rather than being cut. */
export const STYLE = `
  body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem; color: #1d1d1f; background: #fff; max-width: 80rem; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin: 2.2rem 0 .3rem; } h3 { font-size: 1.05rem; margin: 1.6rem 0 .2rem; } h4 { font-size: 1rem; margin: .6rem 0 .2rem; }
  .help { color: #555; }
  .verdict { font-weight: 700; } .divergent, .impossible, .lost { color: #c62828; } .stale, .dirty { color: #b26a00; } .consistent { color: #2e7d32; }
  code { background: #f3f3f6; padding: .1rem .3rem; border-radius: 4px; font-size: .85rem; overflow-wrap: anywhere; }
  nav.index table, table.race { border-collapse: collapse; }
  nav.index td, nav.index th { padding: .15rem .8rem .15rem 0; text-align: left; vertical-align: top; }
  section.run { border-top: 1px solid #e3e3e8; padding-top: .4rem; outline: none; }
  section.run.active { border-top-color: #4a6fa5; }
  .controls { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin: .4rem 0; }
  .controls button { font: inherit; padding: .2rem .7rem; border: 1px solid #4a6fa5; border-radius: 6px; background: #e8f0fe; cursor: pointer; }
  .controls button:disabled { opacity: .4; cursor: default; }
  .now { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; padding: .4rem .7rem; background: #f6f7f9; border-radius: 6px; margin-bottom: .5rem; }
  .now .store b { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
  .now .what { flex-basis: 100%; overflow-wrap: anywhere; }
  .race-wrap { overflow-x: auto; }
  table.race { font: 13px/1.35 ui-monospace, SFMono-Regular, Menlo, monospace; table-layout: auto; }
  table.race th { text-align: left; padding: .25rem .5rem; border-bottom: 2px solid #ccd; font-weight: 700; }
  table.race td { padding: .2rem .5rem; vertical-align: top; border-bottom: 1px solid #eee; }
  table.race td.lane { min-width: 10rem; max-width: 22rem; }
  table.race td.value { white-space: normal; overflow-wrap: anywhere; max-width: 14rem; }
  table.race td.value.disagree { color: #b26a00; font-weight: 700; }
  table.race td.marks { min-width: 14rem; max-width: 30rem; }
  .label { display: block; overflow-wrap: anywhere; white-space: normal; }
  .label.step { background: #e8f0fe; border: 1px solid #4a6fa5; border-radius: 6px; padding: .15rem .4rem; }
  .label.step.failed { background: #fdecea; border-color: #c62828; }
  .label.step .name { font-weight: 700; } .label.step .sent { color: #555; font-family: system-ui, sans-serif; font-size: .8rem; }
  .label.mark { font-family: system-ui, sans-serif; margin: 0 0 .2rem; }
  .label.mark.diverged { color: #c62828; }
  .label.mark.stale-read, .label.mark.dirty-read { color: #b26a00; font-weight: 600; }
  .label.mark.disagree { color: #8a6d3b; }
  tr.diverged td { border-bottom: 2px solid #c62828; }
  tr.future { opacity: .28; } tr.future.diverged td { border-bottom-color: #f3d0d0; }
  tr.current td { background: #fff8d6; }
  ul.names { list-style: none; padding: 0; margin: .2rem 0 .5rem; } ul.names li { overflow-wrap: anywhere; }
  ul.reads li.stale, ul.reads li.dirty { color: #b26a00; }
  @media print { tr.future { opacity: 1; } .controls, .help { display: none; } }
`

/**
 * Steps each race back and forward: rows after the current one fade, the current one is lit, and
 * the panel above the table shows both stores' values after it. ← and → drive the race last
 * clicked or focused (the first one until then).
 */
export const STEPPER_SCRIPT = `
(function () {
  var races = Array.prototype.slice.call(document.querySelectorAll('section.run'));
  var active = races[0] || null;
  function rows(race) { return race.querySelectorAll('tbody tr.row'); }
  function show(race, at) {
    var all = rows(race);
    var last = all.length - 1;
    at = Math.max(0, Math.min(last, at));
    race.setAttribute('data-at', String(at));
    for (var i = 0; i < all.length; i++) {
      all[i].classList.toggle('future', i > at);
      all[i].classList.toggle('current', i === at);
    }
    var row = all[at];
    race.querySelector('.now .db').textContent = row.getAttribute('data-db');
    race.querySelector('.now .cache').textContent = row.getAttribute('data-cache');
    race.querySelector('.now .what').textContent = at === 0 ? 'before the first step' : 'after step ' + at + ': ' + row.getAttribute('data-what');
    race.querySelector('.position').textContent = at === 0 ? 'start (step 0 of ' + last + ')' : 'step ' + at + ' of ' + last;
    race.querySelector('button.back').disabled = at === 0;
    race.querySelector('button.forward').disabled = at === last;
  }
  function step(race, by) { show(race, Number(race.getAttribute('data-at')) + by); }
  function activate(race) {
    if (active) active.classList.remove('active');
    active = race;
    race.classList.add('active');
  }
  races.forEach(function (race) {
    show(race, 0);
    race.querySelector('button.back').addEventListener('click', function () { activate(race); step(race, -1); });
    race.querySelector('button.forward').addEventListener('click', function () { activate(race); step(race, 1); });
    race.addEventListener('pointerdown', function () { activate(race); });
    race.addEventListener('focusin', function () { activate(race); });
  });
  if (active) active.classList.add('active');
  document.addEventListener('keydown', function (event) {
    if (!active || event.altKey || event.ctrlKey || event.metaKey) return;
    var last = rows(active).length - 1;
    if (event.key === 'ArrowRight') step(active, 1);
    else if (event.key === 'ArrowLeft') step(active, -1);
    else if (event.key === 'Home') show(active, 0);
    else if (event.key === 'End') show(active, last);
    else return;
    event.preventDefault();
  });
})();
`
