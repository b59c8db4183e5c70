import type {RunResult} from '../run/result.js'
import {replayCommand} from './history-lines.js'
import {readWords, tellRace} from './race-story.js'

/**
 * A run as a Mermaid sequence diagram (code hosts draw it in a PR comment): one participant per
 * actor, then MySQL and Redis; one message per step in the order the steps took effect, a cross
 * for a step that failed, the stores' values as a note whenever they change, and the step that
 * made them disagree for good, with why.
 */
export function renderMermaid(run: RunResult): string {
  const story = tellRace(run, {width: 12})
  const ids = new Map(story.actors.map((actor, i) => [actor, /^[A-Za-z][A-Za-z0-9_]*$/.test(actor) && !RESERVED.has(actor.toLowerCase()) ? actor : `actor${i + 1}`]))
  const lines = ['sequenceDiagram', ...story.actors.map((actor) => `  participant ${ids.get(actor)} as ${text(actor)}`), '  participant MySQL', '  participant Redis']
  lines.push(`  Note over MySQL,Redis: start: MySQL ${text(story.show(story.initial.db))}, Redis ${text(story.show(story.initial.cache))}`)
  let last = `${story.show(story.initial.db)}|${story.show(story.initial.cache)}`
  for (const row of story.rows) {
    const {step} = row
    const actor = ids.get(step.actor)!
    const target = /^(db|binlog|stream)\./.test(step.step) ? 'MySQL' : /^(cache|redis|lock)\./.test(step.step) ? 'Redis' : null
    const said = text(`${step.step} ${row.text}`.trim())
    lines.push(target === null ? `  Note over ${actor}: ${said}` : `  ${actor}${step.type === 'ok' ? '->>' : '-x'}${target}: ${said}`)
    const now = `${row.state.db === null ? '–' : story.show(row.state.db)}|${row.state.cache === null ? '–' : story.show(row.state.cache)}`
    if (now !== last) lines.push(`  Note over MySQL,Redis: MySQL ${text(story.show(row.state.db))}, Redis ${text(story.show(row.state.cache))}`)
    last = now
    for (const read of row.reads) lines.push(`  Note over ${actor}: ${text(readWords(read, story.show))}`)
    if (row.divergedWhy !== null) lines.push(`  Note over ${actor},Redis: diverged for good: ${text(row.divergedWhy)}`)
  }
  const legend = [...story.names].map(([value, name]) => `- ${name} = \`${value.replaceAll('`', "'")}\``)
  return ['```mermaid', ...lines, '```', ...(legend.length > 0 ? ['', ...legend] : []), '', `Replay: \`${replayCommand(run)}\``].join('\n')
}

/**
 * Text Mermaid draws as given: on one line, and with the characters its parser reads as syntax
 * (; ends a statement, # starts an entity code or a comment, < > & make HTML such as <br>) written
 * as entity codes, which it draws as those characters. A JSON value shows whole and unchanged.
 */
function text(value: string): string {
  return value.replace(/\s+/g, ' ').replace(/[#;<>&]/g, (c) => `#${c.charCodeAt(0)};`)
}

/** Words Mermaid's sequence-diagram parser reads as keywords in any case: not an actor's id. */
const RESERVED = new Set(
  'participant actor create destroy box as loop rect opt alt else par par_over and critical option break end links link properties details over note activate deactivate title acctitle accdescr sequencediagram autonumber off mysql redis'.split(' '),
)
