import {AsyncLocalStorage, AsyncResource} from 'node:async_hooks'
import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {exists as isRedisCommand, getKeyIndexes, hasFlag} from '@ioredis/commands'

import {currentDelivery, deliver, noteSubscriber, type Owner} from './deliveries.js'
import type {LaneTimers} from './timers.js'

/**
 * The seam for apps: the clients an app uses are gated at the start of every command. The actor
 * a command belongs to is found from async context, so clients a library opens by itself are
 * gated too; outside an actor's context (cachesim's own observer, connection set-up) nothing is.
 */
export interface AppLane {
  /** The actor whose steps these are, and how a command of its subscribers' listeners is refused (none for a listener's lane). */
  owner?: Owner
  /**
   * Runs one client call as a step of this lane's actor: waits for the schedule, sends it, and
   * resolves with its answer. `call` says what it is (asked when the step's turn in the lane
   * comes: a pipeline's commands are all known by then).
   */
  step<T>(call: () => ClientCall, send: () => Promise<T>): Promise<T>
  /** The run's virtual clock for the timers this actor's code sets (timers.ts); absent under real time. */
  timers?: LaneTimers
}

export interface ClientCall {
  /** The step's name: `redis.SET`, `redis.MULTI`, `db.update`, … */
  name: string
  write: boolean
  /** A plain read: changes nothing and takes no lock (a read-only Redis command, a SELECT without FOR UPDATE). */
  readOnly?: boolean
  keys: readonly string[]
  /** A single Redis command's arguments after its name (not for a batch or a statement). */
  args?: readonly string[]
  /**
   * A batch's PUBLISH and SPUBLISH commands, as [command, channel, message, index]: its step waits
   * for their deliveries too, as many as the reply at `index` of the batch's answer counts (the
   * answer of a batch step is its commands' replies, in order).
   */
  publishes?: ReadonlyArray<readonly [string, string, string, number]>
  /** For a batch whose answer is not its commands' replies in order: where they are in it (node-redis v4's MULTI). */
  replies?: (answer: unknown) => unknown
  /**
   * Whether the call's reply says it changed nothing (a SET NX that answered nil, an UPDATE of 0
   * rows); absent when no reply can say so. A sleeper wakes again only after a change (stepped.ts).
   */
  unchangedBy?: (reply: unknown) => boolean
  /** For a statement: the MySQL connection's id, so that a lock wait of any of the app's connections is seen. */
  thread?: number
}

export const lanes = new AsyncLocalStorage<AppLane>()

/** Runs `fn` outside every actor's context: cachesim's own store calls are never steps. */
export function outsideLanes<T>(fn: () => T): T {
  return lanes.exit(fn)
}

/**
 * Where a pub/sub listener of an actor's subscriber runs: outside every actor's lane. A command it
 * sends would be a step no schedule orders: it is never sent, and the run is refused (deliveries.ts).
 */
function listenerLane(owner: Owner): AppLane {
  return {step: (call) => Promise.reject(owner.refuse(call().name))}
}

/** Calls a listener for the delivery being dispatched (if any): in the listener lane when the subscriber is an actor's, its answer tracked. */
function callListener<T>(listener: () => T): T {
  const delivery = currentDelivery()
  if (!delivery) return listener()
  const result = delivery.owner ? lanes.run(listenerLane(delivery.owner), listener) : listener()
  delivery.track(result)
  return result
}

const SUBSCRIBE = new Set(['subscribe', 'psubscribe', 'ssubscribe'])
const MESSAGES = new Set(['message', 'messageBuffer', 'pmessage', 'pmessageBuffer', 'smessage', 'smessageBuffer'])

/** A pub/sub message reply's kind, channel and message (a pattern message's channel, not its pattern), or null. */
function messageOf(reply: unknown): {channel: unknown; message: unknown} | null {
  if (!Array.isArray(reply) || reply[0] === undefined || reply[0] === null) return null
  const kind = String(reply[0])
  if (kind === 'message' || kind === 'smessage') return {channel: reply[1], message: reply[2]}
  if (kind === 'pmessage') return {channel: reply[2], message: reply[3]}
  return null
}

/** Commands a client sends to set a connection up (or for pub/sub): never steps, never held. */
const SET_UP = new Set(['auth', 'hello', 'select', 'client', 'info', 'ping', 'quit', 'readonly', 'cluster', 'command', 'echo', 'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe', 'reset'])

