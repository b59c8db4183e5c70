import {BinlogOffError} from '../errors/binlog-off-error.js'
import {CachesimError} from '../errors/cachesim-error.js'
import type {ActorName} from '../history/types.js'
import {type KeySpace, rowKeys} from '../stores/keys.js'
import type {BinlogReader} from '../cdc/binlog-reader.js'
import type {ReplicaControl} from '../servers/replica-control.js'
import {MysqlStore, TABLE} from '../stores/mysql.js'
import {connectPair, type StorePair} from '../stores/pair.js'
import type {StoreTargets} from '../stores/targets.js'
import {lockNamespace} from './namespace-lock.js'

/**
 * The connections of one cachesim command on one set of servers (its targets): an observer
 * pair that resets and reads the stores, and one pair per actor (per actor name and slot), opened
 * on first use and kept for every run; a binlog reader and replica connections when asked for.
 */
export class Workbench {
  readonly keys: KeySpace
  private readonly actorStores = new Map<string, Promise<StorePair>>()
  /** Lets go of this run's database and key prefix (see namespace-lock.ts). */
  private unlock: () => Promise<void> = async () => {}
  private readonly binlogReaders = new Map<number, Promise<BinlogReader>>()
  private readonly replicaStores = new Map<string, Promise<MysqlStore>>()
  private control: Promise<ReplicaControl> | null = null
  private closed = false
  /** Connections others opened on this workbench's behalf (an app's clients): ended with it. */
  private readonly extras: Array<{close(): Promise<unknown>; destroy(): void}> = []

  private constructor(
    readonly targets: StoreTargets,
    readonly observer: StorePair,
  ) {
    this.keys = {prefix: targets.prefix}
  }

  /** Connects the observer and makes sure cachesim's database and table exist. */
  static async open(targets: StoreTargets): Promise<Workbench> {
    const observer = await connectPair(targets, {database: false})
    const bench = new Workbench(targets, observer)
    try {
      await observer.mysql.ensureSchema()
      bench.unlock = await lockNamespace(targets)
    } catch (error) {
      bench.destroy()
      throw error
    }
    return bench
  }

  /** The actor's own connections (its own MySQL and its own Redis); `slot` keeps parallel runs apart. */
  stores(actor: ActorName, slot = 0): Promise<StorePair> {
    if (this.closed) return Promise.reject(new CachesimError('internal: workbench is closed'))
    const id = `${slot}/${actor}`
    let pair = this.actorStores.get(id)
    if (!pair) {
      pair = connectPair(this.targets)
      this.actorStores.set(id, pair)
      pair.catch(() => this.actorStores.delete(id))
    }
    return pair
  }

  /**
   * A reader of the binlog's changes to cachesim's table, one per slot, opened on first use and
   * kept for every run (the server must keep a ROW binlog).
   */
  binlog(slot = 0): Promise<BinlogReader> {
    if (this.closed) return Promise.reject(new CachesimError('internal: workbench is closed'))
    let reader = this.binlogReaders.get(slot)
    if (!reader) {
      reader = this.openBinlog()
      this.binlogReaders.set(slot, reader)
      reader.catch(() => this.binlogReaders.delete(slot))
    }
    return reader
  }

  /** The actor's own connection to the replica (for its SELECTs). */
  replicaStore(actor: ActorName, slot = 0): Promise<MysqlStore> {
    const replica = this.targets.replica
    if (!replica) return Promise.reject(new CachesimError('internal: these stores have no replica'))
    const id = `${slot}/${actor}`
    let store = this.replicaStores.get(id)
    if (!store) {
      store = MysqlStore.connect(replica)
      this.replicaStores.set(id, store)
      store.catch(() => this.replicaStores.delete(id))
    }
    return store
  }

  /** Holds the replica back and lets it go (one per workbench). */
  replicaControl(): Promise<ReplicaControl> {
    const replica = this.targets.replica
    if (!replica) return Promise.reject(new CachesimError('internal: these stores have no replica'))
    this.control ??= import('../servers/replica-control.js').then(({ReplicaControl}) => ReplicaControl.connectTo(this.targets.mysql, replica))
    return this.control
  }

  private async openBinlog(): Promise<BinlogReader> {
    const [{BinlogReader}, {binlogProblem}] = await Promise.all([import('../cdc/binlog-reader.js'), import('../cdc/binlog-check.js')])
    const problem = await binlogProblem(this.targets.mysql)
    if (problem) throw new BinlogOffError(this.targets.mysql.display, problem)
    return BinlogReader.open({mysql: this.targets.mysql, tables: [TABLE], keys: this.keys, from: 'now'})
  }

  /**
   * Removes the row and every key of rows `ids` (a parallel exploration's extra slots): row 1
   * keeps the last run's state to look at, the others would only be left-overs with no TTL.
   */
  async removeRows(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return
    const {mysql, redis} = this.observer
    await Promise.all([redis.delete(ids.flatMap((id) => rowKeys(this.keys, id))), ...ids.map((id) => mysql.reset(id, null))])
  }

  /** Ends `connection` when this workbench closes (politely) or is destroyed (at once). */
  keep(connection: {close(): Promise<unknown>; destroy(): void}): void {
    this.extras.push(connection)
  }

  /** Closes every connection politely. */
  async close(): Promise<void> {
    this.closed = true
    await Promise.allSettled(this.extras.map((c) => c.close()))
    const readers = await Promise.allSettled([...this.binlogReaders.values()])
    await Promise.allSettled(readers.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])))
    const extras = await Promise.allSettled([...this.replicaStores.values(), ...(this.control ? [this.control] : [])])
    await Promise.allSettled(extras.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])))
    const pairs = await Promise.allSettled([...this.actorStores.values()])
    await Promise.allSettled(
      [this.observer, ...pairs.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []))].flatMap((pair) => [
        pair.mysql.close(),
        pair.redis.close(),
      ]),
    )
    await this.unlock()
  }

  /** Drops every connection at once (Ctrl-C): the servers roll back whatever was open. */
  destroy(): void {
    this.closed = true
    for (const connection of this.extras) connection.destroy()
    void this.unlock().catch(() => {})
    for (const reader of this.binlogReaders.values()) reader.then((r) => r.close(), () => {}).catch(() => {})
    for (const store of this.replicaStores.values()) store.then((s) => s.destroy(), () => {})
    this.control?.then((c) => c.close(), () => {}).catch(() => {})
    this.observer.mysql.destroy()
    this.observer.redis.destroy()
    for (const pair of this.actorStores.values()) {
      pair.then(
        (p) => {
          p.mysql.destroy()
          p.redis.destroy()
        },
        () => {},
      )
    }
  }
}
