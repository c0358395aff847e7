/**
 * mpsc — Rust's `std::sync::mpsc`: multi-producer, single-consumer channels.
 * https://doc.rust-lang.org/std/sync/mpsc/
 *
 * A channel is a record in run memory and a chain of rings of message slots.
 * The record's words sit on three 64-byte cache lines, so that a word one
 * side writes for every message never shares a line with a word the other
 * side reads for every message (a line written by one core and read by the
 * other moves between them on each access):
 *   the senders' line:  0 the send word   1 the ring they write   2 the slot they write next
 *                       3 messages taken, as the senders last read it   4 the word senders
 *                       asleep on the lock sleep on   5 their position   6 the receiver's
 *                       position, as they last read it
 *   the receiver's line: 16 the ring it reads   17 the slot it reads next   18 messages taken
 *                       19 the taken word   20 its position   21 its position, published
 *   written seldom:     32 live senders   33 receiver alive   34 capacity (-1 unbounded, 0 rendezvous)
 *                       35 released: set by the first side (the last Sender, or the Receiver) to let go
 *                       36 untracked: a borrowed handle was dropped or sent on (below)
 *
 * The send word is the channel's futex: the count of messages sent, shifted
 * left by three, and three flags: the send lock (several senders write in
 * turn), a receiver asleep on the word, senders asleep on the lock. A sender
 * takes the lock with one atomic OR, writes its slot, and publishes its
 * message, unlocks and learns whether anyone sleeps with one atomic
 * exchange: two atomics a send (each costs ~10 ns in V8, loads included,
 * more than the rest of a send of a number). The taken word is the same for
 * the receiver: the count taken, published with one exchange, and a flag
 * for senders asleep on it (waiting for room, or for their rendezvous).
 * Counts are 29 bits and wrap; they are only ever compared by difference.
 *
 * The queue is a single-consumer ring in the manner of Lamport's, each side
 * keeping the other's progress as it last read it (as in Rigtorp's
 * SPSCQueue): the receiver reads slots up to the senders' count it last
 * read and loads the send word again only once it has caught up with it; a
 * sender loads the receiver's position only when its ring looks full (the
 * receiver publishes it every PUBLISH_EVERY messages, each message for a
 * bounded channel, and whenever it catches up). So while one side is ahead,
 * the two share no line but the slots'. The one receiver reads without a
 * lock: a Receiver cannot be shared between threads (arc.ts refuses it, as
 * Rust's type system does).
 *
 * A ring is a block: a 16-byte header [next ring, slots, position of its
 * first slot, count it ends at] and its 8-byte slots; a position counts the
 * slots used since the channel began. A number is its float64 in one slot:
 * no encoding, no allocation, eight to a cache line. Anything else is
 * encoded (codec.ts) and starts with a header slot that reads as a NaN
 * (see SLOT_BYTES): up to INLINE_MAX bytes go into the ring itself, in the
 * slots after the header (a message that does not fit before the ring's
 * end leaves PADDING there and starts at slot 0), and are decoded in place;
 * a longer one goes into a block of its own. A message's ticket is its
 * count plus one: a rendezvous sender knows from the count taken when its
 * message was received, and finds it by counting to take it back. A sender
 * that finds its ring without room starts one twice the size: it writes
 * the old ring's end count, then links the new ring from it, before it
 * publishes a message in the new one; the receiver, having read up to the
 * end count, moves to the linked ring and frees the old. Shrinking is the
 * same move the other way: after a burst, an unbounded channel's ring of
 * more than SHRINK_ABOVE slots that a sender finds empty (it looks every
 * SHRINK_EVERY-th send, so a steady stream pays one atomic load in that
 * many) is swapped for one a quarter its size, so a channel keeps ~32 KB of
 * ring once its bursts are over, not its largest burst's for good.
 *
 * Sleeping: a receiver that finds nothing (after watching the send word for
 * a moment) sets its flag in the send word, looks once more, and sleeps on
 * the word; the sender's exchange sees the flag and wakes it. Every
 * JavaScript atomic is sequentially consistent, so either the receiver sees
 * the message or the sender sees the flag. When the last Sender is dropped
 * — by `drop(tx)`, or because the thread that owned it ended — the channel
 * is disconnected, the flag cleared and the receiver woken: `recv` on an
 * empty queue throws RecvError. Messages travel through shared memory,
 * never postMessage: a blocked receiver cannot get messages.
 *
 * Freeing: as in Rust's channels (their `counter` module's `destroy`
 * flag), whichever side lets go second — the last Sender's drop or the
 * Receiver's — frees the record, its rings and the blocks of any message
 * never taken, so a program that makes and drops channels in a loop (or
 * one channel per request) holds only the channels alive. A handle a
 * scoped thread, a par closure or an Arc lends (decoded as borrowed) is
 * counted once, by its owner; dropping it where it is lent (which Rust
 * would not compile, and which the book allows for a scoped producer's
 * clone) or sending it on makes the counts say nothing about when the last
 * handle goes, since the owner's handle will be dropped again: such a
 * channel is marked untracked and never freed, as no channel was before.
 * So is one a handle of which a guard wrote into its lock's value (a copy:
 * the handle stays its thread's, runtime/handle.ts LENT).
 */
