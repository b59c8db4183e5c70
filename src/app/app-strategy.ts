import {APP_STEP} from '../history/step-name.js'
import type {Value} from '../history/types.js'
import type {Strategy} from '../strategies/types.js'
import type {LoadedApp} from './load.js'

/**
 * An app seen as a strategy where a scenario is checked and resolved: its name, and steps that
 * are whatever Redis commands and SQL statements it sends (named as issued). Its read and write
 * paths are its instances', which only a run has: AppRun.paths gives them.
 */
export function appStrategy(loaded: LoadedApp): Strategy {
  const {app} = loaded
  return {...appShape(app.name, app.summary ?? `app ${loaded.shown}`), valueFor: (n: number) => app.value(n) as Value}
}

/** Stands in for an app while its scenario file is checked, before the module is loaded. */
export function unloadedApp(shown: string): Strategy {
  return appShape(`app ${shown}`, '')
}

function appShape(name: string, summary: string): Strategy {
  const outsideARun = () => Promise.reject(new Error(`internal: ${name}'s paths run only through its AppRun`))
  return {name, summary, steps: [], stepPattern: APP_STEP, read: outsideARun, write: outsideARun}
}
