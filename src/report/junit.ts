import type {CheckResult} from '../run/check-scenarios.js'

/** JUnit XML, the format CI systems read: one testcase per scenario, a failure per broken expectation. */
export function renderJunit(results: readonly CheckResult[]): string {
  const failures = results.filter((r) => r.status === 'fail').length
  const skipped = results.filter((r) => r.status === 'skip').length
  const seconds = (ms: number) => (ms / 1000).toFixed(3)
  const total = results.reduce((sum, r) => sum + r.durationMs, 0)
  const cases = results.map((r) => {
    const open = `    <testcase classname="cachesim.${xml(r.strategy)}" name="${xml(r.scenario)}" file="${xml(r.source)}" time="${seconds(r.durationMs)}">`
    const body =
      r.status === 'fail'
        ? `\n      <failure message="${xml(r.reasons.join('; '))}">${xml([...r.reasons, `seen: ${r.summary}`].join('\n'))}</failure>\n    `
        : r.status === 'skip'
          ? '\n      <skipped message="no expect: in the scenario"/>\n    '
          : ''
    return `${open}${body}</testcase>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="cachesim check" tests="${results.length}" failures="${failures}" skipped="${skipped}" time="${seconds(total)}">
  <testsuite name="cachesim check" tests="${results.length}" failures="${failures}" skipped="${skipped}" time="${seconds(total)}">
${cases.join('\n')}
  </testsuite>
</testsuites>
`
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({'<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;'})[c]!)
}