const GATED = Symbol.for('cachesim.gated')
type Marked = {[GATED]?: boolean}

const installed = new Set<string>()

/**
 * Gates the copies of ioredis and mysql2 that `fromDir` resolves to (an app's node_modules), and
 * cachesim's own. Each copy is patched once.
 */
export function installGates(fromDir: string): void {
  for (const base of [path.join(fromDir, 'noop.js'), import.meta.url]) gateFrom(base)
}

/** Gates the copies of the clients that a module at `base` would import. */
function gateFrom(base: string): void {
  const require = createRequire(base)
  for (const name of ['ioredis', 'mysql2', '@redis/client']) {
    const dir = resolveDir(require, name)
    if (dir) gatePackage(dir)
  }
}

/**
 * Gates the clients as a package the app imports would find them (told by the loader for every
 * module it loads): so a copy nested under a library (node-redis under @keyv/redis, a second
 * major under an alias) is gated too.
 */
export function gateImported(url: string): void {
  const file = url.startsWith('file:') ? fileURLToPath(url) : url
  const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file)
  if (!match || seenPackages.has(match[1]!)) return
  seenPackages.add(match[1]!)
  gateFrom(path.join(match[1]!, 'package.json'))
}

const seenPackages = new Set<string>()

function gatePackage(dir: string): void {
  if (installed.has(dir)) return
  installed.add(dir)
  const name = path.basename(path.dirname(dir)) === '@redis' ? '@redis/client' : path.basename(dir)
  if (name === 'ioredis') gateIoredis(createRequire(path.join(dir, 'package.json'))(dir) as IoredisModule, dir)
  else if (name === 'mysql2') gateMysql2(dir)
  else if (name === '@redis/client') gateNodeRedis(dir)
}

/** The package's folder, or null when it is not installed there. */
function resolveDir(require: NodeJS.Require, name: string): string | null {
  try {
    return path.dirname(require.resolve(`${name}/package.json`))
  } catch {
    return null
  }
}

interface IoredisCommand extends Marked {
  name: string
  getKeys(): Array<string | Buffer>
  reject(error: unknown): void
  promise: Promise<unknown>
}
interface IoredisEmitter {
  emit(event: string | symbol, ...args: unknown[]): boolean
  rawListeners(event: string | symbol): Array<(...args: unknown[]) => unknown>
}
interface IoredisModule {
  Redis: {prototype: IoredisEmitter & {sendCommand(this: unknown, command: IoredisCommand, stream?: unknown): Promise<unknown>}}
}
/** ioredis hands each command of a pipeline (or MULTI) to sendCommand with one stream object for the batch. */
type PipelineStream = {isPipeline?: boolean}

function gateIoredis(ioredis: IoredisModule, dir: string): void {
  const proto = ioredis.Redis.prototype
  deliverIoredis(proto, dir)
  const send = proto.sendCommand
  /** The batch being collected for each pipeline's stream: its commands, sent together when the step goes. */
  const batches = new WeakMap<object, Array<{client: unknown; command: IoredisCommand; stream: unknown}>>()
  proto.sendCommand = function (this: unknown, command: IoredisCommand, stream?: unknown) {
    const lane = lanes.getStore()
    const name = command.name.toLowerCase()
    if (SUBSCRIBE.has(name) && this && typeof this === 'object') noteSubscriber(this, lane?.owner)
    if (!lane || command[GATED]) return send.call(this, command, stream)
    command[GATED] = true
    if (stream && (stream as PipelineStream).isPipeline) {
      // A pipeline or MULTI…EXEC is one step: its commands arrive here one after another in
      // one turn of the event loop; they are held, then sent in the same order.
      let batch = batches.get(stream)
      if (!batch) {
        const held: Array<{client: unknown; command: IoredisCommand; stream: unknown}> = []
        batch = held
        batches.set(stream, held)
        // The commands of the batch, MULTI and EXEC aside: what its answer has a reply for each of.
        const queued = () => held.filter((h) => !/^(multi|exec)$/i.test(h.command.name))
        const call = () => {
          const names = held.map((h) => h.command.name.toLowerCase())
          return batchCall(
            names[0] === 'multi',
            names.some((n) => n !== 'multi' && n !== 'exec' && isWrite(n)),
            keysOf(held.map((h) => h.command)),
            publishesOf(queued().map((h) => [h.command.name, ...((h.command as {args?: unknown[]}).args ?? [])])),
          )
        }
        lane
          .step(call, async () => {
            for (const h of held) void send.call(h.client, h.command, h.stream)
            const settled = await Promise.allSettled(held.map((h) => h.command.promise))
            // The replies: a MULTI's are its EXEC's (its queued commands answer QUEUED); a pipeline's, each command's own.
            const exec = held.findIndex((h) => /^exec$/i.test(h.command.name))
            if (exec >= 0) {
              const replies = settled[exec]!
              return replies.status === 'fulfilled' && Array.isArray(replies.value) ? (replies.value as unknown[]) : null
            }
            return settled.map((s) => (s.status === 'fulfilled' ? (s.value as unknown) : null))
          })
          .catch((error: unknown) => {
            for (const h of held) h.command.reject(error)
          })
      }
      batch.push({client: this, command, stream})
      return command.promise
    }
    if (stream || SET_UP.has(name)) return send.call(this, command, stream)
    const args = argsOf((command as {args?: unknown[]}).args ?? [])
    const call = {name: `redis.${name.toUpperCase()}`, write: isWrite(name), readOnly: isReadOnly(name), keys: keysOf([command]), args, ...redisUnchanged(name, args)}
    lane.step(() => call, () => send.call(this, command, stream)).catch((error: unknown) => command.reject(error))
    return command.promise
  }
}

