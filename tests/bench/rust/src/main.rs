//! Rust std baselines for weft's benchmarks (tests/bench/main.ts builds and
//! runs this when cargo exists). Each figure prints one JSON line,
//! {"name": ..., "unit": ..., "trials": [...]}, with the same workload as the
//! weft program of the same name (tests/bench/programs.ts).
use std::hint::black_box;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

const TRIALS: usize = 7;

fn report(name: &str, unit: &str, trials: &[f64]) {
    let list: Vec<String> = trials.iter().map(|t| format!("{:.3}", t)).collect();
    println!("{{\"name\":\"{}\",\"unit\":\"{}\",\"trials\":[{}]}}", name, unit, list.join(","));
}

fn trials(warmup: usize, mut f: impl FnMut() -> f64) -> Vec<f64> {
    for _ in 0..warmup {
        f();
    }
    (0..TRIALS).map(|_| f()).collect()
}

#[derive(Debug)]
#[allow(dead_code)]
struct Small {
    id: u32,
    name: String,
    ok: bool,
}

fn heavy(x: f64) -> f64 {
    (x.sqrt().sin() * x.cos()).abs()
}

/// weft/par's map-reduce figure (tests/bench/par.ts): the same data and
/// function, summed sequentially and by two hand-split scoped threads.
fn par_figures() {
    let n = 4_000_000usize;
    let mut s: u64 = 12345;
    let xs: Vec<f64> = (0..n)
        .map(|_| {
            s = (s * 1103515245 + 12345) % 2147483648;
            s as f64 / 1000.0
        })
        .collect();
    report("par-mapreduce-seq", "ms", &trials(2, || {
        let t0 = Instant::now();
        let sum: f64 = black_box(&xs).iter().map(|&x| heavy(x)).sum();
        black_box(sum);
        t0.elapsed().as_secs_f64() * 1e3
    }));
    report("par-mapreduce-2threads", "ms", &trials(2, || {
        let t0 = Instant::now();
        let (a, b) = black_box(&xs).split_at(n / 2);
        let sum: f64 = thread::scope(|scope| {
            let h = scope.spawn(|| a.iter().map(|&x| heavy(x)).sum::<f64>());
            let right: f64 = b.iter().map(|&x| heavy(x)).sum();
            h.join().unwrap() + right
        });
        black_box(sum);
        t0.elapsed().as_secs_f64() * 1e3
    }));
}

fn main() {
    let only_par = std::env::args().any(|a| a == "par");
    par_figures();
    if only_par {
        return;
    }
    // spawn + join, µs per thread
    report("spawn-join", "us", &trials(1, || {
        let n = 200;
        let t0 = Instant::now();
        for i in 0..n {
            let h = thread::spawn(move || i + 1);
            black_box(h.join().unwrap());
        }
        t0.elapsed().as_secs_f64() * 1e6 / n as f64
    }));

    // 1 -> 1 channel, u32 messages, messages per second
    report("channel-u32", "msg/s", &trials(1, || {
        let n: u32 = 1_000_000;
        let (tx, rx) = mpsc::channel::<u32>();
        let t0 = Instant::now();
        let h = thread::spawn(move || {
            for i in 0..n {
                tx.send(i).unwrap();
            }
        });
        let mut sum = 0u64;
        for _ in 0..n {
            sum += rx.recv().unwrap() as u64;
        }
        let dt = t0.elapsed().as_secs_f64();
        h.join().unwrap();
        black_box(sum);
        n as f64 / dt
    }));

    // 1 -> 1 channel, small objects ({ id, name, ok }), messages per second
    report("channel-object", "msg/s", &trials(1, || {
        let n: u32 = 300_000;
        let (tx, rx) = mpsc::channel::<Small>();
        let t0 = Instant::now();
        let h = thread::spawn(move || {
            for i in 0..n {
                tx.send(Small { id: i, name: "item".to_string(), ok: true }).unwrap();
            }
        });
        let mut sum = 0u64;
        for _ in 0..n {
            sum += rx.recv().unwrap().id as u64;
        }
        let dt = t0.elapsed().as_secs_f64();
        h.join().unwrap();
        black_box(sum);
        n as f64 / dt
    }));

    // 4 producers -> 4 consumers on one channel, the consumers sharing the
    // Receiver through Arc<Mutex<Receiver>>; messages per second
    report("channel-mpmc", "msg/s", &trials(1, || {
        let n: u32 = 400_000;
        let (tx, rx) = mpsc::channel::<u32>();
        let shared = Arc::new(Mutex::new(rx));
        let t0 = Instant::now();
        let producers: Vec<_> = (0..4)
            .map(|p| {
                let mine = tx.clone();
                thread::spawn(move || {
                    for i in 0..n / 4 {
                        mine.send(p + i).unwrap();
                    }
                })
            })
            .collect();
        drop(tx);
        let consumers: Vec<_> = (0..4)
            .map(|_| {
                let mine = Arc::clone(&shared);
                thread::spawn(move || {
                    let mut got = 0u32;
                    while mine.lock().unwrap().recv().is_ok() {
                        got += 1;
                    }
                    got
                })
            })
            .collect();
        for h in producers {
            h.join().unwrap();
        }
        let total: u32 = consumers.into_iter().map(|h| h.join().unwrap()).sum();
        let dt = t0.elapsed().as_secs_f64();
        assert_eq!(total, n);
        n as f64 / dt
    }));

    // rendezvous round trip: main sends on a sync_channel(0), the thread
    // receives and answers on another; µs per round trip
    report("rendezvous", "us", &trials(1, || {
        let n = 20_000;
        let (to_tx, to_rx) = mpsc::sync_channel::<u32>(0);
        let (back_tx, back_rx) = mpsc::sync_channel::<u32>(0);
        let h = thread::spawn(move || {
            for v in to_rx {
                back_tx.send(v + 1).unwrap();
            }
        });
        let t0 = Instant::now();
        for i in 0..n {
            to_tx.send(i).unwrap();
            black_box(back_rx.recv().unwrap());
        }
        let dt = t0.elapsed().as_secs_f64();
        drop(to_tx);
        h.join().unwrap();
        dt * 1e6 / n as f64
    }));

    // 2 threads lock, increment, unlock one Mutex; lock/unlock pairs per second
    report("mutex-contended", "ops/s", &trials(1, || {
        let n = 500_000;
        let m = Arc::new(Mutex::new(0u64));
        let t0 = Instant::now();
        let hs: Vec<_> = (0..2)
            .map(|_| {
                let m = m.clone();
                thread::spawn(move || {
                    for _ in 0..n {
                        *m.lock().unwrap() += 1;
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        let dt = t0.elapsed().as_secs_f64();
        assert_eq!(*m.lock().unwrap(), 2 * n as u64);
        (2 * n) as f64 / dt
    }));

    // one thread, lock + increment + unlock; ns per pair
    report("mutex-uncontended", "ns", &trials(1, || {
        let n = 5_000_000;
        let m = Mutex::new(0u64);
        let t0 = Instant::now();
        for _ in 0..n {
            *black_box(&m).lock().unwrap() += 1;
        }
        let dt = t0.elapsed().as_secs_f64();
        black_box(&m);
        dt * 1e9 / n as f64
    }));
}
