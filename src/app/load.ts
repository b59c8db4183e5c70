import {stat} from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

import {BadInputError} from '../errors/bad-input-error.js'
import {gateImported, installGates} from './gate.js'
import {installTimers} from './timers.js'
import type {CachesimApp} from './types.js'

/** An app module, loaded and checked: `file` is absolute, `shown` as the user gave it. */
export interface LoadedApp {
  file: string
  shown: string
  app: Required<Pick<CachesimApp, 'decode' | 'encode' | 'value'>> & CachesimApp
}

const loaded = new Map<string, Promise<LoadedApp>>()
/** The apps whose loading has finished, for code that must not wait (strategyOf). */
const ready = new Map<string, LoadedApp>()

/**
 * Loads a user's app module (TypeScript through tsx, or ESM / CommonJS JavaScript) and checks its
 * shape; anything wrong is one line naming the file (exit 2). The clients it can reach are gated.
 */
export function loadApp(file: string, shown = file): Promise<LoadedApp> {
  const absolute = path.resolve(file)
  let app = loaded.get(absolute)
  if (!app) {
    app = importApp(absolute, shown)
    loaded.set(absolute, app)
    app.then((done) => ready.set(absolute, done), () => {})
    app.catch(() => loaded.delete(absolute))
  }
  return app
}

/** The app loaded from `file` before (loadApp has resolved); a bug of cachesim's when it was not. */
export function loadedApp(file: string): LoadedApp {
  const app = ready.get(path.resolve(file))
  if (!app) throw new Error(`internal: app ${file} was not loaded`)
  return app
}

async function importApp(file: string, shown: string): Promise<LoadedApp> {
  const info = await stat(file).catch(() => null)
  if (!info?.isFile()) throw new BadInputError(`no such app module: ${shown}`)
  if (!/\.(ts|mts|cts|js|mjs|cjs)$/.test(file)) throw new BadInputError(`app module ${shown}: give a .ts, .mts, .js, .mjs or .cjs file`)
  // The app's own copies of the clients (its node_modules) are gated as well as cachesim's.
  installGates(path.dirname(file))
  installTimers()
  let namespace: Record<string, unknown>
  try {
    const {tsImport} = await import('tsx/esm/api')
    namespace = (await tsImport(pathToFileURL(file).href, {parentURL: import.meta.url, onImport: gateImported})) as Record<string, unknown>
  } catch (error) {
    throw new BadInputError(`app module ${shown} could not be loaded: ${errorLine(error)}`)
  }
  const app = checkShape(defaultExport(namespace), shown)
  return {file, shown, app}
}

/** ESM `export default`, CommonJS `module.exports`, or TypeScript compiled to CommonJS (default.default). */
function defaultExport(namespace: Record<string, unknown>): unknown {
  let candidate = namespace.default
  while (candidate && typeof candidate === 'object' && !('create' in candidate) && 'default' in candidate) {
    candidate = (candidate as {default: unknown}).default
  }
  return candidate
}

const FUNCTIONS = ['key', 'readRow', 'writeRow', 'create'] as const
const OPTIONAL_FUNCTIONS = ['setup', 'decode', 'encode', 'value', 'readCache', 'writeCache'] as const

function checkShape(candidate: unknown, shown: string): LoadedApp['app'] {
  const problem = (text: string) => new BadInputError(`app module ${shown}: ${text}; see "Race your own code" in the README`)
  if (candidate === undefined) throw problem('it has no default export (export default { name, key, readRow, writeRow, create })')
  if (!candidate || typeof candidate !== 'object') throw problem(`its default export is ${typeof candidate}, not an object`)
  const app = candidate as Record<string, unknown>
  if (typeof app.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(app.name)) {
    throw problem('"name" must be letters, digits, ".", "_" and "-" (at most 40)')
  }
  for (const name of FUNCTIONS) if (typeof app[name] !== 'function') throw problem(`"${name}" must be a function`)
  for (const name of OPTIONAL_FUNCTIONS) {
    if (app[name] !== undefined && typeof app[name] !== 'function') throw problem(`"${name}" must be a function when given`)
  }
  if ((app.readCache === undefined) !== (app.writeCache === undefined)) {
    const [has, lacks] = app.readCache === undefined ? ['writeCache', 'readCache'] : ['readCache', 'writeCache']
    throw problem(`it has ${has} but no ${lacks}: give both (a cache cachesim cannot GET and SET as a string is read and written the app's way), or neither`)
  }
  const given = app as unknown as CachesimApp
  return {
    ...given,
    decode: given.decode ?? ((raw: string) => JSON.parse(raw) as unknown),
    encode: given.encode ?? ((value: unknown) => JSON.stringify(value)),
    value: given.value ?? ((n: number) => n),
  }
}

/** An app's error, told in one line: its first line that says something. */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const lines = message.split('\n').map((line) => line.trim()).filter((line) => line !== '')
  // A heading that announces what follows (esbuild's "Transform failed with 1 error:") says
  // nothing alone: the line after it is the error, file:line:col first.
  const [first, next] = lines
  const line = first !== undefined && first.endsWith(':') && next !== undefined ? `${first} ${next}` : first
  return line?.slice(0, 300) ?? 'unknown error'
}
