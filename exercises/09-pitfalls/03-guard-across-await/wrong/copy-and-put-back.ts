// fails: right-profiles
// Copies the cache, fetches without a guard, and puts its whole copy back: lookups that overlapped each write back a copy that lacks the others' profiles, so the cache loses them.
import { sleep, spawn, time } from "weft/task";
import { Mutex } from "weft/sync";

/** Fetches a user's profile from a slow service: the answer takes `ms` milliseconds. Keep it as it is. */
async function fetchProfile(user: string, ms: number): Promise<string> {
  await sleep(ms);
  return `profile of ${user}`;
}

/**
 * The profile of `user`: from the cache if it is there, otherwise fetched
 * (which takes `ms` milliseconds) and then kept in the cache. Many lookups
 * run at once, as tasks on one thread, and share the cache.
 */
export async function lookup(cache: Mutex<Map<string, string>>, user: string, ms: number): Promise<string> {
  // Works on a copy of the cache, so that no guard is held while fetching; the copy is put back at the end.
  let copy: Map<string, string>;
  {
    using profiles = cache.lock();
    copy = new Map(profiles.value);
  }
  const known = copy.get(user);
  if (known !== undefined) return known;
  const profile = await fetchProfile(user, ms);
  copy.set(user, profile);
  {
    using profiles = cache.lock();
    profiles.value = copy;
  }
  return profile;
}

// ---- the test bench: keep everything below as it is ----

/**
 * Starts one task per lookup, all at once, over a cache that already holds
 * `cached`. `ms[user]` is how long fetching that user's profile takes.
 * Returns what each lookup returned and what the cache holds at the end.
 */
export async function runLookups(users: string[], ms: Record<string, number>, cached: [string, string][]): Promise<{ profiles: string[]; cache: [string, string][] }> {
  const cache = new Mutex(new Map<string, string>(cached));
  const tasks = users.map((user) => spawn(lookup(cache, user, ms[user]!)));
  const profiles: string[] = [];
  for (const task of tasks) profiles.push(await task);
  using books = cache.lock();
  return { profiles, cache: [...books.value].sort() };
}

async function main() {
  time.pause(); // virtual time: exact, repeatable times
  const { profiles, cache } = await runLookups(["ada", "bob", "ada"], { ada: 40, bob: 60 }, []);
  console.log(profiles.join("; "));
  console.log(`cached: ${cache.map(([user]) => user).join(", ")} at ${time.now()} ms`);
}
