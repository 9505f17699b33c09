// socketio-server.mjs: the same room server on Socket.IO, deployed the way
// Socket.IO runs on more than one node: with @socket.io/redis-adapter on a
// Redis server, so every broadcast is also published to Redis for the
// other nodes. Same semantics as ws-server.mjs: a member joins one room
// with a signed token, and a chat event reaches every member of the room,
// the sender included.
//
//   node socketio-server.mjs --port N --secret-file F --redis HOST:PORT
//
// Socket.IO events (engine.io v4 over WebSocket only):
//   client emits "join" {room, token}  -> server emits "joined" {room, offset}
//   client emits "chat" {id, text}     -> room gets "chat" {room, offset,
//                                          id, from, text, ts}
// Prints "listening PORT" once it accepts connections.
import http from 'node:http';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { parseArgs, readSecret, verifyToken } from './token.mjs';

const args = parseArgs(process.argv.slice(2), { host: '127.0.0.1', port: '0', redis: '127.0.0.1:6379' });
const secret = readSecret(args['secret-file']);
const offsets = new Map(); // room id -> last offset on this node

const pub = createClient({ url: `redis://${args.redis}` });
const sub = pub.duplicate();
for (const c of [pub, sub]) c.on('error', (err) => console.error(`redis: ${err.message}`));
await Promise.all([pub.connect(), sub.connect()]);

const httpServer = http.createServer();
const io = new Server(httpServer, {
    adapter: createAdapter(pub, sub),
    transports: ['websocket'],
    perMessageDeflate: false,
    serveClient: false,
    maxHttpBufferSize: 65536,
});

io.on('connection', (socket) => {
    socket.on('join', (msg) => {
        const who = verifyToken(secret, msg?.token);
        if (!who) return socket.emit('error_', { code: 'bad_token' });
        if (typeof msg.room !== 'string' || msg.room.length === 0 || msg.room.length > 64) {
            return socket.emit('error_', { code: 'bad_value' });
        }
        if (socket.data.room) socket.leave(socket.data.room);
        socket.data.member = who;
        socket.data.room = msg.room;
        socket.join(msg.room);
        socket.emit('joined', { room: msg.room, offset: offsets.get(msg.room) ?? 0 });
    });
    socket.on('chat', (msg) => {
        const room = socket.data.room;
        if (!room) return socket.emit('error_', { code: 'not_joined' });
        if (typeof msg?.text !== 'string' || typeof msg.id !== 'string') {
            return socket.emit('error_', { code: 'wrong_type' });
        }
        const offset = (offsets.get(room) ?? 0) + 1;
        offsets.set(room, offset);
        io.to(room).emit('chat', {
            room, offset, id: msg.id, from: socket.data.member, text: msg.text, ts: Date.now(),
        });
    });
});

httpServer.listen(Number(args.port), args.host, () => {
    console.log(`listening ${httpServer.address().port}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) {
    process.on(sig, () => {
        io.close();
        Promise.allSettled([pub.quit(), sub.quit()]).finally(() => process.exit(0));
        setTimeout(() => process.exit(0), 1000).unref();
    });
}