/**
 * ioredis hands a subscriber's message replies to DataHandler.handleSubscriberReply, which emits
 * them (message and messageBuffer for one reply): one reply is one delivery, and its listeners'
 * answers are kept so that the delivery counts as handled once they settle.
 */
function deliverIoredis(proto: IoredisEmitter, dir: string): void {
  const file = path.join(dir, 'built/DataHandler.js')
  if (!existsSync(file)) return
  const handler = (createRequire(file)(file) as {default?: {prototype: {handleSubscriberReply?(reply: unknown): boolean}}}).default?.prototype
  const handle = handler?.handleSubscriberReply
  if (!handler || !handle) return
  handler.handleSubscriberReply = function (this: {redis: object}, reply: unknown) {
    const message = messageOf(reply)
    if (!message) return handle.call(this, reply)
    return deliver(this.redis, message.channel, message.message, () => handle.call(this, reply))
  }
  const emit = proto.emit
  proto.emit = function (this: IoredisEmitter, event: string | symbol, ...args: unknown[]) {
    if (!currentDelivery() || typeof event !== 'string' || !MESSAGES.has(event)) return emit.call(this, event, ...args)
    const listeners = this.rawListeners(event)
    for (const listener of listeners) callListener(() => listener.apply(this, args))
    return listeners.length > 0
  }
}

function isWrite(command: string): boolean {
  if (!isRedisCommand(command)) return true
  return !hasFlag(command, 'readonly') && command !== 'multi' && command !== 'exec'
}

/** A command Redis flags read-only (GET, MGET, TTL, …): it commutes with another such command. */
function isReadOnly(command: string): boolean {
  return isRedisCommand(command) && hasFlag(command, 'readonly')
}

function keysOf(commands: readonly IoredisCommand[]): string[] {
  return commands.flatMap((c) => {
    try {
      return c.getKeys().map((k) => String(k))
    } catch {
      return []
    }
  })
}

type RedisArg = string | Buffer
type Method = (this: unknown, ...params: unknown[]) => Promise<unknown>
type ClientProto = Record<string, Method | undefined>

/**
 * node-redis (v4 and v5), at its client: a command (v5 sendCommand; v4 commandsExecutor and
 * sendCommand) is one step, a MULTI or pipeline (v5 _executeMulti / _executePipeline, v4
 * multiExecutor) one step. The queue below is left alone: the client writes what it queued
 * at once, so a call must be held before it reaches the queue.
 */
