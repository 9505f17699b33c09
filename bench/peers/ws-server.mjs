// ws-server.mjs: the room server a Node developer would write on `ws`, with
// Kopa's room semantics: a member joins one room with a signed token, and a
// chat message to the room reaches every member of it, the sender included,
// as one JSON event (room, offset, id, from, text, ts). Nothing is stored.
//
//   node ws-server.mjs --port N --secret-file F [--host 127.0.0.1]
//
// Client -> server:  {"type":"join","room":"r1","token":"..."}
//                    {"type":"chat","id":"c1","text":"..."}
// Server -> client:  {"type":"joined","room":"r1","offset":N}
//                    {"type":"chat","room":"r1","offset":N,"id":"c1",
//                     "from":{"id","name","role"},"text":"...","ts":ms}
//                    {"type":"error","code":"..."}
// Prints "listening PORT" once it accepts connections.
import { WebSocketServer } from 'ws';
import { parseArgs, readSecret, verifyToken } from './token.mjs';

const args = parseArgs(process.argv.slice(2), { host: '127.0.0.1', port: '0' });
const secret = readSecret(args['secret-file']);
const rooms = new Map(); // room id -> {members: Set<WebSocket>, offset}

function leave(ws) {
    const room = ws.room && rooms.get(ws.room);
    if (!room) return;
    room.members.delete(ws);
    if (room.members.size === 0) rooms.delete(ws.room);
    ws.room = null;
}

function onJoin(ws, msg) {
    const who = verifyToken(secret, msg.token);
    if (!who) return ws.send('{"type":"error","code":"bad_token"}');
    if (typeof msg.room !== 'string' || msg.room.length === 0 || msg.room.length > 64) {
        return ws.send('{"type":"error","code":"bad_value"}');
    }
    leave(ws);
    ws.member = who;
    let room = rooms.get(msg.room);
    if (!room) rooms.set(msg.room, (room = { members: new Set(), offset: 0 }));
    room.members.add(ws);
    ws.room = msg.room;
    ws.send(JSON.stringify({ type: 'joined', room: msg.room, offset: room.offset }));
}

function onChat(ws, msg) {
    const room = ws.room && rooms.get(ws.room);
    if (!room) return ws.send('{"type":"error","code":"not_joined"}');
    if (typeof msg.text !== 'string' || typeof msg.id !== 'string') {
        return ws.send('{"type":"error","code":"wrong_type"}');
    }
    const ev = JSON.stringify({
        type: 'chat', room: ws.room, offset: ++room.offset, id: msg.id,
        from: ws.member, text: msg.text, ts: Date.now(),
    });
    for (const m of room.members) m.send(ev);
}

const wss = new WebSocketServer({
    host: args.host, port: Number(args.port), perMessageDeflate: false, maxPayload: 65536,
});
wss.on('connection', (ws) => {
    ws.room = null;
    ws.member = null;
    ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let msg;
        try {
            msg = JSON.parse(data.toString('utf8'));
        } catch {
            return ws.send('{"type":"error","code":"bad_json"}');
        }
        if (msg?.type === 'chat') onChat(ws, msg);
        else if (msg?.type === 'join') onJoin(ws, msg);
        else ws.send('{"type":"error","code":"unknown_type"}');
    });
    ws.on('close', () => leave(ws));
    ws.on('error', () => {});
});
wss.on('listening', () => console.log(`listening ${wss.address().port}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
