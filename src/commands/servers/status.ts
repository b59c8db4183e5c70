import {CachesimCommand} from '../../cli/base-command.js'
import {serversDirFlag} from '../../cli/servers-dir-flag.js'
import type {ServersStatusResult} from '../../servers/manage.js'

export type ServersStatusJson = ServersStatusResult

export default class ServersStatus extends CachesimCommand {
  static override summary = 'Say which private servers run: those of "servers up", and those of running cachesim commands.'
  static override description = 'Servers left by a cachesim run that died (kill -9, a crash) are stopped and removed on the way.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override enableJsonFlag = true
  static override flags = {...serversDirFlag}

  async run(): Promise<ServersStatusJson> {
    const {flags} = await this.parse(ServersStatus)
    const {serversStatus} = await import('../../servers/manage.js')
    const {defaultServersDir} = await import('../../servers/paths.js')
    const result = await serversStatus(flags.dir ?? defaultServersDir())
    if (!this.jsonEnabled()) {
      const {renderServersStatus} = await import('../../report/servers.js')
      this.log(renderServersStatus(result))
    }
    return result
  }
}