function gateNodeRedis(dir: string): void {
  const file = path.join(dir, 'dist/lib/client/index.js')
  if (!existsSync(file)) return
  deliverNodeRedis(path.join(dir, 'dist/lib/client/pub-sub.js'))
  const require = createRequire(file)
  const proto = (require(file) as {default?: {prototype: ClientProto}}).default?.prototype
  if (!proto) return
  const commander = path.join(dir, 'dist/lib/commander.js')
  const transform = existsSync(commander)
    ? (require(commander) as {transformCommandArguments?: (command: unknown, args: unknown[]) => {args: RedisArg[]}}).transformCommandArguments
    : undefined
  const gate = (method: string, describe: (params: unknown[]) => ClientCall | null) => {
    const original = proto[method]
    if (typeof original !== 'function') return
    proto[method] = function (this: unknown, ...params: unknown[]) {
      const lane = lanes.getStore()
      const call = lane ? describe(params) : null
      if (!lane || !call) return original.apply(this, params)
      // The app hears the server's own error, not the step's account of it.
      let failure: {error: unknown} | null = null
      const send = () =>
        original.apply(this, params).catch((error: unknown) => {
          failure = {error}
          throw error
        })
      return lane.step(() => call, send).catch((error: unknown) => {
        throw failure ? (failure as {error: unknown}).error : error
      })
    }
  }
  const single = (args: RedisArg[] | undefined): ClientCall | null => {
    const name = String(args?.[0] ?? '').toLowerCase()
    if (!args || name === '' || SET_UP.has(name)) return null
    const rest = argsOf(args.slice(1))
    return {name: `redis.${name.toUpperCase()}`, write: isWrite(name), readOnly: isReadOnly(name), keys: keysOfArgs(args), args: rest, ...redisUnchanged(name, rest)}
  }
  const batch = (commands: unknown, multi: boolean, wrapped = false): ClientCall => {
    const list = Array.isArray(commands) ? (commands as Array<{args: RedisArg[]}>).map((c) => c.args) : []
    const names = list.map((args) => String(args[0]).toLowerCase())
    return {
      ...batchCall(multi, names.some(isWrite), list.flatMap(keysOfArgs), publishesOf(list)),
      // v4's MULTI answers [MULTI's reply, the QUEUED replies, EXEC's reply].
      ...(wrapped ? {replies: (answer: unknown) => (Array.isArray(answer) ? answer[2] : answer)} : {}),
    }
  }
  gate('sendCommand', (params) => single(params[0] as RedisArg[]))
  gate('commandsExecutor', (params) => (transform ? single(transform(params[0], params[1] as unknown[]).args) : null))
  gate('_executeMulti', (params) => batch(params[0], true))
  gate('_executePipeline', (params) => batch(params[0], false))
  gate('multiExecutor', (params) => batch(params[0], params[2] !== undefined, params[2] !== undefined))
  // v4 attached each command (client.get, client.GET, …) with the executor it had then: route
  // them through the prototype's, now gated.
  const commands = path.join(dir, 'dist/lib/client/commands.js')
  if (typeof proto.commandsExecutor === 'function' && existsSync(commands)) {
    for (const [name, command] of Object.entries((require(commands) as {default?: Record<string, unknown>}).default ?? {})) {
      proto[name] = function (this: unknown, ...args: unknown[]) {
        return (this as ClientProto).commandsExecutor!.call(this, command, args, name)
      }
    }
  }
}

type Listener = (message: unknown, channel: unknown) => unknown
interface PubSubProto {
  subscribe(this: object, type: unknown, channels: unknown, listener: Listener, returnBuffers?: boolean): unknown
  unsubscribe(this: object, type: unknown, channels: unknown, listener?: Listener, returnBuffers?: boolean): unknown
  handleMessageReply(this: object, reply: unknown): boolean
}

/**
 * node-redis (v4 and v5) dispatches a subscriber's messages in PubSub.handleMessageReply, one
 * reply one delivery; each listener is wrapped as it subscribes (and found again as it
 * unsubscribes) so that its answer is kept.
 */
function deliverNodeRedis(file: string): void {
  if (!existsSync(file)) return
  const proto = (createRequire(file)(file) as {PubSub?: {prototype: PubSubProto}}).PubSub?.prototype
  if (!proto?.handleMessageReply || !proto.subscribe || !proto.unsubscribe) return
  const wrappers = new WeakMap<Listener, Listener>()
  const wrap = (listener: Listener): Listener => {
    let wrapped = wrappers.get(listener)
    if (!wrapped) {
      wrapped = (message, channel) => callListener(() => listener(message, channel))
      wrappers.set(listener, wrapped)
    }
    return wrapped
  }
  const {subscribe, unsubscribe, handleMessageReply} = proto
  proto.subscribe = function (type, channels, listener, returnBuffers) {
    noteSubscriber(this, lanes.getStore()?.owner)
    return subscribe.call(this, type, channels, typeof listener === 'function' ? wrap(listener) : listener, returnBuffers)
  }
  proto.unsubscribe = function (type, channels, listener, returnBuffers) {
    return unsubscribe.call(this, type, channels, listener ? (wrappers.get(listener) ?? listener) : listener, returnBuffers)
  }
  proto.handleMessageReply = function (reply) {
    const message = messageOf(Array.isArray(reply) ? reply.map((r: unknown) => (Buffer.isBuffer(r) ? r.toString() : r)) : reply)
    if (!message) return handleMessageReply.call(this, reply)
    return deliver(this, message.channel, message.message, () => handleMessageReply.call(this, reply))
  }
}

