import {open, readdir, stat} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {type Document, isMap, isPair, isScalar, LineCounter, parseDocument} from 'yaml'
import type {z} from 'zod'

import {BadInputError} from '../errors/bad-input-error.js'
import {ScenarioError, type SourcePosition} from '../errors/scenario-error.js'
import {loadApp} from '../app/load.js'
import {strategyNames} from '../strategies/index.js'
import {scenarioSchema} from './schema.js'
import type {Scenario} from './types.js'
import {toScenario} from './validate.js'

/** The folder of built-in scenarios, shipped with the package. */
export const BUILT_IN_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url))

/** A path into the YAML document, as zod and the validator report it. */
export type YamlPath = readonly PropertyKey[]

/** Turns a problem at a path of the document into a ScenarioError at file:line:col. */
export type Locate = (at: YamlPath, problem: string, onKey?: string) => ScenarioError

/**
 * A scenario is a few dozen lines: anything near this size is a mistake or an attack, and
 * parsing it would cost seconds and gigabytes before any error could be shown.
 */
export const MAX_SCENARIO_BYTES = 1024 * 1024

/** Aliases a scenario may use: enough for shared delay lists, far too few for an alias bomb. */
export const MAX_ALIAS_COUNT = 100

/** Parses and validates one scenario file's text. `file` is used in messages only. */
export function parseScenario(text: string, file: string): Scenario {
  if (Buffer.byteLength(text) > MAX_SCENARIO_BYTES) throw tooBig(file, Buffer.byteLength(text))
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, uniqueKeys: true, prettyErrors: false})
  const position = (offset: number) => {
    const {line, col} = lineCounter.linePos(offset)
    return {file, line, col}
  }
  const syntax = doc.errors[0]
  if (syntax?.code === 'MULTIPLE_DOCS') {
    throw new ScenarioError(position(syntax.pos[0]), 'a scenario file holds one scenario; this one has a second YAML document (after "---"): put it in a file of its own')
  }
  if (syntax) throw new ScenarioError(position(syntax.pos[0]), firstLine(syntax.message))
  if (!isMap(doc.contents)) throw new ScenarioError(position(0), 'a scenario is a YAML mapping (name:, strategy:, initial:, actors: …)')

  const locate: Locate = (at, problem, onKey) => new ScenarioError(position(offsetOf(doc, at, onKey)), problem)
  const parsed = scenarioSchema.safeParse(toPlainData(doc, position(0)))
  if (!parsed.success) throw describeIssues(parsed.error.issues, locate)
  return toScenario(parsed.data, file, locate)
}

/** The document as plain data, refusing alias bombs (the library throws a bare ReferenceError). */
function toPlainData(doc: Document, start: SourcePosition): unknown {
  try {
    return doc.toJS({maxAliasCount: MAX_ALIAS_COUNT})
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new ScenarioError(start, `too many YAML aliases (*name) expanded: at most ${MAX_ALIAS_COUNT} in a scenario`)
    }
    throw error
  }
}

