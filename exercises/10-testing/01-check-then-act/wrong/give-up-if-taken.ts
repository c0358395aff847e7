// fails: sells-every-seat
// Finds a free seat, then locks again and checks it is still free before taking it, but gives up with -1 when another customer was quicker: no seat is sold twice, but a customer can hear "sold out" while seats remain.
import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

/** A box office: the seats still for sale, and who bought each seat sold so far. */
interface Office {
  free: Mutex<number[]>;
  sold: Mutex<[seat: number, customer: number][]>;
}

export function buy(office: Arc<Office>, customer: number): number {
  let seat: number | undefined;
  {
    using free = office.free.lock();
    seat = free.value[0];
  }
  if (seat === undefined) return -1;
  {
    using free = office.free.lock();
    if (!free.value.includes(seat)) return -1; // someone was quicker
    free.value = free.value.filter((s) => s !== seat);
  }
  using sold = office.sold.lock();
  sold.value.push([seat, customer]);
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
