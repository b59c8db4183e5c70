import {Flags} from '@oclif/core'

import {CachesimCommand} from '../../cli/base-command.js'
import {serversDirFlag} from '../../cli/servers-dir-flag.js'
import type {ServersUpResult} from '../../servers/manage.js'

export type ServersUpJson = ServersUpResult

export default class ServersUp extends CachesimCommand {
  static override summary = 'Start a private MariaDB (ROW binlog on) and Redis on free loopback ports, and print their URLs.'
  static override description = `The servers run from the binaries on this machine (mariadbd, mariadb-install-db, redis-server), in a directory of cachesim's own, bound to 127.0.0.1, root with no password, until "cachesim servers down". A ready data directory is cached, so a start takes a few hundred ms.

Exit codes: 0 up, 2 bad input, 3 a server could not be started (the message names its log).`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --replica --json',
    'eval "$(<%= config.bin %> <%= command.id %> | grep ^use | cut -c12-)"',
  ]
  static override enableJsonFlag = true
  static override flags = {
    replica: Flags.boolean({summary: 'Also start a private replica of the MariaDB (for replica-lag scenarios).'}),
    ...serversDirFlag,
  }

  async run(): Promise<ServersUpJson> {
    const {flags} = await this.parse(ServersUp)
    const {serversUp} = await import('../../servers/manage.js')
    const {defaultServersDir} = await import('../../servers/paths.js')
    const result = await serversUp(flags.dir ?? defaultServersDir(), {replica: flags.replica, signal: this.interrupt.signal})
    if (!this.jsonEnabled()) {
      const {renderServersUp} = await import('../../report/servers.js')
      this.log(renderServersUp(result))
    }
    return result
  }
}
