import type {CheckResult} from '../run/check-scenarios.js'
import {plural} from '../util/plural.js'

/** A Markdown table for a pull-request comment. */
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
  ].join('\n')
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replace(/\s+/g, ' ')
}
