// fails: no-seat-sold-twice
// Spins on tryLock for 1,000 tries, then gives up waiting and looks and sells the old way, in two critical sections: a holder kept off its core longer than the loop's patience lets two customers find the same seat free.
import { spawn, yieldNow } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

/** A box office: the seats still for sale, and who bought each seat sold so far. */
interface Office {
  free: Mutex<number[]>;
  sold: Mutex<[seat: number, customer: number][]>;
}

/** The first seat still for sale, or undefined when there is none. */
function firstFree(office: Arc<Office>): number | undefined {
  using free = office.free.lock();
  return free.value[0];
}

/** Takes `seat` off sale and writes down that `customer` bought it. */
function sell(office: Arc<Office>, seat: number, customer: number): void {
  {
    using free = office.free.lock();
    free.value = free.value.filter((s) => s !== seat);
  }
  using sold = office.sold.lock();
  sold.value.push([seat, customer]);
}

/** Sells `customer` one seat: returns its number, or -1 when every seat is sold. */
export function buy(office: Arc<Office>, customer: number): number {
  // Waits a while for the lock with tryLock; if it stays busy, goes on the old way (look, then sell).
  for (let tries = 0; tries < 1000; tries++) {
    const free = office.free.tryLock();
    if (free === undefined) {
      yieldNow();
      continue;
    }
    let seat: number | undefined;
    try {
      seat = free.value.shift();
    } finally {
      free.unlock();
    }
    if (seat === undefined) return -1;
    using sold = office.sold.lock();
    sold.value.push([seat, customer]);
    return seat;
  }
  const seat = firstFree(office);
  if (seat === undefined) return -1;
  sell(office, seat, customer);
  return seat;
}

// ---- the test bench: keep it as it is ----

/** Opens an office selling `seats` and lets `customers` threads, all at once, buy one seat each. Returns what each got (its seat, or -1), the office's book of sales, and the seats left for sale. */
export function runOffice(seats: number[], customers: number): { got: number[]; sold: [number, number][]; left: number[] } {
  const office = new Arc<Office>({ free: new Mutex([...seats]), sold: new Mutex<[number, number][]>([]) });
  const buyers = [];
  for (let c = 0; c < customers; c++) {
    const mine = office.clone();
    buyers.push(spawn(() => buy(mine, c)));
  }
  const got = buyers.map((buyer) => buyer.join());
  using sold = office.sold.lock();
  using free = office.free.lock();
  return { got, sold: sold.value, left: free.value };
}

function main() {
  const { got, sold } = runOffice([12, 14, 15], 4);
  got.forEach((seat, c) => console.log(`customer ${c}: ${seat === -1 ? "sold out" : `seat ${seat}`}`));
  console.log(`sales: ${sold.map(([seat, c]) => `${seat} to ${c}`).join(", ")}`);
}
