import {StoreError} from './store-error.js'

/** What the server allows: its max_connections, and how many connections are open already. */
export interface ConnectionRoom {
  maxConnections: number
  open: number
}

/** The user asked for more MySQL connections (one per reader or client) than the server will give. */
export class ConnectionLimitError extends StoreError {
  readonly needed: number
  readonly room: ConnectionRoom | null

  /** `flag` is the flag that sets the number, e.g. "--readers". */
  constructor(flag: string, value: number, needed: number, room: ConnectionRoom | null, options?: ErrorOptions) {
    const server = room
      ? `the server allows ${room.maxConnections} and ${room.open} ${room.open === 1 ? 'is' : 'are'} open`
      : 'the server refused more (too many connections)'
    super('MySQL', `${flag} ${value} needs ${needed.toLocaleString('en-US')} connection${needed === 1 ? '' : 's'}, but ${server}: lower ${flag}, or raise max_connections on the server`, options)
    this.needed = needed
    this.room = room
  }
}