/** A MULTI or pipeline as one step, for either client: a batch of reads alone changes nothing. */
function batchCall(multi: boolean, write: boolean, keys: string[], publishes: ReturnType<typeof publishesOf>): ClientCall {
  return {name: multi ? 'redis.MULTI' : 'redis.PIPELINE', write, keys, publishes, ...(write || publishes.length > 0 ? {} : {unchangedBy: () => true})}
}

/** The PUBLISH and SPUBLISH commands of a batch (each as its name and arguments), as [command, channel, message, index in the batch]. */
function publishesOf(commands: ReadonlyArray<readonly unknown[]>): Array<[string, string, string, number]> {
  return commands
    .map((c, index) => [...argsOf(c), index] as const)
    .filter(([name, channel, message]) => /^s?publish$/i.test(String(name ?? '')) && channel !== undefined && typeof message === 'string')
    .map(([name, channel, message, index]) => [String(name).toUpperCase(), String(channel), String(message), index as number])
}

function argsOf(args: readonly unknown[]): string[] {
  return args.map((a) => (Buffer.isBuffer(a) ? a.toString() : String(a)))
}

function keysOfArgs(args: readonly RedisArg[]): string[] {
  const [name, ...rest] = args
  try {
    return getKeyIndexes(String(name).toLowerCase(), rest as Array<string | Buffer>).map((i) => String(rest[i]))
  } catch {
    return []
  }
}

interface Mysql2Command extends Marked {
  constructor: {name: string}
  sql?: string
  onResult?: (error: unknown, ...rest: unknown[]) => void
  once(event: 'end', listener: () => void): unknown
  emit(event: string, ...args: unknown[]): boolean
}
interface Mysql2Connection {
  threadId?: number | null
  addCommand(this: Mysql2Connection, command: Mysql2Command): Mysql2Command
}

function gateMysql2(dir: string): void {
  // mysql2 3.x keeps its connection in lib/base/connection.js (earlier 3.x: lib/connection.js).
  const file = [path.join(dir, 'lib/base/connection.js'), path.join(dir, 'lib/connection.js')].find((f) => existsSync(f))
  if (!file) return
  const required = createRequire(file)(file) as {prototype?: Mysql2Connection} & {default?: {prototype: Mysql2Connection}}
  const proto = required.prototype?.addCommand ? required.prototype : required.default?.prototype
  if (!proto?.addCommand) return
  const add = proto.addCommand
  proto.addCommand = function (this: Mysql2Connection, command: Mysql2Command) {
    const lane = lanes.getStore()
    const kind = command.constructor.name
    // A prepared statement's Prepare is set-up; its Execute is the step.
    if (!lane || command[GATED] || (kind !== 'Query' && kind !== 'Execute')) return add.call(this, command)
    command[GATED] = true
    const sql = command.sql ?? ''
    const verb = sqlVerb(sql)
    let failure: unknown = null
    let answer: unknown = null
    let sent = false
    // The app's callback runs in the actor's context even though the answer arrives on the socket.
    const onResult = command.onResult
    if (onResult) {
      command.onResult = AsyncResource.bind((error: unknown, ...rest: unknown[]) => {
        failure = error ?? null
        answer = rest[0]
        onResult(error, ...rest)
      })
    }
    // The step records what the statement answered: its rows, or how many rows it changed.
    const send = () =>
      new Promise<unknown>((resolve, reject) => {
        sent = true
        // mysql2 hands a result to the callback one tick after 'end' (an error, before it).
        command.once('end', () => process.nextTick(() => (failure ? reject(failure) : resolve(recordOf(answer)))))
        add.call(this, command)
      })
    const thread = this.threadId ?? undefined
    const readOnly = verb === 'select' && !LOCKS_OR_SIDE_EFFECTS.test(sql)
    const unchangedBy = sqlUnchanged(verb, readOnly)
    lane.step(() => ({name: `db.${verb}`, write: !READS.has(verb), readOnly, keys: [], ...(unchangedBy ? {unchangedBy} : {}), ...(thread === undefined ? {} : {thread})}), send).catch((error: unknown) => {
      // The call never went out (a fault, the run abandoned): the app hears of it as of any error.
      if (sent) return
      if (command.onResult) command.onResult(error)
      else command.emit('error', error)
      command.emit('end')
    })
    return command
  }
}

