// report.mjs: turns the raw results of bench/run.sh (bench/results/*.csv,
// machine.txt) into the chart bench/results/chart.svg and the page
// docs/benchmarks.md: the machine, the command, one table with every figure
// for Kopa and each peer and the ratios Kopa/peer, the chart, and a reading
// against the targets of the design (section 8). Only Node's standard
// library; the SVG is written here.
//
//   node bench/report.mjs --results bench/results --doc docs/benchmarks.md
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
    process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const RESULTS = path.resolve(args.results ?? 'bench/results');
const DOC = path.resolve(args.doc ?? 'docs/benchmarks.md');
const SERVERS = ['kopa', 'ws', 'socketio'];
const NAMES = { kopa: 'Kopa', ws: 'Node ws', socketio: 'Socket.IO' };
const COLORS = { kopa: '#1b7f3b', ws: '#1f5fbf', socketio: '#c0392b' };

// ---------------------------------------------------------------------------
// Reading the results.

/** Parses simple CSV (no quoted commas) into objects; skips '#' lines. */
function readCsv(file) {
    if (!fs.existsSync(file)) return [];
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    if (lines.length === 0) return [];
    const head = lines[0].split(',');
    return lines.slice(1).map((l) => {
        const cells = l.split(',');
        const o = { _cells: cells };
        head.forEach((h, i) => {
            const v = cells[i];
            o[h] = v !== undefined && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
        });
        return o;
    });
}