function tooBig(file: string, bytes: number): BadInputError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`
  return new BadInputError(`${file}: a scenario file is at most ${mb(MAX_SCENARIO_BYTES)}; this one is ${mb(bytes)}`)
}

export async function loadScenarioFile(file: string): Promise<Scenario> {
  const scenario = parseScenario(await readScenarioText(file), file)
  // An app scenario runs its app: load it now, so that a bad module stops everything before any server is touched.
  if (scenario.app) scenario.strategy = (await loadApp(scenario.app.file, scenario.app.shown)).app.name
  return scenario
}

/** Reads in small chunks and stops past the limit, so a huge file costs no memory before it is refused. */
async function readScenarioText(file: string): Promise<string> {
  const cannotRead = (error: unknown) => {
    const code = (error as {code?: string}).code
    return new BadInputError(
      code === 'ENOENT' ? `no such scenario file: ${file}` : `cannot read scenario file ${file} (${code ?? String(error)})`,
    )
  }
  const handle = await open(file, 'r').catch((error: unknown) => {
    throw cannotRead(error)
  })
  try {
    const {size} = await handle.stat()
    if (size > MAX_SCENARIO_BYTES) throw tooBig(file, size)
    // Not trusting the size alone: the file may grow meanwhile, or be a pipe that has none.
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024)
      const {bytesRead} = await handle.read(chunk, 0, chunk.length, null).catch((error: unknown) => {
        throw cannotRead(error)
      })
      if (bytesRead === 0) break
      total += bytesRead
      if (total > MAX_SCENARIO_BYTES) throw tooBig(file, total)
      chunks.push(chunk.subarray(0, bytesRead))
    }
    return Buffer.concat(chunks).toString('utf8')
  } finally {
    await handle.close()
  }
}

/**
 * Loads every file, then reports every one that does not validate (not just the first), one
 * line each, so a folder of scenarios is fixed in one pass.
 */
export async function loadScenarioFiles(files: readonly string[]): Promise<Scenario[]> {
  return everyOrAllProblems(files.map((f) => loadScenarioFile(f)))
}

/** Waits for all; when some fail with bad input, one error lists every problem, one per line. */
export async function everyOrAllProblems<T>(work: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work)
  const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []))
  const notInput = failed.find((error) => !(error instanceof BadInputError))
  if (notInput !== undefined) throw notInput
  if (failed.length === 1) throw failed[0]
  if (failed.length > 1) throw new BadInputError((failed as BadInputError[]).map((error) => error.message).join('\n'))
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value)
}

/** Loads a file, or every .yaml/.yml file in a folder (sorted by name). */
export async function loadScenarios(target: string): Promise<Scenario[]> {
  const info = await stat(target).catch(() => null)
  if (!info) throw new BadInputError(`no such scenario file or folder: ${target}`)
  if (!info.isDirectory()) return [await loadScenarioFile(target)]
  let entries: string[]
  try {
    entries = await readdir(target)
  } catch (error) {
    throw new BadInputError(`cannot read the folder ${target} (${(error as {code?: string}).code ?? String(error)})`)
  }
  let files = entries.filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(target, f))
  // A folder of folders (examples/): the scenario files of each, a few levels down.
  if (files.length === 0) files = await scenarioFilesBelow(target, 3)
  if (files.length === 0) throw new BadInputError(`no .yaml scenario files in ${target}`)
  const scenarios = await loadScenarioFiles(files)
  const seen = new Map<string, string>()
  for (const scenario of scenarios) {
    const other = seen.get(scenario.name)
    if (other) throw new BadInputError(`two scenarios are named "${scenario.name}": ${other} and ${scenario.source}`)
    seen.set(scenario.name, scenario.source)
  }
  return scenarios
}

/** Every .yaml/.yml file under `dir`, at most `depth` folders down (not in node_modules or dot folders), sorted. */
async function scenarioFilesBelow(dir: string, depth: number): Promise<string[]> {
  if (depth < 0) return []
  const entries = await readdir(dir, {withFileTypes: true}).catch(() => [])
  const found: string[] = []
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name)
    if (entry.isFile() && /\.ya?ml$/.test(entry.name)) found.push(full)
    else if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) found.push(...(await scenarioFilesBelow(full, depth - 1)))
  }
  return found
}

/** The scenarios shipped with cachesim, grouped by strategy in the order `list` shows strategies. */
export async function loadBuiltInScenarios(): Promise<Scenario[]> {
  return builtIn(BUILT_IN_DIR, 'scenarios')
}

/** The cells of `cachesim matrix`: one scenario per strategy and race, in scenarios/matrix/. */
export async function loadMatrixScenarios(): Promise<Scenario[]> {
  return builtIn(path.join(BUILT_IN_DIR, 'matrix'), 'scenarios/matrix')
}

async function builtIn(dir: string, shown: string): Promise<Scenario[]> {
  const scenarios = await loadScenarios(dir)
  for (const scenario of scenarios) {
    scenario.source = `${shown}/${path.basename(scenario.source)}`
    scenario.builtIn = true
  }
  const rank = (s: Scenario) => strategyNames().indexOf(s.strategy)
  return scenarios.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
}

function describeIssues(issues: readonly z.core.$ZodIssue[], locate: Locate): ScenarioError {
  const issue = issues[0]!
  const at = issue.path
  const key = at.length > 0 ? String(at.at(-1)) : 'scenario'
  switch (issue.code) {
    case 'unrecognized_keys': {
      const unknown = issue.keys[0]!
      return locate(at, `unknown key "${unknown}"${allowedKeys(at)}`, unknown)
    }
    case 'invalid_type':
      return locate(at, /received undefined$/.test(issue.message) ? `"${key}" is required` : `"${key}" must be ${article(issue.expected)}`)
    case 'invalid_value':
      return locate(at, `"${key}" must be one of ${issue.values.map((v) => String(v)).join(', ')}`)
    case 'invalid_key':
      return locate(at.slice(0, -1), `"${key}": ${issue.issues[0]?.message ?? issue.message}`, key)
    default:
      return locate(at, `"${key}": ${issue.message}`)
  }
}

const ALLOWED: Record<string, string[]> = {
  '': Object.keys(scenarioSchema.shape),
  initial: ['db', 'cache'],
  actors: ['op', 'value', 'count', 'ops', 'startAfterMs'],
  ops: ['op', 'value', 'count'],
  delays: ['actor', 'before', 'after', 'ms', 'occurrence'],
  faults: ['actor', 'step', 'kind', 'ms', 'occurrence'],
  replica: ['readers', 'lagMs'],
  expect: ['divergent', 'db', 'cache', 'staleReads', 'dirtyReads', 'dbQueries', 'lostWrites', 'cacheMisses', 'convergedWithinMs', 'views', 'explore'],
  explore: ['orders', 'impossibleOrders', 'divergentOrders', 'staleOrders', 'dirtyOrders', 'witness'],
}

function allowedKeys(at: YamlPath): string {
  const section = at.length === 0 ? '' : at.includes('ops') ? 'ops' : at.includes('explore') ? 'explore' : String(at[0])
  const keys = ALLOWED[section]
  return keys ? `; allowed here: ${keys.join(', ')}` : ''
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}

/** The source offset of the node at `at` (or of the key `onKey` inside it), else of the nearest parent. */
function offsetOf(doc: Document, at: YamlPath, onKey?: string): number {
  for (let depth = at.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(at.slice(0, depth) as unknown[], true)
    if (depth === at.length && onKey !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === onKey)
      const keyNode = pair && isPair(pair) ? pair.key : null
      if (isScalar(keyNode) && keyNode.range) return keyNode.range[0]
    }
    const range = (node as {range?: [number, number, number]} | null | undefined)?.range
    if (range) return range[0]
  }
  return 0
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}
