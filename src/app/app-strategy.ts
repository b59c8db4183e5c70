import {APP_STEP} from '../history/step-name.js'
import type {Value} from '../history/types.js'
import type {Actor, Strategy} from '../strategies/types.js'
import type {LoadedApp} from './load.js'
import {toValue} from './value.js'
import type {AppInstance} from './types.js'

/**
 * The app instance each actor of the current run talks through (set by AppRun.start), and a
 * wait for the actor's last step to be recorded: the app hears a reply before its step has
 * ended (observed, recorded), and an operation ends only after its steps.
 */
const instances = new WeakMap<Actor, {instance: AppInstance; idle: () => Promise<void>}>()

export function bindInstance(actor: Actor, instance: AppInstance, idle: () => Promise<void>): void {
  instances.set(actor, {instance, idle})
}

function bound(actor: Actor): {instance: AppInstance; idle: () => Promise<void>} {
  const found = instances.get(actor)
  if (!found) throw new Error(`internal: ${actor.name} has no app instance`)
  return found
}

async function settled<T>(actor: Actor, call: (instance: AppInstance) => Promise<T>): Promise<T> {
  const {instance, idle} = bound(actor)
  try {
    return await call(instance)
  } finally {
    await idle()
  }
}

/**
 * An app seen as a strategy: its read and write paths are the instance's, and its steps are
 * whatever Redis commands and SQL statements those send (named as issued).
 */
export function appStrategy(loaded: LoadedApp): Strategy {
  const {app} = loaded
  return {
    name: app.name,
    summary: app.summary ?? `app ${loaded.shown}`,
    steps: [],
    stepPattern: APP_STEP,
    valueFor: (n: number) => app.value(n) as Value,
    read: async (actor) => toValue(await settled(actor, (instance) => instance.read())),
    write: (actor, n) => settled(actor, (instance) => instance.write(app.value(n))),
  }
}

/**
 * Stands in for an app while its scenario is checked (before the module is loaded): its steps
 * are any client call.
 */
export function unloadedApp(shown: string): Strategy {
  const notLoaded = () => Promise.reject(new Error(`internal: app ${shown} is not loaded`))
  return {name: `app ${shown}`, summary: '', steps: [], stepPattern: APP_STEP, read: notLoaded, write: notLoaded}
}

