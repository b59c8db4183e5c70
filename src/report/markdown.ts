import type {CheckResult} from '../run/check-scenarios.js'
import type {RunResult} from '../run/result.js'
import {plural, pluralOrders} from '../util/plural.js'
import {renderMermaid} from './mermaid.js'

/**
 * A Markdown table for a pull-request comment, then a Mermaid sequence diagram of each race that
 * failed its check or diverged, so a reviewer sees the race in the PR.
 */
export function renderMarkdown(results: readonly CheckResult[]): string {
  const failed = results.filter((r) => r.status === 'fail').length
  const rows = results.map((r) => {
    const mark = r.status === 'pass' ? '✅' : r.status === 'fail' ? '❌' : '➖'
    const detail = r.status === 'fail' ? r.reasons.join('; ') : r.summary
    return `| ${mark} | \`${cell(r.scenario)}\` | ${cell(r.strategy)} | ${cell(detail)} |`
  })
  return [
    `### cachesim check: ${failed === 0 ? 'every race outcome held' : `${failed} of ${plural(results.length, 'scenario')} did not hold`}`,
    '',
    '| | scenario | strategy | outcome |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...results.flatMap((r) => witnesses(r).flatMap(({what, run}) => [`#### \`${r.scenario}\`: ${what}`, '', renderMermaid(run), ''])),
  ].join('\n')
}

/** The runs worth drawing for a scenario: its run if it failed or diverged, and explore's divergent witness. */
function witnesses(result: CheckResult): {what: string; run: RunResult}[] {
  const drawn: {what: string; run: RunResult}[] = []
  const {run, explore} = result
  if (run && (result.status === 'fail' || run.divergent)) drawn.push({what: run.divergent ? 'the run diverged' : 'the run', run})
  if (explore?.witnessRun && explore.witnessRun.order.join(' ') === run?.order.join(' ') && drawn.length > 0) drawn[0]!.what += `, in the shortest divergent order (${explore.divergentOrders} of ${pluralOrders(explore.orders, explore.reduced)} diverged)`
  else if (explore?.witnessRun) drawn.push({what: `the shortest divergent order (${explore.divergentOrders} of ${pluralOrders(explore.orders, explore.reduced)} diverged)`, run: explore.witnessRun})
  else if (explore && result.status === 'fail' && explore.exampleRun) drawn.push({what: 'an order with stale or dirty reads', run: explore.exampleRun})
  return drawn
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replace(/\s+/g, ' ')
}
