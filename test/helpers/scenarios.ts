import {parseScenario} from '../../src/scenario/load.js'
import type {Scenario} from '../../src/scenario/types.js'

/** A scenario written inline in a test, validated exactly as a file would be. */
export function scenario(yaml: string, name = 'test.yaml'): Scenario {
  return parseScenario(yaml, name)
}
