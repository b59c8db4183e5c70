import {BadInputError} from './bad-input-error.js'

export interface SourcePosition {
  file: string
  line: number
  col: number
}

/** A scenario file that does not validate; the message starts with file:line:col. */
export class ScenarioError extends BadInputError {
  readonly position: SourcePosition

  constructor(position: SourcePosition, problem: string) {
    super(`${position.file}:${position.line}:${position.col}: ${problem}`)
    this.position = position
  }
}
