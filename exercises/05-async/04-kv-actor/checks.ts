import { check, count, plural, sameData, show, type CheckContext, type ProgramRun, type TaskChannelSummary } from '#weft/checks';

type Op = [number, 'get', string] | [number, 'set', string, string];

/**
 * Scripts for `clients` clients that share a few keys, each operation at a time of its own (multiples of 10 ms,
 * never two at once), so the order the manager sees them in is fixed and the answers can be worked out.
 */
function someScripts(t: CheckContext, clients: number, opsEach: number): Op[][] {
  const times = Array.from({ length: clients * opsEach }, (_, i) => 10 * (i + 1));
  for (let i = times.length - 1; i > 0; i--) {
    const j = Math.floor(t.random() * (i + 1));
    [times[i], times[j]] = [times[j]!, times[i]!];
  }
  const keys = ['apple', 'pear', 'fig'];
  return Array.from({ length: clients }, (_, c) => {
    const mine = times.slice(c * opsEach, (c + 1) * opsEach).sort((a, b) => a - b);
    return mine.map((at): Op => {
      const key = keys[Math.floor(t.random() * keys.length)]!;
      return t.random() < 0.5 ? [at, 'get', key] : [at, 'set', key, `v${Math.floor(t.random() * 1000)}`];
    });
  });
}

/** What one map, serving the operations in time order, answers each client. */
function expectedAnswers(scripts: Op[][]): (string | null)[][] {
  const all = scripts.flatMap((script, c) => script.map((op, i) => ({ op, c, i })));
  all.sort((a, b) => a.op[0] - b.op[0]);
  const map = new Map<string, string>();
  const answers = scripts.map((script) => new Array<string | null>(script.length).fill(null));
  for (const { op, c, i } of all) {
    answers[c]![i] = map.get(op[2]) ?? null;
    if (op[1] === 'set') map.set(op[2], op[3]);
  }
  return answers;
}

/** Channels that carried commands to a task that doesn't send on them itself. */
function commandChannels(run: ProgramRun): TaskChannelSummary[] {
  return run.trace
    .taskChannels()
    .filter((c) => c.receives > 0 && c.receiverTasks.length === 1 && !c.senderTasks.includes(c.receiverTasks[0]!));
}

const store = (t: CheckContext, scripts: Op[][], seed: number, trace = false) => t.call('runStore', [scripts], { seed, trace });

