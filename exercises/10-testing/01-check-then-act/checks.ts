import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

interface Sale {
  got: number[];
  sold: [number, number][];
  left: number[];
}

/** Seat numbers the program can't know in advance, out of order. */
function someSeats(t: CheckContext, n: number): number[] {
  const seats = new Set<number>();
  while (seats.size < n) seats.add(1 + Math.floor(t.random() * 99));
  return [...seats];
}

function saleOf(run: ProgramRun, customers: number): Sale {
  const value = run.value as Partial<Sale> | undefined;
  if (!value || !Array.isArray(value.got) || value.got.length !== customers || !Array.isArray(value.sold) || !Array.isArray(value.left)) {
    run.fail(`runOffice returned ${show(value)}: keep the test bench (runOffice) as it was given`);
  }
  return value as Sale;
}

const and = (list: number[]) => (list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`);

export default [
  check('no-seat-sold-twice', 'No seat is sold twice, whatever the schedule', async (t) => {
    // Five seats for six customers: more customers at the seats at once make more windows for a schedule to hit, and
    // a customer who gives up waiting for the lock (tryLock, a few tries) and looks the old way meets the others there.
    const seats = someSeats(t, 5);
    const customers = 6;
    await t.eachRun({ seeds: 2, free: 1, trace: true, call: { name: 'runOffice', args: [seats, customers] } }, (run: ProgramRun) => {
      const buyers = new Set(run.trace.spawned().map((s) => s.threadId));
      // The customers come all at once: the bench starts every one of them before it joins any. A bench that waits
      // for each customer before starting the next leaves no schedule in which two can race.
      const lastSpawn = run.trace.events.findLastIndex((e) => e.kind === 'spawn');
      const firstJoin = run.trace.events.findIndex((e) => e.kind === 'join' && buyers.has(e.object));
      if (firstJoin >= 0 && firstJoin < lastSpawn) {
        run.fail(
          `runOffice waited for a customer to finish before it started the next one, so no two customers were ever buying at the same time and no schedule can show the race. ` +
            `Keep the test bench as it was given: it starts all ${count(customers)} customers, then joins them`,
        );
      }
      const naps = run.trace.waits('sleep').filter((w) => buyers.has(w.threadId));
      if (naps.length > 0) {
        run.fail(
          `the customers slept ${plural(naps.length, 'time')} while buying${naps[0]!.line !== undefined ? ` (line ${naps[0]!.line})` : ''}: sleeping to keep out of each other's way is a timing hack. ` +
            `It hides the race on an idle machine, but a thread can be held up longer than any sleep. Close the window instead: make the check and the act one critical section`,
          naps[0]!.line !== undefined ? { line: naps[0]!.line, column: 1 } : undefined,
        );
      }
      const { got, sold } = saleOf(run, customers);
      const strangers = got.filter((seat) => seat !== -1 && !seats.includes(seat));
      if (strangers.length > 0) run.fail(`with seats ${show(seats)} for sale, customers got ${show(strangers)}, which are not seats of this office`);
      for (const seat of seats) {
        const owners = got.flatMap((s, c) => (s === seat ? [c] : []));
        if (owners.length <= 1) continue;
        run.fail(
          `with seats ${show(seats)} for ${count(customers)} customers, seat ${seat} was sold to customers ${and(owners)}. ` +
            `Each of them found seat ${seat} free, and only then took it off sale: between the check and the act, another customer can look. ` +
            `A free run hardly ever hits that window, so the program looks right when you run it; this schedule does hit it. ` +
            `Make finding a free seat and taking it off sale one critical section, under one lock`,
        );
      }
      const booked = sold.map(([seat]) => seat);
      const twice = booked.find((seat, i) => booked.indexOf(seat) !== i);
      if (twice !== undefined) {
        run.fail(`with seats ${show(seats)}, the book of sales lists seat ${twice} ${plural(booked.filter((s) => s === twice).length, 'time')}: each seat may be sold once`);
      }
    });
  }),

  check('sells-every-seat', 'Every seat is sold while customers remain, the rest hear "sold out", and the book and the seats left agree', async (t) => {
    const seats = someSeats(t, 3);
    const customers = 5;
    await t.eachRun({ seeds: 1, free: 0, call: { name: 'runOffice', args: [seats, customers] } }, (run: ProgramRun) => {
      const { got, sold, left } = saleOf(run, customers);
      const bought = got.filter((seat) => seat !== -1);
      const unsold = seats.filter((seat) => !got.includes(seat));
      if (bought.length < Math.min(customers, seats.length)) {
        run.fail(
          `with ${plural(seats.length, 'seat')} for ${count(customers)} customers, only ${plural(bought.length, 'customer')} got a seat, and ${show(unsold)} went unsold: ` +
            `a customer may hear "sold out" (-1) only when no seat is left. A customer who finds the lock taken must wait for it, not give up`,
        );
      }
      const expected = got.flatMap((seat, c) => (seat === -1 ? [] : [`${seat} to ${c}`])).sort();
      const book = sold.map(([seat, c]) => `${seat} to ${c}`).sort();
      if (show(expected) !== show(book)) {
        run.fail(`the customers got ${show(got)} (one per customer, -1 for sold out), but the book of sales says ${show(book)}: write down every sale, once, with its customer`);
      }
      const stillFree = [...left].sort((a, b) => a - b);
      const shouldBe = seats.filter((seat) => !got.includes(seat)).sort((a, b) => a - b);
      if (show(stillFree) !== show(shouldBe)) {
        run.fail(
          `with seats ${show(seats)} for sale, the customers got ${show(got)}, but at the end the office still had ${show(left)} for sale; it should have ${show(shouldBe)}: ` +
            `a seat that is sold must be taken off sale, and only then`,
        );
      }
    });
    // As many seats as customers: every customer gets one, including one whose seat was taken while it looked
    // (with more customers than seats, a customer who gives up can hide behind the ones who hear "sold out" anyway).
    const even = someSeats(t, 4);
    await t.eachRun({ seeds: 3, free: 0, call: { name: 'runOffice', args: [even, even.length] } }, (run: ProgramRun) => {
      const { got } = saleOf(run, even.length);
      const gaveUp = got.flatMap((seat, c) => (seat === -1 ? [c] : []));
      if (gaveUp.length === 0) return;
      run.fail(
        `with ${count(even.length)} seats ${show(even)} for ${count(even.length)} customers, ${gaveUp.length === 1 ? `customer ${gaveUp[0]} heard` : `customers ${and(gaveUp)} heard`} "sold out" (-1), ` +
          `and ${show(even.filter((seat) => !got.includes(seat)))} went unsold: a customer whose seat was taken while it looked must find another one, not give up. ` +
          `Find a free seat and take it off sale in one critical section, and nobody can take it in between`,
      );
    });
  }),
];
