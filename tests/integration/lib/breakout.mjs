// breakout.mjs: what the breakout and profile tests (20-22) share: six
// entrepreneurs from four countries, a request/reply helper matched by
// ref, and helpers for profiles and rounds (docs/protocol.md section 11).
import { ProtocolError } from './harness.mjs';

let refCounter = 0;

/** Six entrepreneurs: Jonas speaks only Lithuanian, so he can only be
 * paired with Rasa; everyone else shares English. */
export const SIX = [
    { sub: 'u-anna', name: 'Anna Bērziņa', role: 'entrepreneur', country: 'LV', langs: ['lv', 'en'] },
    { sub: 'u-rasa', name: 'Rasa Žukauskienė', role: 'entrepreneur', country: 'LT', langs: ['lt', 'en'] },
    { sub: 'u-kadri', name: 'Kadri Tamm', role: 'entrepreneur', country: 'EE', langs: ['et', 'en'] },
    { sub: 'u-jonas', name: 'Jonas Petraitis', role: 'entrepreneur', country: 'LT', langs: ['lt'] },
    { sub: 'u-erik', name: 'Erik Lind', role: 'entrepreneur', country: 'SE', langs: ['sv', 'en'] },
    { sub: 'u-liis', name: 'Liis Kask', role: 'entrepreneur', country: 'EE', langs: ['et', 'en'] },
];

/** Sends msg with a fresh ref and resolves with the reply carrying that
 * ref; rejects with a ProtocolError when the reply is an error. */
export async function ask(c, msg, timeoutMs) {
    const ref = `${msg.type}-${++refCounter}`;
    c.send({ ...msg, ref });
    const m = await c.next((x) => x.ref === ref, timeoutMs);
    if (m.type === 'error') throw new ProtocolError(m);
    return m;
}

/** Sends msg and resolves with the error code it causes (or fails). */
export async function errorOf(c, msg) {
    try {
        const m = await ask(c, msg);
        throw new Error(`expected an error for ${msg.type}, got ${JSON.stringify(m).slice(0, 200)}`);
    } catch (err) {
        if (err instanceof ProtocolError) return err.code;
        throw err;
    }
}

/** A profile_save message. */
export function profileMsg(stage, marks, extra = {}) {
    return { type: 'profile_save', stage, marks, ...extra };
}

/** The groups of a round as sorted arrays of user ids, sorted. */
export function groupIds(round) {
    return round.groups.filter((g) => g.members.length > 0)
        .map((g) => g.members.map((m) => m.id).sort())
        .sort((a, b) => a[0].localeCompare(b[0]));
}

/** The room each user is in by the round (open rounds). */
export function roomOf(round) {
    const out = new Map();
    for (const g of round.groups) for (const m of g.members) out.set(m.id, g.room);
    return out;
}