import { traceEvent, traceSend } from '../runtime/trace.ts';
import { firstTimedReceiveRunsOut, now, readPoint, scheduled, yieldPoint } from '../runtime/scheduler.ts';
import { context, type Owned } from '../runtime/context.ts';
import { decodeValue, decodeValueAt, LITTLE_ENDIAN, moveHandles, releaseStaged, stageValue } from '../runtime/codec.ts';
import { ENCODE, FREE_LOCAL, HandleKind, LENT, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { dropTree, own } from '../runtime/ownership.ts';
import { blockWhileEqual, SPIN_MS, spinWhileEqual, waitWhileEqual, wake, type WaitTarget } from '../runtime/wait.ts';
import { RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError } from './errors.ts';

/** Where a sent message's handles go, for the "use of moved value" message. */
const INTO_CHANNEL = Object.freeze({ into: 'the channel' });

const W = {
  // The senders' line.
  send: 0,
  writeRing: 1,
  writeSlot: 2,
  takenSeen: 3,
  lockSleep: 4,
  writePos: 5,
  readPosSeen: 6,
  // The receiver's line.
  readRing: 16,
  readSlot: 17,
  readCount: 18,
  taken: 19,
  readPos: 20,
  readPosPublished: 21,
  // Written seldom.
  senders: 32,
  receiverAlive: 33,
  capacity: 34,
  released: 35,
  untracked: 36,
} as const;
const WORDS = 37;
/** Bytes of a cache line: the record starts on one (its block is allocated with room to align it). */
const LINE = 64;

/** The send word's flags; the count is the word shifted right by COUNT_SHIFT. */
const RECEIVER_ASLEEP = 1;
const LOCKED = 2;
const SENDERS_ASLEEP = 4;
/** The taken word's flag: senders asleep on it. */
const ROOM_AWAITED = 1;
const COUNT_SHIFT = 3;
const COUNT_MASK = (1 << (32 - COUNT_SHIFT)) - 1;
const countOf = (word: number): number => word >>> COUNT_SHIFT;
/** a - b for counts that wrap (29 bits), as a signed number. */
const diff = (a: number, b: number): number => ((a - b) << COUNT_SHIFT) >> COUNT_SHIFT;
const nextCount = (c: number): number => (c + 1) & COUNT_MASK;

/**
 * A ring's header words: the next ring (0 until the senders move on), its
 * slots, the position of its first slot, the count it ends at (set before
 * the next ring is). A position counts slots used since the channel began,
 * padding included, and wraps at 32 bits.
 */
const RING_NEXT = 0;
const RING_SLOTS = 1;
const RING_BASE = 2;
const RING_END = 3;
/** Int32 words before a ring's first slot. */
const RING_HEADER_WORDS = 4;
/**
 * A slot is 8 bytes. A number's message is its float64 in one slot (a NaN
 * goes through the codec, so a number in a slot is never NaN). Any other
 * message starts with a header slot which, read as a float64, is NaN: its
 * high word is a tag (TAG_BASE, a NaN's top bits, and a kind) and its low
 * word the message's byte length (INLINE: the encoding follows in the next
 * slots) or its block's address (BLOCK: the slot after holds the length);
 * PADDING says the rest of the ring is skipped and the message is at slot 0.
 * So a number takes one slot, and eight numbers share a cache line.
 */
const SLOT_BYTES = 8;
const TAG_BASE = 0xfff80000 | 0;
const TAG_INLINE = TAG_BASE | 1;
const TAG_BLOCK = TAG_BASE | 2;
const TAG_PADDING = TAG_BASE | 3;
/** Which of a slot's two Int32 words is the float64's high half (typed arrays use the platform's byte order). */
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;
/** The longest encoding kept in the ring rather than a block of its own. */
const INLINE_MAX = 504;
/** Slots a message whose header holds `tag` and `low` takes. */
const slotsOf = (tag: number, low: number): number => (tag === TAG_INLINE ? 1 + ((low + 7) >> 3) : 2);
/** The Int32 word at which slot `slot` begins; its float64 is at `(word >> 1)`, its bytes at `word << 2`. */
const slotWord = (slot: number): number => RING_HEADER_WORDS + (slot << 1);
/** a - b for positions (32 bits, wrapping). */
const posDiff = (a: number, b: number): number => (a - b) | 0;
/** Slots of a channel's first ring: with its header and the allocator's 8-byte one it fills the 256-byte size class. */
const FIRST_RING_SLOTS = 29;
/** Loads a sender makes watching a held send lock before it sleeps on it (the lock is held for a few instructions). */
const LOCK_WATCHES = 1000;
/** Rings larger than this (32 KB) shrink once found empty (see "Shrinking is the same move" above): a quarter at a time. */
const SHRINK_ABOVE = 4093;
/** Sends between two looks for an empty oversized ring (a power of two). */
const SHRINK_EVERY = 256;
/** How often the receiver of an unbounded channel publishes its count (a power of two). */
const PUBLISH_EVERY = 16;

/** What `#take` returns when there is no message (any other value is the message). */
const EMPTY: unique symbol = Symbol('empty');
const DISCONNECTED: unique symbol = Symbol('disconnected');

/**
 * One thread's fixed-length views of one ring (several times cheaper per
 * access than the run memory's growable view), made again when the side it
 * serves has moved to another ring.
 */
class RingViews {
  at = 0;
  size = 0;
  words: Int32Array<ArrayBufferLike> = new Int32Array(0);
  numbers: Float64Array<ArrayBufferLike> = new Float64Array(0);
  bytes: Uint8Array<ArrayBufferLike> = new Uint8Array(0);

  /** The views of the ring at `at` (a ring's address, never 0). */
  of(at: number): this {
    if (at !== this.at) {
      const buffer = context().memory.buffer;
      const size = new Int32Array(buffer, at, RING_HEADER_WORDS)[RING_SLOTS]!;
      this.words = new Int32Array(buffer, at, RING_HEADER_WORDS + size * 2);
      this.numbers = new Float64Array(buffer, at, RING_HEADER_WORDS / 2 + size);
      this.bytes = new Uint8Array(buffer, at, RING_HEADER_WORDS * 4 + size * SLOT_BYTES);
      this.size = size;
      this.at = at;
    }
    return this;
  }
}

/** A new ring of `slots` slots, its first at position `base` (its slots are not cleared: each is written before it is read). */
function newRing(slots: number, base: number): number {
  const { memory } = context();
  const ring = memory.alloc(RING_HEADER_WORDS * 4 + slots * SLOT_BYTES);
  const header = ring >> 2;
  memory.i32[header + RING_NEXT] = 0;
  memory.i32[header + RING_SLOTS] = slots;
  memory.i32[header + RING_BASE] = base;
  memory.i32[header + RING_END] = 0;
  return ring;
}

/** A fixed-length view of one channel's record (`addr` is its block; the record starts on the first cache line in it). */
function recordView(addr: number): Int32Array {
  return new Int32Array(context().memory.buffer, (addr + LINE - 1) & -LINE, WORDS);
}

function createChannel(capacity: number): number {
  const addr = context().memory.allocRecord(WORDS + (LINE >> 2) - 1);
  const rec = recordView(addr);
  rec[W.senders] = 1;
  rec[W.receiverAlive] = 1;
  rec[W.capacity] = capacity;
  return addr;
}

/**
 * One side of the channel is gone for good (every Sender, or the Receiver):
 * the side that comes second frees the channel. Called last in a drop, after
 * the wakes, so nothing touches the record after it is freed.
 */
function release(rec: Int32Array, addr: number): void {
  if (Atomics.exchange(rec, W.released, 1) === 0 || Atomics.load(rec, W.untracked) !== 0) return;
  const { memory } = context();
  // A rendezvous queue's messages were taken back by their senders (Sender#takeBack freed their blocks).
  if (rec[W.capacity] !== 0 && rec[W.readRing] !== 0) {
    forEachQueued(rec, (_count, at, words) => {
      if (words[at + HI] === TAG_BLOCK) memory.free(words[at + LO]!);
      return false;
    });
  }
  for (let ring = rec[W.readRing]!; ring !== 0; ) {
    const next = memory.i32[(ring >> 2) + RING_NEXT]!;
    memory.free(ring);
    ring = next;
  }
  memory.free(addr);
}

/** A borrowed handle was dropped or sent on, or a handle was copied into a lock: the channel is never freed (see "Freeing" above). */
function untrack(addr: number): void {
  Atomics.store(recordView(addr), W.untracked, 1);
}

/**
 * Walks the messages not yet taken, from the receiver's place, calling
 * `visit` with each one's count (before it), the word of its first slot in
 * `words` (its ring's view), until `visit` returns true. Numbers are not
 * visited. The caller keeps both sides still (the send lock, or both gone).
 */
function forEachQueued(rec: Int32Array, visit: (count: number, at: number, words: Int32Array<ArrayBufferLike>) => boolean): void {
  const views = new RingViews();
  let slot = rec[W.readSlot]!;
  let end = NaN;
  views.of(rec[W.readRing]!);
  for (let count = rec[W.readCount]!; diff(countOf(rec[W.send]!), count) > 0; ) {
    if (end !== end && views.words[RING_NEXT] !== 0) end = views.words[RING_END]!;
    if (count === end) {
      views.of(views.words[RING_NEXT]!);
      slot = 0;
      end = NaN;
      continue;
    }
    let at = slotWord(slot);
    if (views.numbers[at >> 1] !== views.numbers[at >> 1] && views.words[at + HI] === TAG_PADDING) at = slotWord((slot = 0));
    const isNumber = views.numbers[at >> 1] === views.numbers[at >> 1];
    if (!isNumber && visit(count, at, views.words)) return;
    slot += isNumber ? 1 : slotsOf(views.words[at + HI]!, views.words[at + LO]!);
    if (slot === views.size) slot = 0;
    count = nextCount(count);
  }
}

/**
 * Takes the send lock: one atomic OR when it is free; else watches it, then
 * sleeps on the lock-sleep word with SENDERS_ASLEEP set. As in Drepper's
 * mutex ("Futexes Are Tricky", mutex 2), a sender that has slept takes the
 * lock with the flag set, not knowing whether others still sleep, so its
 * unlock wakes the next one.
 */
function lockSend(rec: Int32Array): void {
  if ((Atomics.or(rec, W.send, LOCKED) & LOCKED) === 0) return;
  for (let i = 0; i < LOCK_WATCHES; i++) {
    if ((Atomics.load(rec, W.send) & LOCKED) === 0 && (Atomics.or(rec, W.send, LOCKED) & LOCKED) === 0) return;
  }
  for (;;) {
    const seen = Atomics.load(rec, W.lockSleep);
    if ((Atomics.or(rec, W.send, LOCKED | SENDERS_ASLEEP) & LOCKED) === 0) return;
    waitWhileEqual(rec, W.lockSleep, seen, Infinity, false);
  }
}

/**
 * Releases the send lock; with `sent`, publishes that count in the same
 * exchange. The flags go with it: a receiver asleep on the word wakes, and
 * one sender asleep on the lock.
 */
function unlockSend(rec: Int32Array, sent?: number): void {
  const old = sent === undefined ? Atomics.and(rec, W.send, ~(LOCKED | RECEIVER_ASLEEP | SENDERS_ASLEEP)) : Atomics.exchange(rec, W.send, sent << COUNT_SHIFT);
  if ((old & (RECEIVER_ASLEEP | SENDERS_ASLEEP)) === 0) return;
  if ((old & RECEIVER_ASLEEP) !== 0) wake(rec, W.send);
  if ((old & SENDERS_ASLEEP) !== 0) {
    Atomics.add(rec, W.lockSleep, 1);
    wake(rec, W.lockSleep, 1);
  }
}

/**
 * Blocks a sender on the taken word until `done()` may hold (the caller
 * re-checks): it sets ROOM_AWAITED first, so the receiver's next publish
 * (or its drop) sees the flag and wakes it.
 */
function awaitTaken(rec: Int32Array, done: () => boolean, target: WaitTarget): void {
  const word = Atomics.load(rec, W.taken);
  if (done()) return;
  if (Atomics.compareExchange(rec, W.taken, word, word | ROOM_AWAITED) !== word) return;
  if (done()) return;
  blockWhileEqual(rec, W.taken, word | ROOM_AWAITED, Infinity, target);
}

/** The sending half of a channel. Clone it to have several producers. */
export class Sender<T> extends MovableHandle implements Owned, Disposable {
  protected readonly what: string = 'Sender';
  readonly #addr: number;
  #dropped = false;
  /** Lent, not owned (a scoped thread's, a par closure's, an Arc's): its owner's handle is the one counted. */
  readonly #borrowed: boolean;
  /** The channel record through a fixed-length view (~5x cheaper per access than the run memory's growable view). */
  #rec: Int32Array | undefined;
  #ring = new RingViews();

  constructor(addr: number, owned: boolean) {
    super();
    this.#addr = addr;
    this.#borrowed = !owned;
    if (owned) own(this);
  }

  protected override onMoved(): void {
    if (this.#borrowed) untrack(this.#addr);
    super.onMoved();
  }

  /** Copied into a lock's value by a guard (runtime/handle.ts LENT): a copy the counts do not see. */
  [LENT](): void {
    untrack(this.#addr);
  }

  [ENCODE]() {
    this.#assertLive();
    return { kind: this.kind, addr: this.#addr };
  }

  protected get kind(): HandleKind {
    return HandleKind.Sender;
  }

  #assertLive(): void {
    this.assertUsable();
    if (this.#dropped) throw new Error(`use of dropped value: this ${this.what} was dropped`);
  }

  /**
   * Sends a value. Unbounded channels never block; a bounded one blocks while
   * full, and a rendezvous channel (capacity 0) until the receiver takes it.
   * Throws SendError, holding the value, when the Receiver is gone.
   */
  send(value: T): void {
    this.#assertLive();
    this.#send(value, Infinity, 'send');
  }

  /** Sends without blocking; throws TrySendError ('full' or 'disconnected'). */
  trySend(value: T): void {
    this.#assertLive();
    this.#send(value, 0, 'trySend');
  }

  #send(value: T, timeoutMs: number, api: 'send' | 'trySend'): void {
    yieldPoint();
    const { memory } = context();
    const rec = (this.#rec ??= recordView(this.#addr));
    const isNumber = typeof value === 'number' && value === value;
    // Encoded on the thread's Writer and copied from there into the ring (or a block), with no copy of its own.
    const message = isNumber ? undefined : stageValue(value);
    const length = message === undefined ? 0 : message.length;
    const handles = message === undefined ? null : message.handles;
    const inline = message !== undefined && length <= INLINE_MAX;
    // A long message's block, filled before the lock is taken.
    let node = 0;
    if (message !== undefined && !inline) {
      node = memory.alloc(Math.max(8, length));
      memory.u8.set(new Uint8Array(message.words.buffer, 0, length), node);
      releaseStaged(message);
    }
    const need = isNumber ? 1 : inline ? slotsOf(TAG_INLINE, length) : 2;

    const capacity = rec[W.capacity]!;
    lockSend(rec);
    let sent = countOf(rec[W.send]!);
    for (;;) {
      // A plain read: the receiver's drop is seen by any send that comes after it.
      if (rec[W.receiverAlive] !== 1) {
        unlockSend(rec);
        this.#fail(value, node, api === 'trySend' ? 'disconnected' : undefined);
      }
      if (capacity < 0) break;
      if (capacity === 0) {
        if (timeoutMs !== 0) break;
        // A rendezvous trySend succeeds only when the receiver is already waiting to take the message (Rust: Full otherwise).
        if ((rec[W.send]! & RECEIVER_ASLEEP) !== 0 && sent === countOf(Atomics.load(rec, W.taken))) break;
        unlockSend(rec);
        this.#fail(value, node, 'full');
      }
      // A bounded channel: room while fewer than `capacity` are queued (the count taken as last read can only be behind).
      if (diff(sent, rec[W.takenSeen]!) < capacity) break;
      if (diff(sent, (rec[W.takenSeen] = countOf(Atomics.load(rec, W.taken)))) < capacity) break;
      unlockSend(rec);
      if (timeoutMs === 0) this.#fail(value, node, 'full');
      const room = () => diff(sent, countOf(Atomics.load(rec, W.taken))) < capacity || Atomics.load(rec, W.receiverAlive) !== 1;
      awaitTaken(rec, room, { kind: 'channel-send', object: this.#addr });
      lockSend(rec);
      sent = countOf(rec[W.send]!);
    }

    let slot = rec[W.writeSlot]!;
    let pos = rec[W.writePos]!;
    const ring = this.#ring;
    const ringAt = rec[W.writeRing]!;
    if (ringAt === 0) {
      // The first send: the first ring, for the receiver too.
      const first = this.#newRing(rec, Math.max(FIRST_RING_SLOTS, need * 2), pos, node);
      rec[W.writeRing] = first;
      Atomics.store(rec, W.readRing, first);
      ring.of(first);
    } else {
      ring.of(ringAt);
      if ((sent & (SHRINK_EVERY - 1)) === 0 && ring.size > SHRINK_ABOVE && capacity < 0 && posDiff(pos, Atomics.load(rec, W.readPosPublished)) === 0) {
        // Empty after a burst: a ring a quarter the size (4n+9 = the old one, in the sizes growth makes) takes over, as when one grows.
        const smaller = this.#newRing(rec, Math.max(FIRST_RING_SLOTS, need * 2, (ring.size - 9) >> 2), pos, node);
        ring.words[RING_END] = sent;
        Atomics.store(ring.words, RING_NEXT, smaller);
        rec[W.writeRing] = smaller;
        slot = 0;
        ring.of(smaller);
      }
      // Room: the slots left before the ring's end (or the whole start again, after padding the end), of those the
      // messages not yet taken leave free; the receiver's position is read again before the ring counts as full.
      const size = ring.size;
      const wanted = slot + need <= size ? need : size - slot + need;
      const from = ring.words[RING_BASE]!;
      let read = rec[W.readPosSeen]!;
      if (size - posDiff(pos, posDiff(read, from) > 0 ? read : from) < wanted) read = rec[W.readPosSeen] = Atomics.load(rec, W.readPosPublished);
      if (size - posDiff(pos, posDiff(read, from) > 0 ? read : from) < wanted) {
        // A ring twice the size (2n+3 slots and the headers fill the next size class), linked once the old one's end is set.
        let grownSize = size * 2 + 3;
        while (grownSize < need) grownSize = grownSize * 2 + 3;
        const grown = this.#newRing(rec, grownSize, pos, node);
        ring.words[RING_END] = sent;
        Atomics.store(ring.words, RING_NEXT, grown);
        rec[W.writeRing] = grown;
        slot = 0;
        ring.of(grown);
      } else if (wanted !== need) {
        // The message does not fit before the ring's end: the end is skipped, the message goes at the start.
        ring.words[slotWord(slot) + HI] = TAG_PADDING;
        pos = (pos + size - slot) | 0;
        slot = 0;
      }
    }
    const ticket = nextCount(sent);
    const at = slotWord(slot);
    if (isNumber) ring.numbers[at >> 1] = value;
    else if (inline) {
      ring.words[at + HI] = TAG_INLINE;
      ring.words[at + LO] = length;
      // Word by word: the slots it takes are whole words (slotsOf), and a short copy in a loop beats a subarray and set().
      const from = message!.words;
      const words = ring.words;
      for (let k = 0, to = at + 2, n = (length + 3) >> 2; k < n; k++) words[to + k] = from[k]!;
      releaseStaged(message!);
    } else {
      ring.words[at + HI] = TAG_BLOCK;
      ring.words[at + LO] = node;
      ring.words[at + 2 + LO] = length;
    }
    rec[W.writeSlot] = slot + need === ring.size ? 0 : slot + need;
    rec[W.writePos] = (pos + need) | 0;
    // Traced before it is published, so the receive of this message comes after it in the trace.
    try {
      traceSend(this.#addr, capacity); // with the channel's capacity (trace.ts, channelCapacityOf)
    } finally {
      // Published and unlocked in one exchange; the receiver reads the slot once it sees the count.
      unlockSend(rec, ticket);
    }
    // A rendezvous message's handles change owner only once it is received (its send may still fail and give them back).
    if (capacity !== 0) moveHandles(handles, INTO_CHANNEL);

    if (capacity === 0) {
      // Rendezvous: the send completes when the receiver has taken this message,
      // and fails, giving the value back, when the receiver is dropped first.
      const takenMine = () => diff(countOf(Atomics.load(rec, W.taken)), ticket) >= 0;
      while (!takenMine()) {
        if (Atomics.load(rec, W.receiverAlive) !== 1 && this.#takeBack(rec, ticket)) {
          if (api === 'trySend') throw new TrySendError('disconnected', value);
          throw new SendError(value);
        }
        const done = () => takenMine() || Atomics.load(rec, W.receiverAlive) !== 1;
        awaitTaken(rec, done, { kind: 'channel-send', object: this.#addr });
      }
      moveHandles(handles, INTO_CHANNEL);
    }
  }

  /**
   * A ring for the send lock's holder: if the run's memory cannot hold it,
   * the lock is released before the error goes on, so the other senders are
   * not left waiting for it.
   */
  #newRing(rec: Int32Array, slots: number, base: number, node: number): number {
    try {
      return newRing(slots, base);
    } catch (error) {
      unlockSend(rec);
      if (node !== 0) context().memory.free(node);
      throw error;
    }
  }

  /** A send that failed before its message was queued: its block is freed, and the value goes back in the error. */
  #fail(value: T, node: number, why: 'full' | 'disconnected' | undefined): never {
    if (node !== 0) context().memory.free(node);
    if (why === undefined) throw new SendError(value);
    throw new TrySendError(why, value);
  }

  /**
   * A rendezvous send whose receiver is gone: takes its message (the one with
   * `ticket`) back out of the queue (the receiver's drop leaves a rendezvous
   * queue to its senders), unless it was received just before. True when it
   * was taken back. Nobody reads the queue any more, so the message stays
   * where it is, its block (if it has one) freed without decoding: the
   * handles inside never left the sender.
   */
  #takeBack(rec: Int32Array, ticket: number): boolean {
    lockSend(rec);
    try {
      if (diff(countOf(Atomics.load(rec, W.taken)), ticket) >= 0) return false;
      // Walk the messages not yet taken, from the receiver's place, to this one (a number cannot be a rendezvous
      // sender's to take back: it has no block).
      forEachQueued(rec, (count, at, words) => {
        if (nextCount(count) !== ticket) return false;
        // Freed without decoding: the handles inside never left the sender.
        if (words[at + HI] === TAG_BLOCK) context().memory.free(words[at + LO]!);
        return true;
      });
      return true;
    } finally {
      unlockSend(rec);
    }
  }

  /** Another Sender for the same channel (Rust: `tx.clone()`). */
  clone(): Sender<T> {
    this.#assertLive();
    Atomics.add((this.#rec ??= recordView(this.#addr)), W.senders, 1);
    return new (this.constructor as new (addr: number, owned: boolean) => Sender<T>)(this.#addr, true);
  }

  /** Drops this Sender; when the last one goes, the receiver sees the channel close. */
  drop(): void {
    if (this.#dropped || this.isMoved) return;
    this.#dropped = true;
    context().owned.delete(this);
    const rec = (this.#rec ??= recordView(this.#addr));
    if (this.#borrowed) untrack(this.#addr);
    if (Atomics.sub(rec, W.senders, 1) === 1) {
      // Disconnected: a receiver asleep on the send word wakes (its flag cleared, the word differs) and sees it.
      Atomics.and(rec, W.send, ~RECEIVER_ASLEEP);
      wake(rec, W.send);
      // The senders' side is gone: freed here if the Receiver went first.
      release(rec, this.#addr);
    }
  }

  [Symbol.dispose](): void {
    this.drop();
  }

  /** The end of the block that declared it, which only sent on it or cloned it (compile/local-drops.ts): dropped there, as in Rust. */
  [FREE_LOCAL](): void {
    this.drop();
  }

  dropOnExit(): void {
    this.drop();
  }

  toString(): string {
    return `${this.what} { .. }`;
  }
}

/** The sending half of a bounded channel (Rust's `SyncSender`). */
export class SyncSender<T> extends Sender<T> {
  protected override readonly what: string = 'SyncSender';
  protected override get kind(): HandleKind {
    return HandleKind.SyncSender;
  }
}

/** The receiving half of a channel. Iterate it to receive until every Sender is gone. */
export class Receiver<T> extends MovableHandle implements Owned, Disposable, Iterable<T> {
  protected readonly what = 'Receiver';
  readonly #addr: number;
  #dropped = false;
  /** Lent, not owned (a scoped thread's, a par closure's): its owner's handle is the one counted. */
  readonly #borrowed: boolean;
  #rec: Int32Array | undefined;
  #ring = new RingViews();

  constructor(addr: number, owned: boolean) {
    super();
    this.#addr = addr;
    this.#borrowed = !owned;
    if (owned) own(this);
  }

  protected override onMoved(): void {
    if (this.#borrowed) untrack(this.#addr);
    super.onMoved();
  }

  /** Copied into a lock's value by a guard (runtime/handle.ts LENT): a copy the counts do not see. */
  [LENT](): void {
    untrack(this.#addr);
  }

  [ENCODE]() {
    this.#assertLive();
    return { kind: HandleKind.Receiver, addr: this.#addr };
  }

  #assertLive(): void {
    this.assertUsable();
    if (this.#dropped) throw new Error('use of dropped value: this Receiver was dropped');
  }

  /**
   * The senders' count as this Receiver last read it, and the end count of
   * the ring it reads when that ring is closed (NaN while it may grow: the
   * senders close a ring before they publish a count beyond it). Both are
   * only this object's caches: the position is in the record, so a Receiver
   * decoded again (moved to another thread, or kept in a Mutex) starts from
   * where the last one stopped, and a cache the record has overtaken is
   * read again.
   */
  #sentSeen = 0;
  #ringEnd = NaN;

  /** Loads the senders' count, then the ring being read and whether it is closed (in that order: see #ringEnd). */
  #refresh(rec: Int32Array): number {
    const sent = (this.#sentSeen = countOf(Atomics.load(rec, W.send)));
    // The senders set the first ring; after that the ring is the receiver's own word.
    const ringAt = this.#ring.at === 0 ? Atomics.load(rec, W.readRing) : rec[W.readRing]!;
    if (ringAt === 0) return sent;
    if (ringAt !== this.#ring.at) this.#ringEnd = NaN;
    const words = this.#ring.of(ringAt).words;
    if (this.#ringEnd !== this.#ringEnd && Atomics.load(words, RING_NEXT) !== 0) this.#ringEnd = words[RING_END]!;
    return sent;
  }

  /** Takes the next message if there is one: the message, or EMPTY or DISCONNECTED. */
  #take(): T | typeof EMPTY | typeof DISCONNECTED {
    const rec = (this.#rec ??= recordView(this.#addr));
    const taken = rec[W.readCount]!;
    if (diff(this.#sentSeen, taken) <= 0 || rec[W.readRing] !== this.#ring.at) {
      if (this.#refresh(rec) === taken) {
        // Caught up: everything read is published, so the senders see the whole ring free.
        if (rec[W.readPosPublished] !== rec[W.readPos]) Atomics.store(rec, W.readPosPublished, rec[W.readPos]!);
        if (Atomics.load(rec, W.senders) !== 0) return EMPTY;
        // No Sender left: whatever they sent is published now, so one more look decides.
        if (this.#refresh(rec) === taken) return DISCONNECTED;
      }
    }
    let ring = this.#ring;
    if (taken === this.#ringEnd) {
      // Every message of this ring is read: on to the one the senders moved to.
      const old = ring.at;
      const next = ring.words[RING_NEXT]!;
      rec[W.readRing] = next;
      rec[W.readSlot] = 0;
      ring = ring.of(next);
      this.#ringEnd = Atomics.load(ring.words, RING_NEXT) !== 0 ? ring.words[RING_END]! : NaN;
      context().memory.free(old);
    }
    let slot = rec[W.readSlot]!;
    let pos = rec[W.readPos]!;
    let at = slotWord(slot);
    const number = ring.numbers[at >> 1]!;
    const count = (rec[W.readCount] = nextCount(taken));
    if (number === number) {
      rec[W.readSlot] = slot + 1 === ring.size ? 0 : slot + 1;
      rec[W.readPos] = pos = (pos + 1) | 0;
      this.#published(rec, count, pos);
      return number as T;
    }
    if (ring.words[at + HI] === TAG_PADDING) {
      // The senders skipped the ring's end: the message is at its start.
      pos = (pos + ring.size - slot) | 0;
      at = slotWord((slot = 0));
    }
    const tag = ring.words[at + HI]!;
    const low = ring.words[at + LO]!;
    const need = slotsOf(tag, low);
    rec[W.readSlot] = slot + need === ring.size ? 0 : slot + need;
    rec[W.readPos] = pos = (pos + need) | 0;
    // Decoded before the slots are published as free (a block's message is copied out: the block is freed at once).
    let value: unknown;
    if (tag === TAG_INLINE) value = decodeValueAt(ring.bytes, (at + 2) << 2, { owned: true });
    else {
      const { memory } = context();
      const copy = memory.read(low, ring.words[at + 2 + LO]!);
      memory.free(low);
      value = decodeValue(copy, { owned: true });
    }
    this.#published(rec, count, pos);
    return value as T;
  }

  /**
   * Publishes the receiver's count and position after a take: for a bounded
   * channel each time (its senders wait on the count); for an unbounded
   * one, whose senders read the position only when their ring looks full,
   * every PUBLISH_EVERY messages.
   */
  #published(rec: Int32Array, count: number, pos: number): void {
    if (rec[W.capacity]! >= 0) {
      Atomics.store(rec, W.readPosPublished, pos);
      this.#publish(rec, count);
    } else if ((count & (PUBLISH_EVERY - 1)) === 0) Atomics.store(rec, W.readPosPublished, pos);
  }

  /** Publishes the count taken, waking senders asleep on it. */
  #publish(rec: Int32Array, count: number): void {
    if ((Atomics.exchange(rec, W.taken, count << COUNT_SHIFT) & ROOM_AWAITED) !== 0) wake(rec, W.taken);
  }

  #receive(timeoutMs: number): T | typeof EMPTY | typeof DISCONNECTED {
    const rec = (this.#rec ??= recordView(this.#addr));
    yieldPoint();
    const deadline = timeoutMs === Infinity ? Infinity : now(context().memory) + timeoutMs;
    for (;;) {
      const taken = this.#take();
      if (taken !== EMPTY) {
        traceEvent(taken === DISCONNECTED ? 'closed' : 'recv', this.#addr);
        return taken;
      }
      const remaining = deadline - now(context().memory);
      if (remaining <= 0) return EMPTY;
      // Under a seed, the first timed receive that has to wait runs out its time (runtime/scheduler.ts, "Fault injection").
      if (deadline !== Infinity && firstTimedReceiveRunsOut(deadline)) return EMPTY;
      // Watch the send word before sleeping: a sender pays Atomics.notify only for a receiver that sleeps.
      // Under a seed the sender cannot run while this thread holds the turn: no watch then.
      const memory = context().memory;
      const word = Atomics.load(rec, W.send);
      if (countOf(word) !== this.#sentSeen) continue;
      if (!scheduled(memory) && spinWhileEqual(rec, W.send, word, Math.min(SPIN_MS, remaining))) continue;
      // Flag, look once more, sleep: a send (or the last Sender's drop) from now on sees the flag and wakes this thread.
      if (Atomics.compareExchange(rec, W.send, word, word | RECEIVER_ASLEEP) !== word) continue;
      const late = this.#take();
      if (late === EMPTY) {
        blockWhileEqual(rec, W.send, word | RECEIVER_ASLEEP, deadline - now(memory), { kind: 'channel-recv', object: this.#addr }, false);
      }
      // Awake (or not asleep): the flag goes, so that a rendezvous trySend does not take this thread for a waiting receiver.
      Atomics.and(rec, W.send, ~RECEIVER_ASLEEP);
      if (late !== EMPTY) {
        traceEvent(late === DISCONNECTED ? 'closed' : 'recv', this.#addr);
        return late;
      }
    }
  }

  /** Blocks until a message arrives; throws RecvError once every Sender is gone and the queue is empty. */
  recv(): T {
    this.#assertLive();
    const result = this.#receive(Infinity);
    if (result === EMPTY || result === DISCONNECTED) throw new RecvError();
    return result;
  }

  /** Returns a message if one is waiting; throws TryRecvError ('empty' or 'disconnected') otherwise. */
  tryRecv(): T {
    this.#assertLive();
    readPoint(true);
    const result = this.#take();
    if (result === EMPTY) throw new TryRecvError('empty');
    if (result === DISCONNECTED) {
      traceEvent('closed', this.#addr);
      throw new TryRecvError('disconnected');
    }
    traceEvent('recv', this.#addr);
    return result;
  }

  /** Like recv, giving up after `ms` milliseconds with RecvTimeoutError('timeout'). */
  recvTimeout(ms: number): T {
    this.#assertLive();
    const result = this.#receive(Math.max(0, ms));
    if (result === EMPTY) throw new RecvTimeoutError('timeout');
    if (result === DISCONNECTED) throw new RecvTimeoutError('disconnected');
    return result;
  }

  /** Receives until the channel is disconnected (Rust: `for x in rx`). */
  *[Symbol.iterator](): Generator<T, undefined, undefined> {
    for (;;) {
      this.#assertLive();
      const result = this.#receive(Infinity);
      if (result === EMPTY || result === DISCONNECTED) return;
      yield result;
    }
  }

  /** Receives until the channel is disconnected (Rust: `rx.iter()`); `for (const x of rx)` does the same. */
  iter(): Generator<T, undefined, undefined> {
    return this[Symbol.iterator]() as Generator<T, undefined, undefined>;
  }

  /** Yields the messages waiting now, without blocking (Rust: `rx.try_iter()`). */
  *tryIter(): Generator<T> {
    for (;;) {
      this.#assertLive();
      const result = this.#take();
      if (result === DISCONNECTED) traceEvent('closed', this.#addr);
      if (result === EMPTY || result === DISCONNECTED) return;
      yield result;
    }
  }

  /** Drops the Receiver: senders' `send` fails from now on; queued messages are dropped. */
  drop(): void {
    if (this.#dropped || this.isMoved) return;
    this.#dropped = true;
    context().owned.delete(this);
    const rec = (this.#rec ??= recordView(this.#addr));
    if (this.#borrowed) untrack(this.#addr);
    Atomics.store(rec, W.receiverAlive, 0);
    // A rendezvous queue holds only messages whose senders still wait: each takes its own back and fails with SendError.
    if (rec[W.capacity] !== 0) {
      for (let result = this.#take(); result !== EMPTY && result !== DISCONNECTED; result = this.#take()) dropTree(result);
    }
    // Senders asleep on the taken word (for room, or for their rendezvous) wake and see the receiver gone.
    Atomics.and(rec, W.taken, ~ROOM_AWAITED);
    wake(rec, W.taken);
    // Freed here if every Sender went first.
    release(rec, this.#addr);
  }

  [Symbol.dispose](): void {
    this.drop();
  }

  /** The end of the block that declared it, which only received from it (compile/local-drops.ts): dropped there, as in Rust. */
  [FREE_LOCAL](): void {
    this.drop();
  }

  dropOnExit(): void {
    this.drop();
  }

  toString(): string {
    return 'Receiver { .. }';
  }
}

registerDecoder(HandleKind.Sender, (addr, owned) => new Sender(addr, owned));
registerDecoder(HandleKind.SyncSender, (addr, owned) => new SyncSender(addr, owned));
registerDecoder(HandleKind.Receiver, (addr, owned) => new Receiver(addr, owned));

/** An unbounded channel: `const [tx, rx] = mpsc.channel<T>()` (Rust: `let (tx, rx) = mpsc::channel();`). */
export function channel<T>(): [Sender<T>, Receiver<T>] {
  const addr = createChannel(-1);
  return [new Sender<T>(addr, true), new Receiver<T>(addr, true)];
}

/**
 * A bounded channel holding at most `bound` messages; `send` blocks while it
 * is full. `syncChannel(0)` is a rendezvous: each send waits for its receive.
 */
export function syncChannel<T>(bound: number): [SyncSender<T>, Receiver<T>] {
  if (!Number.isInteger(bound) || bound < 0) throw new RangeError(`syncChannel needs a bound of 0 or more, got ${bound}`);
  const addr = createChannel(bound);
  return [new SyncSender<T>(addr, true), new Receiver<T>(addr, true)];
}