export default [
  check('scripted-answers', 'Every client gets the answers of one shared map, in time order', async (t) => {
    for (const seed of t.seeds(2)) {
      const scripts = someScripts(t, 3, 5);
      const run = await store(t, scripts, seed);
      const expected = expectedAnswers(scripts);
      if (sameData(run.value, expected)) continue;
      const got = run.value as unknown[];
      if (!Array.isArray(got) || got.length !== scripts.length) {
        run.fail(`runStore returned ${show(got)} for ${plural(scripts.length, 'script')}: it should return one array of answers per script`);
      }
      const c = expected.findIndex((answers, i) => !sameData(got[i], answers));
      run.fail(
        `client ${c}, running ${show(scripts[c]!.map((op) => op.slice(1).join(' ')))} at ${show(scripts[c]!.map((op) => op[0]))} ms, got ${show(got[c])}; ` +
          `one map shared by all ${scripts.length} clients answers ${show(expected[c])}. A get answers the value (or null), a set the previous value (or null), ` +
          `and every client's commands go to the same manager`,
      );
    }
  }),

  check('one-manager-owns-the-map', 'The commands go through a channel to the manager task', async (t) => {
    const scripts = someScripts(t, 3, 4);
    const ops = scripts.reduce((n, s) => n + s.length, 0);
    const run = await store(t, scripts, t.seeds(1)[0]!, true);
    const channels = commandChannels(run);
    const received = channels.reduce((n, c) => n + c.receives, 0);
    if (received >= ops) {
      // The manager must also be the one who answers: every answer a client got was sent on a oneshot by a task that
      // received the commands. Clients that work the answers out from a map of their own only send the manager traffic.
      const managers = new Set(channels.map((c) => c.receiverTasks[0]!));
      const replies = run.trace.oneshotSends().filter((r) => r.thread === channels[0]!.thread && managers.has(r.task));
      const unanswered = expectedAnswers(scripts).flat();
      for (const reply of replies) {
        const i = unanswered.findIndex((answer) => reply.is(answer));
        if (i >= 0) unanswered.splice(i, 1);
      }
      if (unanswered.length === 0) return;
      run.fail(
        `the commands reached a manager, but ${plural(unanswered.length, 'answer')} the clients needed (${show(unanswered, 4)}) never came from it on a oneshot ` +
          `(it sent ${plural(replies.length, 'reply', 'replies')}): the clients worked out their answers some other way, from a map the manager does not own. ` +
          `Let the manager alone read and write the map, and answer each command with command.reply.send(…)`,
      );
    }
    run.fail(
      channels.length === 0
        ? `no command went through a weft/task mpsc channel from one task to another: the clients reached the map some other way. ` +
            `Only the manager task may touch the map; clients send it commands with mpsc and wait for the answer on a oneshot`
        : `the manager received ${plural(received, 'command')} for ${plural(ops, 'operation')}: every get and set must be a command sent to the manager`,
    );
  }),

  check('manager-ends-by-itself', 'The manager ends by itself once every Sender is dropped, and runStore waits for it', async (t) => {
    const scripts = someScripts(t, 3, 3);
    const run = await store(t, scripts, t.seeds(1)[0]!, true);
    const tasks = run.trace.tasks();
    const root = tasks.find((task) => task.thread === 'main'); // runStore's own task
    const managers = [...new Set(commandChannels(run).map((c) => c.receiverTasks[0]!))];
    if (managers.length === 0) return; // no manager at all: one-manager-owns-the-map says so, once
    for (const id of managers) {
      const task = tasks.find((s) => s.id === id && s.thread === 'main');
      if (id === root?.id) continue;
      if (task?.outcome === 'ok') {
        // It ended by itself; runStore must also have waited for it: the manager's exit comes before runStore's own.
        const exitAt = (taskId: number | undefined) =>
          run.trace.events.findIndex((e) => e.kind === 'task-exit' && e.thread === 'main' && e.object === taskId);
        const managerExit = exitAt(id);
        const rootExit = exitAt(root?.id);
        if (rootExit < 0 || managerExit < rootExit) continue;
        run.fail(
          `runStore returned before the manager (task ${id}) ended: the manager finished only afterwards, so the store was still running when its answers were handed back. ` +
            `Await the manager's handle before returning, once every Sender is dropped`,
        );
      }
      run.fail(
        `the manager (task ${id}) did not end by itself: it was ${task?.outcome === 'running' ? 'still waiting' : 'cancelled'} ` +
          `when runStore returned, still waiting for commands. Its loop ends only when recv() gives undefined, which happens once every Sender is dropped: ` +
          `drop runStore's own Sender after cloning it for the clients, and await the manager's handle before returning`,
        task?.awaitLine !== undefined ? { line: task.awaitLine, column: 1 } : undefined,
      );
    }
  }),

  check('one-command-at-a-time', 'Commands that arrive together are applied one at a time, each answered after the one before it', async (t) => {
    // Twelve clients set one key at the same moment, each to a value of its own; a thirteenth reads it once they are
    // done. The manager takes the sets in some order, so each answers the value the set before it stored (the first
    // null), and the read answers the last: together, one chain through every value.
    const values = Array.from({ length: 12 }, (_, c) => `v${c}-${Math.floor(t.random() * 1000)}`);
    const scripts: Op[][] = [...values.map((v): Op[] => [[0, 'set', 'shared', v]]), [[50, 'get', 'shared']]];
    const run = await store(t, scripts, t.seeds(1)[0]!);
    const got = run.value;
    if (!Array.isArray(got) || got.length !== scripts.length || !got.every((a) => Array.isArray(a) && a.length === 1)) {
      run.fail(`runStore returned ${show(got)} for ${plural(scripts.length, 'script')} of one operation each: it should return one array of answers per script`);
    }
    const answers = (got as unknown[][]).map((a) => a[0]);
    const setAnswers = answers.slice(0, values.length);
    // In a chain every value but the last is answered once, by the set that came after it, and the read answers the last.
    const previous = new Set(setAnswers);
    const last = values.filter((v) => !previous.has(v));
    const chain =
      setAnswers.filter((a) => a === null).length === 1 &&
      previous.size === values.length &&
      setAnswers.every((a) => a === null || values.includes(a as string)) &&
      last.length === 1 &&
      answers[values.length] === last[0] &&
      setAnswers.every((a, c) => a !== values[c]);
    if (chain) return;
    run.fail(
      `twelve clients set the key "shared" at the same moment (to ${show(values, 3)}), and a client read it 50 ms later. ` +
        `Their sets answered ${show(setAnswers, 12)} and the read ${show(answers[values.length])}: ` +
        `if the manager applies each command before it takes the next, each set answers the value the set before it stored (one of them null), every value but the last exactly once, and the read answers the last. ` +
        `Apply each command to the map before answering and before receiving the next one, with no await in between`,
    );
  }),

  check('queue-at-most-32', 'No more than 32 commands ever wait in the channel', async (t) => {
    // 40 clients, each sending one command at the same moment.
    const scripts: Op[][] = Array.from({ length: 40 }, (_, c) => [[0, 'set', `key${c}`, `v${Math.floor(t.random() * 1000)}`]]);
    const run = await store(t, scripts, t.seeds(1)[0]!, true);
    const most = Math.max(0, ...commandChannels(run).map((c) => c.mostQueued));
    if (most <= 32) return;
    run.fail(
      `when 40 clients sent a command at the same moment, ${count(most)} commands were waiting in the channel at once: ` +
        `make it bounded, mpsc.channel(32), so that a client finding it full waits for room`,
    );
  }),
];
