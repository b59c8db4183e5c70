import {CachesimCommand} from '../../cli/base-command.js'
import {serversDirFlag} from '../../cli/servers-dir-flag.js'
import type {ServersDownResult} from '../../servers/manage.js'

export type ServersDownJson = ServersDownResult

export default class ServersDown extends CachesimCommand {
  static override summary = 'Stop the private servers that "servers up" started, and remove their data directory.'
  static override description = 'Only the processes "up" recorded (checked by pid and command line) are stopped, and only a directory cachesim marked as its own is removed. Servers left by a cachesim run that died are cleaned up too.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --dir /tmp/my-servers --json']
  static override enableJsonFlag = true
  static override flags = {...serversDirFlag}

  async run(): Promise<ServersDownJson> {
    const {flags} = await this.parse(ServersDown)
    const {serversDown} = await import('../../servers/manage.js')
    const {defaultServersDir} = await import('../../servers/paths.js')
    const result = await serversDown(flags.dir ?? defaultServersDir())
    if (!this.jsonEnabled()) {
      const {renderServersDown} = await import('../../report/servers.js')
      this.log(renderServersDown(result))
    }
    return result
  }
}
