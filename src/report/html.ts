import {divergedAt, inEffectOrder, stateAfterEachStep} from './store-model.js'
import type {Value} from '../history/types.js'
import {formatValue} from '../history/value.js'
import type {RunResult} from '../run/result.js'
import {describeStep} from './describe-step.js'
import {replayCommand} from './history-lines.js'
import {verdictOf} from './json.js'
import {writeReport} from './write-report.js'

const ROW = 34
const LANE = 210
const STATE = 70
const TOP = 46

/**
 * One self-contained HTML page (no scripts, no fonts, no network): for each run, its swimlane as
 * SVG (one lane per actor, one row per step in the order the servers saw them), the stores'
 * values after each step, the verdict, and the replay command.
 */
export function renderHtmlReport(runs: readonly RunResult[], title: string): string {
  const sections = runs.length > 0 ? runs.map(renderRun).join('\n') : '<p>No run to show: no order diverged.</p>'
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem; color: #1d1d1f; background: #fff; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin: 2.2rem 0 .3rem; }
  .verdict { font-weight: 700; } .divergent, .impossible, .lost { color: #c62828; } .stale, .dirty { color: #b26a00; } .consistent { color: #2e7d32; }
  code { background: #f3f3f6; padding: .1rem .3rem; border-radius: 4px; font-size: .85rem; word-break: break-all; }
  svg { display: block; margin: .8rem 0; max-width: 100%; height: auto; }
  svg text { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; }
  .lane-head { font-weight: 700; } .step rect { fill: #e8f0fe; stroke: #4a6fa5; } .step.failed rect { fill: #fdecea; stroke: #c62828; }
  .state { fill: #555; } .disagree { fill: #b26a00; } .diverged line { stroke: #c62828; stroke-width: 2; } .diverged text { fill: #c62828; font-weight: 700; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
${sections}
</body>
</html>
`
}

export async function writeHtmlReport(file: string, runs: readonly RunResult[], title: string): Promise<void> {
  await writeReport(file, renderHtmlReport(runs, title))
}

function renderRun(run: RunResult): string {
  const verdict = verdictOf(run)
  const actors = [...new Set(run.steps.map((s) => s.actor))].sort()
  const states = stateAfterEachStep(run)
  const divergedStep = divergedAt(states, run.steps)
  // Rows in the order the steps took effect (as the terminal timeline has them).
  const rowOf = new Map(inEffectOrder(run.steps).map((step, row) => [step.index, row]))
  const diverged = divergedStep === null ? null : rowOf.get(divergedStep)!
  const width = actors.length * LANE + 2 * STATE + 40
  const height = TOP + (run.steps.length + 1) * ROW + 10
  const stateX = actors.length * LANE + 20
  const lanes = actors
    .map((actor, i) => {
      const x = i * LANE
      const steps = run.steps
        .filter((s) => s.actor === actor)
        .map((s) => {
          const y = TOP + (rowOf.get(s.index)! + 1) * ROW
          const failed = s.type !== 'ok'
          return `<g class="step${failed ? ' failed' : ''}"><rect x="${x + 6}" y="${y - 22}" width="${LANE - 12}" height="${ROW - 8}" rx="6"></rect><text x="${x + 14}" y="${y - 4}">${escape(fit(`${s.step} ${describeStep(s)}`, 26))}</text></g>`
        })
        .join('')
      return `<g class="lane" data-actor="${escape(actor)}"><line x1="${x + LANE / 2}" y1="${TOP - 8}" x2="${x + LANE / 2}" y2="${height - 6}" stroke="#ddd"></line><text class="lane-head" x="${x + 10}" y="20">actor ${escape(actor)}</text>${steps}</g>`
    })
    .join('')
  const stateRows = [
    `<text class="state" x="${stateX}" y="${TOP - 4}">${show(run.initial.db)}</text><text class="state" x="${stateX + STATE}" y="${TOP - 4}">${show(run.initial.cache)}</text>`,
    ...run.steps.map((s) => {
      const state = states[s.index]!
      const y = TOP + (rowOf.get(s.index)! + 1) * ROW - 4
      const cls = state.cache !== null && state.cache !== state.db ? 'state disagree' : 'state'
      return `<text class="${cls}" x="${stateX}" y="${y}">${show(state.db)}</text><text class="${cls}" x="${stateX + STATE}" y="${y}">${show(state.cache)}</text>`
    }),
  ].join('')
  const marker =
    diverged === null
      ? ''
      : `<g class="diverged"><line x1="0" y1="${TOP + (diverged + 1) * ROW + 4}" x2="${width}" y2="${TOP + (diverged + 1) * ROW + 4}"></line><text x="${stateX}" y="${TOP + (diverged + 1) * ROW + 20}">diverged here</text></g>`
  return `<section class="run" data-scenario="${escape(run.scenario)}">
<h2>${escape(run.scenario)} <small>(${escape(run.strategy)})</small></h2>
<p>Verdict: <span class="verdict ${verdict}">${VERDICT_WORDS[verdict]}</span>. Final state: MySQL ${show(run.db)}, Redis ${show(run.cache)}${run.staleReads ? `; stale reads ${run.staleReads}` : ''}${run.dirtyReads ? `; dirty reads ${run.dirtyReads}` : ''}.</p>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="swimlane of ${escape(run.scenario)}">
<text class="lane-head" x="${stateX}" y="20">MySQL</text><text class="lane-head" x="${stateX + STATE}" y="20">Redis</text>
${lanes}${stateRows}${marker}
</svg>
<p>Replay: <code>${escape(replayCommand(run))}</code></p>
</section>`
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

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!)
}
