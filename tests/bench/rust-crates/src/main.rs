//! Rayon and Tokio baselines for weft's benchmarks (tests/bench/main.ts
//! builds and runs this when Debian's packaged crates are installed). Each
//! figure prints one JSON line, {"name": ..., "unit": ..., "trials": [...]},
//! with the same workload as the weft program it stands beside
//! (tests/bench/par.ts par-small, tests/bench/task.ts task-spawn).
use rayon::prelude::*;
use std::hint::black_box;
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

/// The data of weft's par benchmarks (par.ts `data`).
fn data(n: usize) -> Vec<f64> {
    let mut s: u64 = 12345;
    (0..n)
        .map(|_| {
            s = (s * 1103515245 + 12345) % 2147483648;
            s as f64 / 1000.0
        })
        .collect()
}

fn heavy(x: f64) -> f64 {
    (x.sqrt().sin() * x.cos()).abs()
}

/// par.ts par-small: 2,000 items, a cheap and a heavy function, each call
/// timed over 400 repetitions (µs a call), the hand loop beside Rayon's
/// `par_iter().map(f).sum()` on its global pool (one thread a core).
fn rayon_small() {
    let n = 2000;
    let xs = data(n);
    let reps = 400;
    let time = |f: &dyn Fn() -> f64| {
        trials(50, || {
            let t0 = Instant::now();
            for _ in 0..reps {
                black_box(f());
            }
            t0.elapsed().as_secs_f64() * 1e6 / reps as f64
        })
    };
    report("rayon-small-cheap-seq", "us", &time(&|| black_box(&xs).iter().map(|&x| x * 2.0 + 1.0).sum::<f64>()));
    report("rayon-small-cheap-par", "us", &time(&|| black_box(&xs).par_iter().map(|&x| x * 2.0 + 1.0).sum::<f64>()));
    report("rayon-small-heavy-seq", "us", &time(&|| black_box(&xs).iter().map(|&x| heavy(x)).sum::<f64>()));
    report("rayon-small-heavy-par", "us", &time(&|| black_box(&xs).par_iter().map(|&x| heavy(x)).sum::<f64>()));
}

/// task.ts task-spawn: 100,000 `spawn(async move { i + 1 })`, each awaited
/// in turn (ms), on a current-thread runtime (weft's executor is one thread)
/// and on the multi-thread runtime with one worker a core.
fn tokio_spawn() {
    let n = 100_000u64;
    let run = |rt: &tokio::runtime::Runtime| {
        trials(2, || {
            rt.block_on(async {
                let t0 = Instant::now();
                let handles: Vec<_> = (0..n).map(|i| tokio::spawn(async move { i + 1 })).collect();
                let mut s = 0u64;
                for h in handles {
                    s += h.await.unwrap();
                }
                black_box(s);
                t0.elapsed().as_secs_f64() * 1e3
            })
        })
    };
    let current = tokio::runtime::Builder::new_current_thread().build().unwrap();
    report("tokio-spawn-current-thread", "ms", &run(&current));
    let multi = tokio::runtime::Builder::new_multi_thread().build().unwrap();
    report("tokio-spawn-multi-thread", "ms", &run(&multi));
}

fn main() {
    let only = std::env::args().nth(1);
    if only.as_deref().map_or(true, |o| o == "par") {
        rayon_small();
    }
    if only.as_deref().map_or(true, |o| o == "task") {
        tokio_spawn();
    }
}