function readText(file) {
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

const chat = readCsv(path.join(RESULTS, 'chat.csv'));
const audio = readCsv(path.join(RESULTS, 'audio.csv'));
const audioComment = readText(path.join(RESULTS, 'audio.csv')).split('\n').find((l) => l.startsWith('#')) ?? '';
const pairing = readCsv(path.join(RESULTS, 'pairing.csv'));
const audioNet = readCsv(path.join(RESULTS, 'audio_net.csv'));
const audioLat = readCsv(path.join(RESULTS, 'audio_latency.csv'));
const audioLatComment = readText(path.join(RESULTS, 'audio_latency.csv')).split('\n').find((l) => l.startsWith('#')) ?? '';
const machine = Object.fromEntries(readText(path.join(RESULTS, 'machine.txt')).split('\n')
    .filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
const present = SERVERS.filter((s) => chat.some((r) => r.server === s));

const rows = (server, scenario) => chat.filter((r) => r.server === server && r.scenario === scenario);
const one = (server, scenario) => rows(server, scenario)[0];

// ---------------------------------------------------------------------------
// The figures.

/** The highest fan-out rate that every server ran without saturating (the
 * same offered load for all), or the lowest rate if there is none. */
function commonRate() {
    const sets = present.map((s) => rows(s, 'fanout'));
    if (sets.some((r) => r.length === 0)) return null;
    const ok = (rs, rate) => rs.some((r) => r.rate === rate && !r.saturated);
    const rates = [...new Set(sets.flatMap((rs) => rs.map((r) => r.rate)))].sort((a, b) => a - b);
    const common = rates.filter((rate) => sets.every((rs) => ok(rs, rate)));
    return common.length ? common[common.length - 1] : rates[0];
}
const RATE = commonRate();

function fanoutAt(server, rate) {
    return rows(server, 'fanout').find((r) => r.rate === rate);
}

/** The fan-out step with the most deliveries per second. */
function fanoutPeak(server) {
    return rows(server, 'fanout').reduce((best, r) => (!best || r.deliveries_per_s > best.deliveries_per_s ? r : best), null);
}

/** Redis CPU per million deliveries over the measured window; undefined
 * for a server without Redis. */
const redisPerM = (r) => (r && r.server !== 'ws' && r.deliveries_per_s > 0 ?
    r.redis_cpu_s / (r.deliveries_per_s * r.seconds) * 1e6 : undefined);
const waitShare = (r) => (r && r.seconds > 0 ? r.server_wait_s / r.seconds : undefined);
const perCpuSecond = (r) => (r && r.cpu_s_per_m > 0 ? 1e6 / r.cpu_s_per_m : NaN);

// Each metric: label, unit, value(server), and whether more is better.
const METRICS = [
    { section: `Fan-out: one room of 100, every member sending (same load for all: ${RATE ?? '?'} msg/s each)` },
    { label: 'offered deliveries/s', get: (s) => fanoutAt(s, RATE)?.offered_per_s, digits: 0 },
    { label: 'server CPU-seconds per million deliveries', get: (s) => fanoutAt(s, RATE)?.cpu_s_per_m, digits: 2, less: true },
    { label: 'deliveries per server CPU-second', get: (s) => perCpuSecond(fanoutAt(s, RATE)), digits: 0 },
    { label: 'Redis CPU-seconds per million deliveries (not in the above)', get: (s) => redisPerM(fanoutAt(s, RATE)), digits: 2, less: true },
    { label: 'latency p50 (ms)', get: (s) => fanoutAt(s, RATE)?.p50_ms, digits: 2, less: true },
    { label: 'latency p99 (ms)', get: (s) => fanoutAt(s, RATE)?.p99_ms, digits: 2, less: true },
    { label: 'latency max (ms)', get: (s) => fanoutAt(s, RATE)?.max_ms, digits: 2, less: true },
    { label: 'share of the time the server waited for a core', get: (s) => waitShare(fanoutAt(s, RATE)), digits: 2, less: true },
    { section: 'Fan-out at saturation (rates stepped up until the server falls behind)' },
    { label: 'deliveries/s at saturation', get: (s) => fanoutPeak(s)?.deliveries_per_s, digits: 0 },
    { label: 'server CPU use there (cores)', get: (s) => fanoutPeak(s)?.server_util, digits: 2 },
    { label: 'deliveries per server CPU-second there', get: (s) => perCpuSecond(fanoutPeak(s)), digits: 0 },
    { label: 'latency p99 there (ms)', get: (s) => fanoutPeak(s)?.p99_ms, digits: 1, less: true },
    { label: 'seconds the server waited for a CPU there', get: (s) => fanoutPeak(s)?.server_wait_s, digits: 2, less: true },
    { label: 'chats lost (all steps)', get: (s) => sum(rows(s, 'fanout'), 'lost'), digits: 0, less: true },
    { section: 'Many rooms: 50 rooms of 20, 1 msg/s per member' },
    { label: 'deliveries/s', get: (s) => one(s, 'rooms')?.deliveries_per_s, digits: 0 },
    { label: 'server CPU-seconds per million deliveries', get: (s) => one(s, 'rooms')?.cpu_s_per_m, digits: 2, less: true },
    { label: 'latency p50 (ms)', get: (s) => one(s, 'rooms')?.p50_ms, digits: 2, less: true },
    { label: 'latency p99 (ms)', get: (s) => one(s, 'rooms')?.p99_ms, digits: 2, less: true },
    { label: 'latency max (ms)', get: (s) => one(s, 'rooms')?.max_ms, digits: 2, less: true },
    { label: 'share of the time the server waited for a core', get: (s) => waitShare(one(s, 'rooms')), digits: 2, less: true },
    { label: 'chats lost', get: (s) => one(s, 'rooms')?.lost, digits: 0, less: true },
    { section: 'Idle: 10,000 connected, authenticated, joined members (rooms of 50)' },
    { label: 'connections held', get: (s) => one(s, 'idle')?.connections, digits: 0 },
    { label: 'server RSS per connection (bytes)', get: (s) => one(s, 'idle')?.rss_per_conn_b, digits: 0, less: true },
    { label: 'server RSS with all connected (MiB)', get: (s) => mib(one(s, 'idle')?.rss_after_kb), digits: 1, less: true },
    { label: 'time to connect and join all (ms)', get: (s) => one(s, 'idle')?.connect_ms, digits: 0, less: true },
    { label: 'server CPU-seconds to connect all', get: (s) => one(s, 'idle')?.server_cpu_s, digits: 2, less: true },
    { section: 'Reconnect storm: 1,000 members (10 rooms of 100) drop at once and come back' },
    { label: 'time until all are back (ms)', get: (s) => one(s, 'storm')?.recover_ms, digits: 0, less: true },
    { label: 'members resumed with everything (recovered)', get: (s) => one(s, 'storm')?.recovered, digits: 0 },
    { label: 'chats a member never received (missed)', get: (s) => one(s, 'storm')?.lost, digits: 0, less: true },
    { label: 'latency p99 during the storm (ms)', get: (s) => one(s, 'storm')?.p99_ms, digits: 1, less: true },
];

function sum(rs, key) {
    return rs.length ? rs.reduce((a, r) => a + (Number(r[key]) || 0), 0) : undefined;
}
function mib(kb) {
    return kb === undefined ? undefined : kb / 1024;
}
function fmt(v, digits = 2) {
    if (v === undefined || v === null || Number.isNaN(v)) return 'n/a';
    if (typeof v !== 'number') return String(v);
    return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
function ratio(a, b) {
    if (typeof a !== 'number' || typeof b !== 'number' || Number.isNaN(a) || Number.isNaN(b) || b === 0) return 'n/a';
    return `${(a / b).toFixed(a / b >= 10 ? 1 : 2)}x`;
}

// ---------------------------------------------------------------------------
// The chart: four panels in one SVG.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function logTicks(lo, hi) {
    const ticks = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
        for (const m of [1, 2, 5]) {
            const v = m * 10 ** e;
            if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
        }
    }
    return ticks;
}
function short(v) {
    if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
    if (v >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
    return `${+v.toPrecision(3)}`;
}
function bounds(values) {
    const vs = values.filter((v) => v > 0 && Number.isFinite(v));
    if (vs.length === 0) return [1, 10];
    let lo = Math.min(...vs), hi = Math.max(...vs);
    lo = 10 ** Math.floor(Math.log10(lo));
    hi = 10 ** Math.ceil(Math.log10(hi));
    if (lo === hi) hi = lo * 10;
    return [lo, hi];
}

/** A log-log line panel at (x0, y0) of w x h; series: [{server, points}]. */
function linePanel({ x0, y0, w, h, title, xlabel, ylabel, series, diagonal = false, hline }) {
    const m = { l: 62, r: 12, t: 28, b: 40 };
    const pw = w - m.l - m.r, ph = h - m.t - m.b;
    const [xlo, xhi] = bounds(series.flatMap((s) => s.points.map((p) => p[0])));
    let [ylo, yhi] = bounds(series.flatMap((s) => s.points.map((p) => p[1])).concat(hline ? [hline.y] : []));
    const X = (v) => x0 + m.l + (Math.log10(v) - Math.log10(xlo)) / (Math.log10(xhi) - Math.log10(xlo)) * pw;
    const Y = (v) => y0 + m.t + ph - (Math.log10(v) - Math.log10(ylo)) / (Math.log10(yhi) - Math.log10(ylo)) * ph;
    const out = [];
    out.push(`<text x="${x0 + w / 2}" y="${y0 + 16}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
    out.push(`<rect x="${x0 + m.l}" y="${y0 + m.t}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
    for (const t of logTicks(xlo, xhi)) {
        out.push(`<line x1="${X(t)}" y1="${y0 + m.t}" x2="${X(t)}" y2="${y0 + m.t + ph}" stroke="#eee"/>`);
        out.push(`<text x="${X(t)}" y="${y0 + m.t + ph + 14}" text-anchor="middle" font-size="10">${short(t)}</text>`);
    }
    for (const t of logTicks(ylo, yhi)) {
        out.push(`<line x1="${x0 + m.l}" y1="${Y(t)}" x2="${x0 + m.l + pw}" y2="${Y(t)}" stroke="#eee"/>`);
        out.push(`<text x="${x0 + m.l - 4}" y="${Y(t) + 3}" text-anchor="end" font-size="10">${short(t)}</text>`);
    }
    out.push(`<text x="${x0 + m.l + pw / 2}" y="${y0 + h - 6}" text-anchor="middle" font-size="11">${esc(xlabel)}</text>`);
    out.push(`<text transform="translate(${x0 + 13},${y0 + m.t + ph / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(ylabel)}</text>`);
    if (diagonal) {
        const a = Math.max(xlo, ylo), b = Math.min(xhi, yhi);
        out.push(`<line x1="${X(a)}" y1="${Y(a)}" x2="${X(b)}" y2="${Y(b)}" stroke="#888" stroke-dasharray="4 3"/>`);
    }
    if (hline) {
        out.push(`<line x1="${x0 + m.l}" y1="${Y(hline.y)}" x2="${x0 + m.l + pw}" y2="${Y(hline.y)}" stroke="#888" stroke-dasharray="4 3"/>`);
        out.push(`<text x="${x0 + m.l + pw - 4}" y="${Y(hline.y) - 4}" text-anchor="end" font-size="10" fill="#666">${esc(hline.label)}</text>`);
    }
    for (const s of series) {
        const pts = s.points.filter((p) => p[0] > 0 && p[1] > 0);
        if (pts.length === 0) continue;
        out.push(`<polyline fill="none" stroke="${COLORS[s.server]}" stroke-width="2" points="${pts.map((p) => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(' ')}"/>`);
        for (const p of pts) out.push(`<circle cx="${X(p[0]).toFixed(1)}" cy="${Y(p[1]).toFixed(1)}" r="3" fill="${COLORS[s.server]}"/>`);
    }
    return out.join('\n');
}

/** A bar panel: one bar per server. */
function barPanel({ x0, y0, w, h, title, ylabel, bars, hline }) {
    const m = { l: 62, r: 12, t: 28, b: 40 };
    const pw = w - m.l - m.r, ph = h - m.t - m.b;
    const vals = bars.map((b) => b.value).filter((v) => Number.isFinite(v));
    const top = Math.max(...vals, hline ? hline.y : 0) * 1.15 || 1;
    const Y = (v) => y0 + m.t + ph - (v / top) * ph;
    const out = [];
    out.push(`<text x="${x0 + w / 2}" y="${y0 + 16}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
    out.push(`<rect x="${x0 + m.l}" y="${y0 + m.t}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
    const step = 10 ** Math.floor(Math.log10(top / 2));
    for (let t = 0; t <= top; t += step * (top / step > 10 ? 5 : top / step > 5 ? 2 : 1)) {
        out.push(`<line x1="${x0 + m.l}" y1="${Y(t)}" x2="${x0 + m.l + pw}" y2="${Y(t)}" stroke="#eee"/>`);
        out.push(`<text x="${x0 + m.l - 4}" y="${Y(t) + 3}" text-anchor="end" font-size="10">${short(t) || 0}</text>`);
    }
    out.push(`<text transform="translate(${x0 + 13},${y0 + m.t + ph / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(ylabel)}</text>`);
    const bw = pw / (bars.length * 2 + 1);
    bars.forEach((b, i) => {
        const x = x0 + m.l + bw * (2 * i + 1);
        if (Number.isFinite(b.value)) {
            out.push(`<rect x="${x}" y="${Y(b.value)}" width="${bw}" height="${Y(0) - Y(b.value)}" fill="${COLORS[b.server]}"/>`);
            out.push(`<text x="${x + bw / 2}" y="${Y(b.value) - 4}" text-anchor="middle" font-size="11">${esc(b.text)}</text>`);
        }
        out.push(`<text x="${x + bw / 2}" y="${y0 + m.t + ph + 14}" text-anchor="middle" font-size="11">${esc(NAMES[b.server])}</text>`);
    });
    if (hline) {
        out.push(`<line x1="${x0 + m.l}" y1="${Y(hline.y)}" x2="${x0 + m.l + pw}" y2="${Y(hline.y)}" stroke="#888" stroke-dasharray="4 3"/>`);
        out.push(`<text x="${x0 + m.l + pw - 4}" y="${Y(hline.y) - 4}" text-anchor="end" font-size="10" fill="#666">${esc(hline.label)}</text>`);
    }
    return out.join('\n');
}

function chartSvg() {
    const W = 1000, H = 720, w = W / 2, h = (H - 30) / 2;
    const fan = (key) => present.map((s) => ({ server: s, points: rows(s, 'fanout').map((r) => [r.offered_per_s, key(r)]) }));
    const parts = [
        linePanel({ x0: 0, y0: 30, w, h, title: 'Fan-out: server CPU per million deliveries',
            xlabel: 'offered deliveries/s (one room of 100)', ylabel: 'CPU-seconds per million', series: fan((r) => r.cpu_s_per_m) }),
        linePanel({ x0: w, y0: 30, w, h, title: 'Fan-out: delivered vs offered',
            xlabel: 'offered deliveries/s', ylabel: 'delivered/s', series: fan((r) => r.deliveries_per_s), diagonal: true }),
        linePanel({ x0: 0, y0: 30 + h, w, h, title: 'Fan-out: delivery latency p99',
            xlabel: 'offered deliveries/s', ylabel: 'p99 latency (ms)', series: fan((r) => Math.max(r.p99_ms, 0.01)),
            hline: { y: 10, label: 'target 10 ms' } }),
        barPanel({ x0: w, y0: 30 + h, w, h, title: 'Server RSS per idle connection (10,000)', ylabel: 'bytes',
            bars: present.map((s) => ({ server: s, value: one(s, 'idle')?.rss_per_conn_b, text: `${fmt(one(s, 'idle')?.rss_per_conn_b / 1024, 1)} KiB` })),
            hline: { y: 4096, label: 'target 4 KiB' } }),
    ];
    const legend = present.map((s, i) => `<rect x="${20 + i * 130}" y="8" width="12" height="12" fill="${COLORS[s]}"/>` +
        `<text x="${36 + i * 130}" y="18" font-size="12">${esc(NAMES[s])}</text>`).join('\n');
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">\n` +
        `<rect width="${W}" height="${H}" fill="white"/>\n${legend}\n${parts.join('\n')}\n</svg>\n`;
}

// ---------------------------------------------------------------------------
// The page.

function resultsTable() {
    const peers = present.filter((s) => s !== 'kopa');
    const head = ['', ...present.map((s) => NAMES[s]), ...(present.includes('kopa') ? peers.map((p) => `Kopa/${NAMES[p]}`) : [])];
    const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`];
    for (const m of METRICS) {
        if (m.section) {
            lines.push(`| **${m.section}** |${head.slice(1).map(() => '').join(' |')} |`);
            continue;
        }
        const v = Object.fromEntries(present.map((s) => [s, m.get(s)]));
        if (m.label.startsWith('members resumed')) for (const p of peers) v[p] = undefined;
        const cells = present.map((s) => (m.label.startsWith('members resumed') && s !== 'kopa' ? 'no resume' : fmt(v[s], m.digits)));
        const ratios = present.includes('kopa') ? peers.map((p) => ratio(v.kopa, v[p])) : [];
        lines.push(`| ${m.label} | ${[...cells, ...ratios].join(' | ')} |`);
    }
    return lines.join('\n');
}

function stepsTable() {
    const lines = ['| server | msg/s per member | offered/s | delivered/s | CPU use | CPU-s per M | p50 ms | p99 ms | max ms | lost | saturated |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|'];
    for (const s of present) {
        for (const r of rows(s, 'fanout')) {
            lines.push(`| ${NAMES[s]} | ${r.rate} | ${fmt(r.offered_per_s, 0)} | ${fmt(r.deliveries_per_s, 0)} | ${fmt(r.server_util, 2)} | ` +
                `${fmt(r.cpu_s_per_m, 2)} | ${fmt(r.p50_ms, 2)} | ${fmt(r.p99_ms, 2)} | ${fmt(r.max_ms, 1)} | ${r.lost} | ${r.saturated ? 'yes' : ''} |`);
        }
    }
    return lines.join('\n');
}

function csvTable(rs) {
    if (rs.length === 0) return '';
    const head = Object.keys(rs[0]).filter((k) => k !== '_cells');
    return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`,
        ...rs.map((r) => `| ${head.map((h) => r[h]).join(' | ')} |`)].join('\n');
}

function verdict(ok) {
    return ok === undefined ? '**not measured**' : ok ? '**met**' : '**missed**';
}

function reading() {
    const out = [];
    const k = fanoutAt('kopa', RATE), w = fanoutAt('ws', RATE), io = fanoutAt('socketio', RATE);
    const kp = fanoutPeak('kopa');
    if (k && w && io) {
        const rw = perCpuSecond(k) / perCpuSecond(w), rio = perCpuSecond(k) / perCpuSecond(io);
        out.push(`- **Deliveries per server CPU-second, 100-member room** (target: at least 5x Node ws and 20x Socket.IO). ` +
            `At the same offered load (${fmt(k.offered_per_s, 0)} deliveries/s) Kopa delivers ${fmt(perCpuSecond(k), 0)} per CPU-second, ` +
            `Node ws ${fmt(perCpuSecond(w), 0)}, Socket.IO ${fmt(perCpuSecond(io), 0)}: ${rw.toFixed(2)}x ws (${verdict(rw >= 5)}) ` +
            `and ${rio.toFixed(1)}x Socket.IO (${verdict(rio >= 20)}). At its own saturation Kopa reaches ` +
            `${fmt(perCpuSecond(kp), 0)} deliveries per CPU-second (${fmt(kp.deliveries_per_s, 0)} deliveries/s)` +
            (kp.server_util < 0.9 ? `, using only ${fmt(kp.server_util, 2)} of a core: there the load generator (one thread ` +
                'on the same two cores) could not offer more, so this is a lower bound of what Kopa sustains.' : '.'));
        const wp = fanoutPeak('ws'), iop = fanoutPeak('socketio');
        if (kp && wp && iop) {
            const sw = perCpuSecond(kp) / perCpuSecond(wp), sio = perCpuSecond(kp) / perCpuSecond(iop);
            out.push(`  Each server at its own saturation: Node ws ${fmt(perCpuSecond(wp), 0)} and Socket.IO ` +
                `${fmt(perCpuSecond(iop), 0)} deliveries per CPU-second, so Kopa does ${sw.toFixed(1)}x ws (${verdict(sw >= 5)}) ` +
                `and ${sio.toFixed(1)}x Socket.IO (${verdict(sio >= 20)}) there. At the low shared load each delivery ` +
                'is mostly one `send()` to a loopback socket, whose kernel cost (about 3-4 µs, the receiver\'s TCP work ' +
                'included) is the same for every server; Kopa gathers 1-2 events per write there and pays little else, ' +
                'the peers pay 3-4 times the send. More events per write need a longer wait (`--flush-ms`; ' +
                'see "Where Kopa\'s time goes").');
        }
    }
    const ki = one('kopa', 'idle');
    if (ki) {
        out.push(`- **Memory per idle connection** (target: under 4 KB of server RSS each at 10,000). Kopa: ` +
            `${fmt(ki.rss_per_conn_b, 0)} bytes with ${ki.connections} connections (${verdict(ki.rss_per_conn_b < 4096 && ki.connections >= 10000)})` +
            ['ws', 'socketio'].filter((s) => one(s, 'idle')).map((s) => `; ${NAMES[s]} ${fmt(one(s, 'idle').rss_per_conn_b, 0)} bytes`).join('') + '.');
    }
    const kr = one('kopa', 'rooms');
    if (kr || k) {
        const waited = (r) => `, waiting for a core ${Math.round(100 * waitShare(r))}% of the time`;
        const p99s = [kr && `${fmt(kr.p99_ms, 2)} ms in 50 rooms of 20 at 1 msg/s each${waited(kr)}`,
            k && `${fmt(k.p99_ms, 2)} ms in the 100-member room at ${fmt(k.offered_per_s, 0)} deliveries/s${waited(k)}`].filter(Boolean);
        const ok = (!kr || kr.p99_ms < 10) && (!k || k.p99_ms < 10);
        out.push(`- **Chat latency on loopback** (target: p99 under 10 ms at the target load). Kopa: ${p99s.join('; ')} (${verdict(ok)}).`);
    }
    const ks = one('kopa', 'storm');
    if (ks) {
        out.push(`- **Reconnect storm.** ${fmt(ks.recovered, 0)} of ${ks.connections - ks.rooms} dropped members resumed with ` +
            `\`recovered: true\`, ${ks.lost} chats missed, all back in ${fmt(ks.recover_ms, 0)} ms` +
            ['ws', 'socketio'].filter((s) => one(s, 'storm')).map((s) => `; ${NAMES[s]} has no resume: ${one(s, 'storm').lost} chats missed`).join('') + '.');
    }
    const shared = audio.find((r) => r.scenario === 'rooms_of_20_with_3_speakers' && r.mode === 'shared');
    const shops = audio.filter((r) => String(r.scenario).startsWith('workshop_500') && r.mode === 'shared');
    const netRooms = audioNet.filter((r) => r.case === 'rooms' && r.members === 20 && r.speakers === 3);
    const netShops = audioNet.filter((r) => r.case === 'workshop' && r.listeners >= 500);
    if (shared || netRooms.length || netShops.length) {
        const parts = [];
        if (shared) {
            parts.push(`Mixer alone (bench_audio, no network): ${fmt(shared.participants_per_core, 0)} participants per core ` +
                `(${verdict(shared.participants_per_core >= 500)}); workshop ` +
                `${shops.map((r) => `${r.speakers} on stage ${fmt(r.core_pct, 2)}%`).join(', ')} of a core ` +
                `(${verdict(shops.length > 0 && shops.every((r) => r.core_pct < 15))}).`);
        }
        if (netRooms.length || netShops.length) {
            const ppc = netRooms.map((r) => `${fmt(r.participants_per_core, 0)} participants per core in ` +
                `${r.rooms} rooms (${verdict(r.participants_per_core >= 500)})`);
            const shopPct = netShops.map((r) => `${r.speakers} speaking ${fmt(r.core_pct, 1)}% of a core ` +
                `(${verdict(r.core_pct < 15)})`);
            parts.push('Through the network (scenario 5b: the whole server process, WebSocket ' +
                'and TCP on loopback included): ' +
                (ppc.length ? ppc.join(', ') : 'rooms not measured') + '; ' +
                (shopPct.length ? `workshop of ${netShops[0].listeners} listeners ${shopPct.join(', ')}` :
                    'workshop not measured') + '.');
        }
        out.push('- **Audio** (targets: at least 500 participants per core in rooms of 20 with 3 speakers; ' +
            `a 500-listener workshop under 15% of a core). ${parts.join(' ')}`);
    }
    const lat = ['mix', 'forward'].map((c) => audioLat.find((r) => r.case === c)).filter(Boolean);
    if (lat.length) {
        const heard = lat.every((r) => r.detected > 0);
        out.push(`- **Audio latency on loopback** (target: audio adds under 60 ms in the server). ` +
            lat.map((r) => `${r.case === 'mix' ? 'shared mix, room of three' : 'forwarded, room of two'}: ` +
                `p50 ${fmt(r.p50_ms, 1)} ms, p99 ${fmt(r.p99_ms, 1)} ms, max ${fmt(r.max_ms, 1)} ms ` +
                `(${r.detected} of ${r.bursts} bursts)`).join('; ') +
            ` (${verdict(heard ? lat.every((r) => r.p99_ms < 60) : undefined)}). End to end through the server ` +
            '(kopa_audio_latency), the client codec\'s own delay subtracted; a chat takes ' +
            `${fmt(lat[0].chat_p50_ms, 2)} ms one way on the same connections.`);
    }
    const p200 = pairing.find((r) => r.people === 200);
    if (p200) {
        out.push(`- **Pairing** (target: 200 people, optimal pairs, under 50 ms). Median ${fmt(p200.pairs_median_ms, 1)} ms, ` +
            `worst ${fmt(p200.pairs_max_ms, 1)} ms (${verdict(p200.pairs_max_ms < 50)}).`);
    }
    return out.join('\n');
}

// ---------------------------------------------------------------------------
// Before and after: bench/ab.sh's rows (ab.csv), two Kopa builds measured in
// alternation in the same sitting; medians over the rounds.

const ab = readCsv(path.join(RESULTS, 'ab.csv'));
const abMachine = readText(path.join(RESULTS, 'ab.txt')).trim();

function median(values) {
    const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
    if (v.length === 0) return undefined;
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

function abTable() {
    const pick = (which, scen, rate) => ab.filter((r) => r.server === which && r.scenario === scen &&
        (rate === undefined || r.rate === rate));
    const rates = [...new Set(ab.filter((r) => r.scenario === 'fanout').map((r) => r.rate))].sort((a, b) => a - b);
    const lines = ['| scenario | measure | old | new | new/old | rounds (old, new) |', '|---|---|---:|---:|---:|---|'];
    const row = (label, measure, key, digits, scen, rate) => {
        const o = pick('old', scen, rate), n = pick('new', scen, rate);
        const mo = median(o.map((r) => r[key])), mn = median(n.map((r) => r[key]));
        if (mo === undefined && mn === undefined) return;
        lines.push(`| ${label} | ${measure} | ${fmt(mo, digits)} | ${fmt(mn, digits)} | ${ratio(mn, mo)} | ${o.length}, ${n.length} |`);
    };
    for (const rate of rates) {
        const label = `fan-out, ${rate} msg/s per member`;
        row(label, 'deliveries/s', 'deliveries_per_s', 0, 'fanout', rate);
        row(label, 'server CPU-s per million deliveries', 'cpu_s_per_m', 2, 'fanout', rate);
        row(label, 'latency p99 (ms)', 'p99_ms', 1, 'fanout', rate);
    }
    const idle = `idle, ${fmt(median(ab.filter((r) => r.scenario === 'idle').map((r) => r.connections)), 0)} members`;
    row(idle, 'RSS per connection (bytes)', 'rss_per_conn_b', 0, 'idle');
    row(idle, 'server CPU-s to connect all', 'server_cpu_s', 2, 'idle');
    row(idle, 'time to connect and join all (ms)', 'connect_ms', 0, 'idle');
    return lines.join('\n');
}

function abSection() {
    if (ab.length === 0) return '';
    return `
## Before and after (\`bench/ab.sh\`)

Two Kopa builds measured in alternation in one sitting, each run with a
fresh Redis and server, so that other work on the machine hits both alike;
medians over the rounds. A fan-out step is missing for a build once it
saturated at a lower step.${abMachine ? `\n\n${abMachine}` : ''}

${abTable()}
`;
}

/** A sentence when other processes held the servers back noticeably. */
function contention() {
    const wait = sum(chat, 'server_wait_s') ?? 0, secs = sum(chat, 'seconds') ?? 0;
    if (secs === 0 || wait / secs < 0.1) return '';
    return ': other work on the machine took cores from the servers, so read the ' +
        'throughput and latency figures as lower bounds and the CPU figures as the comparison';
}

/** Scenario 5b: audio through the server, the rows of audio_net.csv. */
function audioNetSection() {
    if (audioNet.length === 0) return 'Not measured in this run (scenario audio-net was not run).';
    const opt = (v, digits) => (v === undefined || v === '' ? 'n/a' : fmt(v, digits));
    const rows = audioNet.map((r) => `| ${r.case} | ${r.rooms} x ${r.members} | ${r.speakers} | ${r.participants} | ` +
        `${fmt(r.core_pct, 1)}% | ${fmt(r.cpu_ms_per_tick, 2)} | ${fmt(r.participants_per_core, 0)} | ` +
        `${r.frames_received > 0 ? fmt(r.server_cpu_s * 1e6 / r.frames_received, 1) : 'n/a'} | ` +
        `${opt(r.server_tick_ms, 2)} | ${fmt(r.frames_received, 0)} of ${fmt(r.frames_expected, 0)} (${fmt(r.short_pct, 2)}% short) | ` +
        `${r.seq_gaps} | ${opt(r.server_dropped, 0)} (${opt(r.server_slow_listener, 0)}) | ${r.send_late} | ` +
        `${fmt(r.server_wait_s, 2)} |`);
    return `The same targets as scenario 5, through the real server on loopback:
\`kopa_loadgen --scenario audio\` opens one WebSocket per member, joins,
enables audio, and its speakers send 20 ms Opus packets at the real pace
(a tone per speaker, encoded once with libopus and looped with increasing
seq and timestamp, each speaker at its own phase of the 20 ms grid).
Every member counts the frames the server sends it and the seq numbers it
skipped, without decoding. *Rooms*: sessions of 20, 3 speaking, the rest
listening. *Workshop*: one session whose programme entry is a workshop;
its host speaks (and, with 3 speaking, two more on the stage), 500 listen.
\`cpu_ms_per_tick\` and the share of a core are the server process's CPU
(user + system, \`/proc\`) over the measured seconds (10, after 2 of
warm-up); the *mixer tick* is the server's own measure of its 20 ms audio
timer (\`kopa_audio_tick_seconds\`, wall-clock time, so it includes any
wait for a core). Participants per core = participants / share of a core;
*CPU per frame sent* is the server's CPU divided by the frames the members
received. On loopback the kernel's TCP receive work for a member runs in
the sending process, so the server's CPU here includes the members' side
of every TCP segment.
*Frames* counts what the members received against one frame per 20 ms for
each member who has someone to hear; *seq gaps* are frames skipped in a
member's sequence; *dropped* are the server's
\`kopa_audio_dropped_total\` (of them for a slow listener); *late sends*
are packets the load generator sent 20 ms or more after their time (it
shares the machine); *server waited* is the time the server was runnable
but had no core. Raw rows: \`audio_net.csv\`.

| case | rooms x members | speaking | participants | server CPU (% of a core) | CPU per 20 ms tick (ms) | participants per core | CPU per frame sent (µs) | mixer tick (ms) | frames received | seq gaps | dropped (slow listener) | late sends | server waited (s) |
|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|---:|
${rows.join('\n')}`;
}

/** Scenario 7: the rows of audio_latency.csv and where the time goes. */
function audioLatSection() {
    if (audioLat.length === 0) return 'Not measured in this run (kopa_audio_latency was not built).';
    const rows = audioLat.map((r) => `| ${r.case} | ${r.members} | ${r.path} | ${r.detected} of ${r.bursts} | ` +
        `${fmt(r.p50_ms, 1)} | ${fmt(r.p99_ms, 1)} | ${fmt(r.max_ms, 1)} | ${fmt(r.min_ms, 1)} | ` +
        `${fmt(r.packet_p50_ms, 1)} | ${fmt(r.chat_p50_ms, 2)} | ${r.bunched ?? 'n/a'} of ${r.packets ?? 'n/a'} | ` +
        `${r.p99_ms < 60 ? 'met' : 'missed'} |`);
    return `How long the server holds audio, end to end on loopback: one member
talks in 20 ms Opus frames at the real pace (a few near-silent frames, then
a loud tone), each talkspurt starting at a random phase against the
server's 20 ms tick; the listener decodes what it receives and finds the
first sample over -12 dBFS. One burst's latency is that sample's time
(packet receive time plus its offset in the frame) minus the send time of
the first loud frame, minus the client codec's own delay (measured by
encoding and decoding the same signal without the server). In the *mix*
case a third member speaks a steady quiet noise, so the listener gets the
room's shared mix (decoded, mixed, encoded again); in the *forward* case
(a room of two) the server forwards the packets as they came. A chat on
the same connections gives the network and message path one way.
${audioLatComment ? `\n${audioLatComment.replace(/^#\s*/, '')}.\n` : ''}
| case | members | what the listener gets | bursts heard | p50 (ms) | p99 (ms) | max (ms) | min (ms) | packet wait p50 (ms) | chat one-way p50 (ms) | packets bunched | under 60 ms |
|---|---:|---|---|---:|---:|---:|---:|---:|---:|---|---|
${rows.join('\n')}

Where the time goes, by design (server/audio/audio_jitter.c,
audio_mixer.c, audio_mixer_tick.c, server/app/audio_room.c):

- **Jitter buffer, 20 ms.** Each speaker's buffer starts playing once
  2 frames are in it (\`jitter_delay\` 2, at most \`jitter_depth\` 6
  frames; excess held for a whole second is trimmed back to 2). In the
  steady state a frame that arrives between two ticks is played not at the
  next tick but at the one after: one full frame of waiting.
- **Tick phase, 0 to 20 ms.** The room's 20 ms clock (a libuv timer) and
  the talker's clock are independent, so a frame waits for the next tick
  anywhere from 0 to 20 ms, 10 ms on average. Together with the jitter
  buffer: 20 to 40 ms, 30 ms on average (the *packet wait* column).
- **Timer lateness, about 0 to 2 ms.** The libuv timer has millisecond
  resolution and fires a little late. Each tick is aimed at the next 20 ms
  boundary from the room clock's start (a one-shot timer re-armed every
  time), so the lateness does not add up; a repeating timer, which counts
  from when it last fired, drifted until the loop ran two ticks at once
  (*packets bunched*: packets that reached the listener within 2 ms of the
  one before, which also counts this probe reading late).
- **Codec, 2.5 ms for the mix, 0 for forwarding.** Decoding adds nothing;
  the mix is encoded again with Opus's restricted low-delay mode (CELT
  only), whose lookahead is 2.5 ms (120 samples); \`AUDIO_CODEC_VOIP\`
  would add 6.5 ms. A forwarded packet is not re-encoded.
- **Work and network, well under 1 ms.** Decoding, mixing and encoding a
  room is a few hundred microseconds (scenario 5); loopback and the
  message path take what the chat column shows.
- **After a stalled server, one phrase late.** When the server's loop does
  not run for more than 5 ticks (\`kopa_audio_ticks_skipped_total\` in
  \`/metrics\` counts the ticks skipped), the frames read after the stall
  queue up in the jitter buffer, up to its depth of 6, and the phrase being
  spoken plays late. The next phrase starts the buffer again at its target
  delay (a packet 2 or more frames ahead of the play point, with nothing or
  only frames too old to keep in the buffer, is a new talkspurt), so the
  delay does not outlast the phrase. A maximum far over 45 ms above usually
  comes from a stall, or from the server waiting for a core on a busy
  machine.

So on an idle machine the server adds about 20 to 42 ms to forwarded
audio and 22.5 to 45 ms to a mix, 30 and 33 ms on average; the jitter buffer's
one frame is the only part a setting changes (\`jitter_delay\` 1 would
save 20 ms on a good network and conceal more on a jittery one).`;
}

function page() {
    const notes = readText(new URL('./NOTES.md', import.meta.url)).trim();
    const quick = machine.quick === '1';
    const audioRatios = audio.filter((r) => r.scenario === 'ratio')
        .map((r) => `- ${r.mode}: per-listener CPU / shared CPU = ${r._cells[3]}`).join('\n');
    const audioRows = audio.filter((r) => r.scenario !== 'ratio');
    return `# Kopa benchmarks

Kopa measured side by side with what a team would otherwise deploy: a room
server on Node's [\`ws\`](../bench/peers/ws-server.mjs) and a
[Socket.IO](../bench/peers/socketio-server.mjs) server with
\`@socket.io/redis-adapter\` (how Socket.IO runs on more than one node), all
from the same run, on the same machine, under the same load from one load
generator ([\`bench/loadgen\`](../bench/loadgen)). This page is written by
\`bench/report.mjs\` from the raw results in [\`bench/results/\`](../bench/results)
(\`chat.csv\`, \`process.csv\`, \`audio.csv\`, \`audio_net.csv\`, \`pairing.csv\`).
${quick ? '\n> **This page comes from a --quick run (tiny sizes): the numbers say nothing.**\n' : ''}
## Command

\`\`\`
bash bench/run.sh
\`\`\`

One command: it builds Kopa and the load generator (Release), installs the
peers with \`npm ci\`, and for every server and scenario starts a fresh Redis
and a fresh server on free loopback ports, measures, and stops them. It took
${machine['bench seconds'] ?? '?'} seconds. See [\`bench/README.md\`](../bench/README.md).

## Machine

| | |
|---|---|
${['date', 'commit', 'cpu', 'memory', 'kernel', 'os', 'node', 'redis', 'lws', 'load average after the run'].filter((k) => machine[k]).map((k) => `| ${k} | ${machine[k]} |`).join('\n')}

The server under test, Redis and the load generator share the two cores.
CPU is the server process's own user + system time from \`/proc/<pid>/stat\`
(all its threads), so it hardly depends on what else runs; throughput and
latency do. \`server_wait_s\` in \`chat.csv\` is the time the server was
runnable but waiting for a core (\`/proc/<pid>/task/*/schedstat\`): in this
run the servers waited ${fmt(sum(chat, 'server_wait_s'), 1)} s in all, over
${fmt(sum(chat, 'seconds'), 1)} s of measurements${contention()}.

## Results

${resultsTable()}

Kopa does more per message than the peers: it stores every chat in Redis
(one Lua script per message, acknowledged to the sender after the store),
keeps offsets for resume, presence and a member list. The peers verify the
same HS256 tokens but store nothing. Redis's own CPU is not in the server
columns; it is in \`redis_cpu_s\` of \`chat.csv\`.

![Fan-out CPU, throughput, latency and idle memory](../bench/results/chart.svg)

### Fan-out, every step

${stepsTable()}

A step is *saturated* when the server delivers less than 85% of the offered
load or uses more than 95% of a core; stepping stops there. Each sender keeps
at most 16 chats in flight, so a saturated server slows the senders rather
than queueing without bound.

## Reading against the targets (DESIGN.md section 8)

${reading()}
${abSection()}${notes ? `\n${notes}\n` : ''}
## Audio (scenario 5, \`bench_audio\`)

${audioRows.length ? `${audioComment.replace(/^#\s*/, '')}\n\n${csvTable(audioRows)}\n\n${audioRatios}` : 'Not measured in this run (bench_audio was not built).'}

## Audio through the network (scenario 5b, \`kopa_loadgen --scenario audio\`)

${audioNetSection()}

## Audio latency (scenario 7, \`kopa_audio_latency\`)

${audioLatSection()}

## Pairing (scenario 6, \`bench_pairing\`)

${pairing.length ? csvTable(pairing) : 'Not measured in this run (bench_pairing was not built).'}

## How the chat scenarios work

- **Fan-out**: one room of 100 members; every member sends a 100-byte chat at
  a fixed rate (2, 5, 10, 20, 50, 100, 200, 500 per second), each step 1 s of
  warm-up and 2.5 s measured, until the server saturates. A delivery is one
  chat reaching one member (the sender gets its own chat too).
- **Many rooms**: 50 rooms of 20 members, each member sending one chat per
  second, 8 s measured.
- **Idle**: 10,000 members connect, authenticate and join rooms of 50, then
  stay idle; RSS after minus RSS before, divided by the connections.
- **Reconnect storm**: 10 rooms of 100 members plus one writer per room
  sending 20 chats/s; all 1,000 members drop their TCP connection at once
  and reconnect at once. Kopa's members resume with \`join.since\`; the peers
  have no resume, so a member misses what was sent while it was away.
- Latency: each chat carries its send time (the load generator's monotonic
  clock) in its text; the receiver subtracts. Losses: each chat carries its
  sender and sequence number, and every member checks it got every one.
`;
}

fs.mkdirSync(RESULTS, { recursive: true });
fs.writeFileSync(path.join(RESULTS, 'chart.svg'), chartSvg());
fs.writeFileSync(DOC, page());
console.log(`report: wrote ${path.relative(process.cwd(), DOC)} and ${path.relative(process.cwd(), path.join(RESULTS, 'chart.svg'))}`);
