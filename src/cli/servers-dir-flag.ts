import {Flags} from '@oclif/core'

/** --dir of the `servers` commands: where `up` keeps its servers' data, and where `down` looks. */
export const serversDirFlag = {
  dir: Flags.string({
    summary: 'Directory of the private servers (default: servers/ under the user\'s cache dir, e.g. ~/.cache/cachesim).',
    env: 'CACHESIM_SERVERS_DIR',
  }),
}
