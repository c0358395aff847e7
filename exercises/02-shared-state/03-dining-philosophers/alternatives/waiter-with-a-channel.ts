// A waiter made of a channel holding n - 1 seat tokens: a philosopher takes a token before picking up the left fork, then the right, and gives it back after the meal. The forks are taken in a circle, but with one seat fewer than philosophers the circle can't close.
import { spawn, sleep } from "weft/thread";
import { Arc, Mutex, mpsc } from "weft/sync";

/** A philosopher eats: call it while holding both forks. Keep it as it is. */
export function eat(): void {
  sleep(1);
}

export function dine(philosophers: number, meals: number): number[] {
  const forks: Arc<Mutex<number>>[] = [];
  for (let i = 0; i < philosophers; i++) forks.push(new Arc(new Mutex(0)));
  const [giveBack, seats] = mpsc.channel<number>();
  for (let s = 0; s < philosophers - 1; s++) giveBack.send(s);
  const table = new Arc(new Mutex(seats));

  const handles = [];
  for (let seat = 0; seat < philosophers; seat++) {
    const left = forks[seat]!.clone();
    const right = forks[(seat + 1) % philosophers]!.clone();
    const waiter = table.clone();
    const back = giveBack.clone();
    handles.push(
      spawn(() => {
        let eaten = 0;
        for (let meal = 0; meal < meals; meal++) {
          let token: number;
          {
            using rx = waiter.lock();
            token = rx.value.recv();
          }
          {
            using a = left.lock();
            using b = right.lock();
            eat();
            a.value++;
            b.value++;
            eaten++;
          }
          back.send(token);
        }
        return eaten;
      }),
    );
  }
  return handles.map((h) => h.join());
}

function main() {
  const eaten = dine(5, 10);
  console.log(`Meals eaten, by seat: ${eaten.join(", ")}`);
}
