import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'
import {describe, it} from 'node:test'
import {fileURLToPath} from 'node:url'

/**
 * DESIGN.md's picture, top to bottom: a folder of src/ may import any folder in a layer below its
 * own, none beside it and none above it. Files directly in src/ (index.ts, the library's list of
 * exports) may import anything; only the top layer may import them.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['commands', 'hooks'],
  ['cli'],
  // Reports read the results of runs, benches and sync; nothing below them renders.
  ['report'],
  ['bench'],
  ['run'],
  ['check', 'schedule', 'servers'],
  ['scenario', 'cdc'],
  // A scenario names a built-in strategy or an app; an app is raced as a strategy.
  ['app'],
  ['strategies'],
  ['stores'],
  ['history'],
  ['util'],
  ['errors'],
]

/** Imports that go up on purpose: an app's client gates name the schedule's types (type-only). */
const UPWARD_TYPE_IMPORTS: readonly [from: string, to: string][] = [['app', 'schedule']]

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url))

interface Import {
  file: string
  line: number
  /** The imported file, relative to src/ (`stores/mysql.ts`). */
  target: string
  typeOnly: boolean
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** Every relative import and re-export of a file, static (`import … from`) or dynamic (`import(…)`). */
function importsOf(path: string): Import[] {
  const text = readFileSync(path, 'utf8')
  const file = relative(SRC, path)
  const found: Import[] = []
  const add = (at: number, specifier: string, typeOnly: boolean) => {
    const target = relative(SRC, resolve(dirname(path), specifier)).replace(/\.js$/, '.ts')
    found.push({file, line: text.slice(0, at).split('\n').length, target, typeOnly})
  }
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([\w*{},\s]*?)\s*from\s+'(\.[^']+)'/gm)) {
    const names = m[2]!.replace(/[{}]/g, '').split(',').map((s) => s.trim()).filter(Boolean)
    const typeOnly = m[1] !== undefined || (names.length > 0 && names.every((n) => n.startsWith('type ')))
    add(m.index, m[3]!, typeOnly)
  }
  for (const m of text.matchAll(/^import\s+'(\.[^']+)'/gm)) add(m.index, m[1]!, false)
  for (const m of text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)) add(m.index, m[1]!, false)
  return found
}

const folderOf = (file: string): string | null => (file.includes('/') ? file.slice(0, file.indexOf('/')) : null)
const layerOf = (folder: string): number => LAYERS.findIndex((layer) => layer.includes(folder))

/** Why this import breaks the picture, or null when it fits. */
function wrongWay(i: Import): string | null {
  const from = folderOf(i.file)
  const to = folderOf(i.target)
  if (from === null || from === to) return null
  if (to === null) return layerOf(from) === 0 ? null : `${i.file}:${i.line} imports ${i.target}, the library's index: only commands may`
  const [above, below] = [layerOf(from), layerOf(to)]
  if (above < below) return null
  if (i.typeOnly && UPWARD_TYPE_IMPORTS.some(([f, t]) => f === from && t === to)) return null
  const where = above === below ? 'beside it in the same layer' : 'above it'
  return `${i.file}:${i.line} imports ${i.target}: ${to}/ is ${where}, so ${from}/ may not import it`
}

/** One runtime import cycle between files (type-only imports vanish at run time), or null. */
function runtimeCycle(imports: readonly Import[]): string[] | null {
  const edges = new Map<string, string[]>()
  for (const i of imports) if (!i.typeOnly) edges.set(i.file, [...(edges.get(i.file) ?? []), i.target])
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file]
    state.set(file, 'open')
    path.push(file)
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next)
      if (cycle) return cycle
    }
    path.pop()
    state.set(file, 'done')
    return null
  }
  for (const file of edges.keys()) {
    const cycle = visit(file)
    if (cycle) return cycle
  }
  return null
}

const files = sourceFiles(SRC)
const imports = files.flatMap(importsOf)

describe('dependencies point one way', () => {
  it('finds the imports it checks', () => {
    assert.ok(imports.length > 100, `only ${imports.length} imports found under ${SRC}`)
    assert.ok(imports.some((i) => i.file === 'stores/mysql.ts' && i.target === 'errors/store-error.ts' && !i.typeOnly))
    assert.ok(imports.some((i) => i.file === 'run/result.ts' && i.target === 'check/verdict.ts' && i.typeOnly))
  })

  it('every folder of src/ has a layer', () => {
    const folders = new Set(files.map((f) => folderOf(relative(SRC, f))).filter((f): f is string => f !== null))
    assert.deepEqual([...folders].filter((f) => layerOf(f) === -1), [], 'add the new folder to LAYERS (and to DESIGN.md)')
  })

  it('no folder imports a folder above or beside it', () => {
    assert.deepEqual(imports.map(wrongWay).filter((m) => m !== null), [])
  })

  it('no import cycle between files at run time', () => {
    assert.equal(runtimeCycle(imports)?.join(' -> ') ?? null, null)
  })

  it('the rule itself catches a wrong-way import, and allows the named exception', () => {
    const i = (file: string, target: string, typeOnly = false): Import => ({file, line: 1, target, typeOnly})
    assert.match(wrongWay(i('stores/mysql.ts', 'strategies/types.ts', true)) ?? '', /strategies\/ is above it/)
    assert.match(wrongWay(i('check/reads.ts', 'schedule/types.ts', true)) ?? '', /beside it/)
    assert.equal(wrongWay(i('run/run-scenario.ts', 'check/verdict.ts')), null)
    assert.equal(wrongWay(i('app/gate.ts', 'schedule/types.ts', true)), null)
    assert.notEqual(wrongWay(i('app/gate.ts', 'schedule/stepped.ts')), null)
    assert.deepEqual(runtimeCycle([i('a/x.ts', 'b/y.ts'), i('b/y.ts', 'a/x.ts')]), ['a/x.ts', 'b/y.ts', 'a/x.ts'])
    assert.equal(runtimeCycle([i('a/x.ts', 'b/y.ts'), i('b/y.ts', 'a/x.ts', true)]), null)
  })
})
