import {staleViews} from '../check/divergence.js'
import type {Value} from '../history/types.js'
import {formatValue} from '../history/value.js'
import type {ExploreResult} from '../run/explore-scenario.js'
import type {RunResult} from '../run/result.js'
import {plural, pluralOrders} from '../util/plural.js'
import {replayCommand} from './history-lines.js'
import {verdictOf} from './json.js'
import {readWords, type RaceStory, tellRace} from './race-story.js'
import {STEPPER_SCRIPT, STYLE} from './html-assets.js'
import {writeReport} from './write-report.js'

/**
 * One self-contained HTML page (no network, one small inline script) a teacher can drive: for
 * each run, a table with one lane per actor and one row per step in the order the steps took
 * effect, both stores' values after each step, the step that made the stores disagree for good
 * with why in words, and the stale or dirty reads on the step that returned them. Back and
 * forward (buttons, ← and →) step through the race.
 */
export function renderHtmlReport(runs: readonly RunResult[], title: string): string {
  const sections = runs.map((run, i) => renderRun(run, `run-${i + 1}`, 'h2'))
  const index = runs.length > 1 ? renderIndex(runs.map((run, i) => ({id: `run-${i + 1}`, scenario: run.scenario, strategy: run.strategy, outcome: VERDICT_WORDS[verdictOf(run)], cls: verdictOf(run)}))) : ''
  return page(title, index + (sections.length > 0 ? sections.join('\n') : '<p>No run to show.</p>'))
}

/**
 * The explore page: for each scenario the counts ("1 of 10 orders diverged") and one steppable
 * example order for each kind of outcome that occurred: divergent, stale reads only, dirty reads,
 * consistent.
 */
export function renderExploreHtmlReport(results: readonly ExploreResult[], title: string): string {
  const sections = results.map((result, i) => renderExplore(result, `scenario-${i + 1}`))
  const index =
    results.length > 1
      ? renderIndex(results.map((r, i) => ({id: `scenario-${i + 1}`, scenario: r.scenario, strategy: r.strategy, outcome: countsText(r), cls: r.divergentOrders > 0 ? 'divergent' : r.staleOrders + r.dirtyOrders > 0 ? 'stale' : 'consistent'})))
      : ''
  return page(title, index + (sections.length > 0 ? sections.join('\n') : '<p>No scenario explored.</p>'))
}

export async function writeHtmlReport(file: string, runs: readonly RunResult[], title: string): Promise<void> {
  await writeReport(file, renderHtmlReport(runs, title))
}