/**
 * Redis writes whose nil or 0 reply says they did nothing: a SET NX or XX that did not set, a DEL
 * or EXPIRE of no key, an HDEL of no field. Not HSET (0: a field updated), INCR (0 is a value),
 * a script (nil when it returns nothing), nor SET … GET (nil: there was no old value).
 */
const NIL_OR_ZERO_IS_NOTHING = new Set(['set', 'setnx', 'msetnx', 'del', 'unlink', 'expire', 'pexpire', 'expireat', 'pexpireat', 'persist', 'hsetnx', 'hdel', 'srem', 'zrem', 'lrem', 'smove', 'renamenx', 'copy', 'getdel'])

/** How a Redis command's reply says it changed nothing, when it can (ClientCall.unchangedBy). */
export function redisUnchanged(name: string, args: readonly string[]): {unchangedBy?: (reply: unknown) => boolean} {
  if (!NIL_OR_ZERO_IS_NOTHING.has(name)) return {}
  if (name === 'set' && args.slice(2).some((a) => a.toUpperCase() === 'GET')) return {}
  return {unchangedBy: (reply) => reply === null || reply === 0}
}

/**
 * How a statement's answer (recordOf) says it changed nothing: a write of 0 rows; a named-lock
 * SELECT that answered 0 or NULL (GET_LOCK(…, 0) that did not get it); a BEGIN, SET, USE or SHOW.
 * Never a COMMIT or ROLLBACK (they publish or drop changes, and free row locks).
 */
export function sqlUnchanged(verb: string, readOnly: boolean): ((reply: unknown) => boolean) | undefined {
  if (readOnly || verb === 'commit' || verb === 'rollback' || verb === 'with' || verb === 'query') return undefined
  if (verb === 'select') {
    return (reply) => {
      if (!Array.isArray(reply) || reply.length !== 1) return false
      const values = Object.values((reply[0] ?? {}) as object)
      return values.length === 1 && (values[0] === null || Number(values[0]) === 0)
    }
  }
  if (READS.has(verb)) return () => true
  return (reply) => typeof reply === 'object' && reply !== null && (reply as {affectedRows?: unknown}).affectedRows === 0
}

/** A statement's answer as plain data for the history: rows for a SELECT, `{affectedRows}` for a change. */
function recordOf(answer: unknown): unknown {
  if (Array.isArray(answer)) return answer.slice(0, 10).map((row: unknown) => (row && typeof row === 'object' ? {...row} : row))
  if (answer && typeof answer === 'object' && 'affectedRows' in answer) return {affectedRows: (answer as {affectedRows: number}).affectedRows}
  return null
}

const READS = new Set(['select', 'show', 'describe', 'explain', 'set', 'begin', 'use', 'with'])

/**
 * What makes a SELECT more than a read: a locking read, a named lock, a sleep, a sequence, an
 * INTO (a file or variables). Such a SELECT is not read-only; when in doubt, it is not.
 */
const LOCKS_OR_SIDE_EFFECTS = /\bfor\s+(update|share)\b|\block\s+in\s+share\s+mode\b|\binto\b|\b(get_lock|release_lock|release_all_locks|is_used_lock|sleep|benchmark|nextval|setval|lastval)\s*\(/i

/** The statement's first word, lower case: `db.select`, `db.update`, `db.begin` (START TRANSACTION too). */
export function sqlVerb(sql: string): string {
  const word = /^\s*(?:\/\*.*?\*\/\s*)*([A-Za-z]+)(\s+transaction)?/is.exec(sql)
  if (!word) return 'query'
  const verb = word[1]!.toLowerCase()
  return verb === 'start' && word[2] ? 'begin' : verb
}