export async function writeExploreHtmlReport(file: string, results: readonly ExploreResult[], title: string): Promise<void> {
  await writeReport(file, renderExploreHtmlReport(results, title))
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p class="help">Step through each race with its <b>back</b> and <b>forward</b> buttons, or click a race and use ← and → (Home and End jump to the start and the end).</p>
${body}
<script>${STEPPER_SCRIPT}</script>
</body>
</html>
`
}

interface IndexEntry {
  id: string
  scenario: string
  strategy: string
  outcome: string
  cls: string
}

function renderIndex(entries: readonly IndexEntry[]): string {
  const rows = entries.map((e) => `<tr><td><a href="#${e.id}">${escape(e.scenario)}</a></td><td>${escape(e.strategy)}</td><td class="${e.cls}">${escape(e.outcome)}</td></tr>`)
  return `<nav class="index" aria-label="index"><h2>Index</h2><table><thead><tr><th>scenario</th><th>strategy</th><th>outcome</th></tr></thead><tbody>${rows.join('')}</tbody></table></nav>\n`
}

function renderExplore(result: ExploreResult, id: string): string {
  // The shortest finished run of each verdict: explore keeps those, not every run.
  const finished = (result.runs.length > 0 ? result.runs : result.samples).filter((r) => !r.stuck)
  const kinds: {kind: string; title: string; run: RunResult | null}[] = [
    {kind: 'divergent', title: 'An order that left the stores divergent', run: result.witnessRun ?? shortest(finished.filter((r) => r.divergent))},
    {kind: 'stale', title: 'An order with stale reads only (the stores agree at the end)', run: shortest(finished.filter((r) => !r.divergent && r.staleReads > 0 && r.dirtyReads === 0))},
    {kind: 'dirty', title: 'An order with dirty reads', run: shortest(finished.filter((r) => !r.divergent && r.dirtyReads > 0))},
    {kind: 'consistent', title: 'A consistent order', run: shortest(finished.filter((r) => r.verdict.word === 'consistent'))},
  ]
  const examples = kinds.filter((k) => k.run !== null).map((k, i) => `<div class="example" data-kind="${k.kind}"><h3>${escape(k.title)}</h3>${renderRun(k.run!, `${id}-${i + 1}`, null)}</div>`)
  const mismatches = result.mismatches.map((m) => `<li>${escape(m)}</li>`).join('')
  return `<section class="explore" id="${id}" data-scenario="${escape(result.scenario)}">
<h2>${escape(result.scenario)} <small>(${escape(result.strategy)})</small></h2>
<p class="counts">${escape(countsText(result))}${result.complete ? '' : ' (the search stopped early: these are lower bounds)'}.</p>
${mismatches ? `<ul class="mismatches">${mismatches}</ul>` : ''}
${examples.join('\n')}
</section>`
}

/** "1 of 10 orders diverged; 2 read stale data; 7 consistent". */
export function countsText(result: ExploreResult): string {
  const total = result.orders
  const consistent = result.consistentOrders
  const parts = [`${result.divergentOrders} of ${result.mode === 'random' ? plural(total, 'sampled order') : pluralOrders(total, result.reduced)} diverged`]
  if (result.staleOrders > 0) parts.push(`${result.staleOrders} read stale data`)
  if (result.dirtyOrders > 0) parts.push(`${result.dirtyOrders} read dirty data`)
  if (result.impossibleOrders > 0) parts.push(`${result.impossibleOrders} could not finish`)
  parts.push(`${consistent} consistent`)
  return parts.join('; ')
}

function shortest(runs: readonly RunResult[]): RunResult | null {
  const switches = (r: RunResult) => r.order.filter((t, i) => i > 0 && t.split(':')[0] !== r.order[i - 1]!.split(':')[0]).length
  return [...runs].sort((a, b) => a.steps.length - b.steps.length || switches(a) - switches(b))[0] ?? null
}

function renderRun(run: RunResult, id: string, heading: 'h2' | null): string {
  const verdict = verdictOf(run)
  const story = tellRace(run, {width: 12})
  const reads = run.reads.length > 0 ? `<ul class="reads">${run.reads.map((r) => `<li class="${r.anomaly}">${escape(readWords(r))}</li>`).join('')}</ul>` : ''
  const staleActors = new Set(staleViews(run).map(([actor]) => actor))
  const views = Object.entries(run.views ?? {})
    .map(([actor, value]) => {
      const stale = staleActors.has(actor)
      return `<li class="${stale ? 'divergent' : ''}">${escape(actor)}'s in-process cache: ${escape(show(value))}${stale ? ' (not MySQL\'s: it serves the old value)' : ''}</li>`
    })
    .join('')
  return `<section class="run" id="${id}" data-scenario="${escape(run.scenario)}" tabindex="0">
${heading === null ? '' : `<${heading}>${escape(run.scenario)} <small>(${escape(run.strategy)})</small></${heading}>\n`}<p>Verdict: <span class="verdict ${verdict}">${VERDICT_WORDS[verdict]}</span>. Final state: MySQL ${escape(show(run.db))}, Redis ${escape(show(run.cache))}${run.staleReads ? `; stale reads ${run.staleReads}` : ''}${run.dirtyReads ? `; dirty reads ${run.dirtyReads}` : ''}.</p>
${views ? `<ul class="views">${views}</ul>` : ''}
<div class="controls"><button type="button" class="back" aria-label="back one step">◀ back</button><button type="button" class="forward" aria-label="forward one step">forward ▶</button><span class="position" aria-live="polite"></span></div>
<div class="now" aria-live="polite"><span class="store">MySQL <b class="db"></b></span><span class="store">Redis <b class="cache"></b></span><span class="what"></span></div>
${renderRace(story)}
${reads}
<p class="replay">Replay: <code>${escape(replayCommand(run))}</code></p>
</section>`
}

function renderRace(story: RaceStory): string {
  const head = `<tr><th>#</th>${story.actors.map((a) => `<th class="lane-head" data-actor="${escape(a)}">${escape(a)}</th>`).join('')}<th>MySQL</th><th>Redis</th><th>what it means</th></tr>`
  const named = (value: Value) => (story.names.has(show(value)) ? `${story.names.get(show(value))} = ${show(value)}` : show(value))
  const start = `<tr class="row start" data-row="0" data-db="${attr(named(story.initial.db))}" data-cache="${attr(named(story.initial.cache))}" data-what="start"><td>start</td>${story.actors.map(() => '<td></td>').join('')}<td class="value">${escape(story.show(story.initial.db))}</td><td class="value">${escape(story.show(story.initial.cache))}</td><td></td></tr>`
  const rows = story.rows.map((row, i) => {
    const {step} = row
    const failed = step.type !== 'ok'
    const sent = row.sentAs === null ? '' : ` <span class="sent">(sent as #${row.sentAs}, took effect here)</span>`
    const label = `<div class="label step${failed ? ' failed' : ''}"><span class="name">${escape(step.step)}</span>${row.text === '' ? '' : ` ${escape(row.text)}`}${sent}</div>`
    const lanes = story.actors.map((a) => `<td class="lane">${a === step.actor ? label : ''}</td>`).join('')
    const marks = [
      ...(row.divergedWhy === null ? [] : [`<div class="label mark diverged"><b>diverged for good:</b> ${escape(row.divergedWhy)}</div>`]),
      ...row.reads.map((r) => `<div class="label mark ${r.anomaly}-read">${escape(readWords(r, story.show))}</div>`),
      ...(row.divergedWhy === null && row.disagree ? ['<div class="label mark disagree">the stores disagree</div>'] : []),
    ]
    const what = [`${step.actor} ${step.step} ${row.text}`.trim(), ...(row.divergedWhy === null ? [] : [`diverged for good: ${row.divergedWhy}`]), ...row.reads.map((r) => readWords(r, story.show))].join(' · ')
    const cls = ['row', ...(row.divergedWhy === null ? [] : ['diverged']), ...(row.reads.length > 0 ? ['read-anomaly'] : [])].join(' ')
    const valueCls = row.disagree ? 'value disagree' : 'value'
    return `<tr class="${cls}" data-row="${i + 1}" data-actor="${escape(step.actor)}" data-db="${attr(named(row.state.db))}" data-cache="${attr(named(row.state.cache))}" data-what="${attr(what)}"><td>${i + 1}</td>${lanes}<td class="${valueCls}">${escape(story.show(row.state.db))}</td><td class="${valueCls}">${escape(story.show(row.state.cache))}</td><td class="marks">${marks.join('')}</td></tr>`
  })
  const legend = story.names.size === 0 ? '' : `<ul class="names">${[...story.names].map(([text, name]) => `<li><b>${escape(name)}</b> = <code>${escape(text)}</code></li>`).join('')}</ul>`
  return `${legend}<div class="race-wrap"><table class="race"><thead>${head}</thead><tbody>${start}${rows.join('')}</tbody></table></div>`
}

const VERDICT_WORDS: Record<ReturnType<typeof verdictOf>, string> = {
  consistent: 'consistent',
  divergent: 'divergent',
  lost: 'lost writes',
  stale: 'stale reads',
  dirty: 'dirty reads',
  impossible: 'could not finish',
  unknown: 'unknown',
}

function show(value: Value): string {
  return value === null ? '–' : formatValue(value, Infinity)
}

function attr(text: string): string {
  return escape(text)
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!)
}
